package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/**
 * A package argument (issue 16, item 4) read the ways people write one, tried in this order, the first
 * that names an indexed package winning:
 * <ol>
 * <li>{@code NAME}, {@code NAME=VERSION}, {@code NAME:ARCH}, {@code NAME:ARCH=VERSION} ({@link PackageSelector});</li>
 * <li>Debian's file name, {@code name_version_arch} (optionally {@code .deb}), the epoch's ':' written
 *     {@code %3a};</li>
 * <li>what symdex prints, {@code name-version-release.arch} or {@code name-evr.arch} (also without
 *     {@code .arch}): every split at a '-' is tried against the indexed names, since names hold '-'
 *     too;</li>
 * <li>a {@link Glob} on names ({@code 'libssl*'}), with {@code :ARCH} and {@code =VERSION} as above.</li>
 * </ol>
 * Versions compare as {@link #sameVersion} says: a {@code 0:} epoch equals none, and a version written
 * without an epoch matches any epoch (Debian's file names drop it).
 */
final class PackageResolver {
    private final IndexSnapshot snapshot;
    private final IndexSearcher searcher;

    PackageResolver(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.searcher = searcher;
    }

    /** The packages {@code arg} names (and {@code filter} accepts), in package order; empty when none. */
    List<IndexedPackage> resolve(String arg, QueryFilter filter) throws IndexException {
        if (arg.isEmpty()) {
            throw new IllegalArgumentException("empty package argument (expected NAME, NAME=VERSION, NAME:ARCH, "
                    + "name-version-release.arch, name_version_arch or a glob on names)");
        }
        try {
            List<IndexedPackage> found = List.of();
            if (!Glob.hasWildcard(arg)) {
                found = selector(arg);
                if (found.isEmpty()) {
                    found = debian(arg);
                }
                if (found.isEmpty()) {
                    found = printed(arg);
                }
            } else {
                found = glob(arg);
            }
            if (found.isEmpty() && (arg.indexOf('=') >= 0 || arg.indexOf(':') >= 0)) {
                PackageSelector.parse(arg); // a malformed NAME:ARCH=VERSION ("libfoo1:", "=1.0") is bad usage
            }
            List<IndexedPackage> out = new ArrayList<>();
            for (IndexedPackage p : found) {
                if (filter.accepts(p)) {
                    out.add(p);
                }
            }
            out.sort(IndexedPackage.ORDER);
            return out;
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    private List<IndexedPackage> selector(String arg) throws IOException {
        PackageSelector s;
        try {
            s = PackageSelector.parse(arg);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return select(named(s.name()), s.version(), s.arch());
    }

    private List<IndexedPackage> debian(String arg) throws IOException {
        String a = arg.endsWith(".deb") ? arg.substring(0, arg.length() - 4) : arg;
        String[] parts = a.split("_", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return List.of();
        }
        String version = parts[1].replace("%3a", ":").replace("%3A", ":");
        return select(named(parts[0]), version, parts[2]);
    }

    private List<IndexedPackage> printed(String arg) throws IOException, IndexException {
        List<IndexedPackage> out = new ArrayList<>();
        int dot = arg.lastIndexOf('.');
        List<String[]> forms = new ArrayList<>(); // {name-evr, arch or null}
        if (dot > 0 && new IndexFacts(snapshot, searcher).arches().contains(arg.substring(dot + 1))) {
            forms.add(new String[] {arg.substring(0, dot), arg.substring(dot + 1)});
        }
        forms.add(new String[] {arg, null});
        for (String[] f : forms) {
            String nevr = f[0];
            for (int i = nevr.indexOf('-'); i > 0; i = nevr.indexOf('-', i + 1)) {
                String name = nevr.substring(0, i);
                String evr = nevr.substring(i + 1);
                if (!evr.isEmpty()) {
                    out.addAll(select(named(name), evr, f[1]));
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return out;
    }

    private List<IndexedPackage> glob(String arg) throws IOException {
        int eq = arg.indexOf('=');
        String left = eq < 0 ? arg : arg.substring(0, eq);
        String version = eq < 0 ? null : arg.substring(eq + 1);
        int colon = left.indexOf(':');
        String name = colon < 0 ? left : left.substring(0, colon);
        String arch = colon < 0 ? null : left.substring(colon + 1);
        Glob g = Glob.of(name);
        List<IndexedPackage> out = new ArrayList<>();
        Terms terms = MultiTerms.getTerms(snapshot.reader(), Schema.PKG_NAME);
        if (terms == null) {
            return out;
        }
        TermsEnum te = CapabilityPattern.compile(name, g.automaton()).getTermsEnum(terms);
        List<String> names = new ArrayList<>();
        for (BytesRef t = te.next(); t != null; t = te.next()) {
            names.add(t.utf8ToString());
        }
        for (String n : names) {
            out.addAll(select(named(n), version, arch));
        }
        return out;
    }

    private static List<IndexedPackage> select(List<IndexedPackage> named, String version, String arch) {
        List<IndexedPackage> out = new ArrayList<>();
        for (IndexedPackage p : named) {
            if ((arch == null || arch.equals(p.arch())) && (version == null || sameVersion(p.evr(), version))) {
                out.add(p);
            }
        }
        return out;
    }

    /** The live package documents of one name. */
    private List<IndexedPackage> named(String name) throws IOException {
        BooleanQuery q = new BooleanQuery.Builder()
                .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(Schema.PKG_NAME, name)), BooleanClause.Occur.FILTER).build();
        int n = searcher.count(q);
        if (n == 0) {
            return List.of();
        }
        Map<String, IndexedPackage> out = new LinkedHashMap<>();
        var stored = searcher.storedFields();
        for (ScoreDoc sd : searcher.search(q, n).scoreDocs) {
            IndexedPackage p = Hits.packageOf(stored.document(sd.doc));
            out.putIfAbsent(p.file(), p);
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Whether an indexed version ({@code [EPOCH:]VERSION[-RELEASE]}) is the one an argument gives: equal
     * once a {@code 0:} epoch is dropped from either, or, when the argument has no epoch, equal to the
     * indexed version without its epoch.
     */
    static boolean sameVersion(String indexed, String given) {
        String i = dropZeroEpoch(indexed);
        String g = dropZeroEpoch(given);
        if (i.equals(g)) {
            return true;
        }
        return epochEnd(g) < 0 && epochEnd(i) >= 0 && i.substring(epochEnd(i) + 1).equals(g);
    }

    private static String dropZeroEpoch(String v) {
        int e = epochEnd(v);
        return e >= 0 && v.substring(0, e).chars().allMatch(c -> c == '0') ? v.substring(e + 1) : v;
    }

    /** The index of the ':' ending a leading all-digit epoch, or -1. */
    private static int epochEnd(String v) {
        int i = 0;
        while (i < v.length() && Character.isDigit(v.charAt(i))) {
            i++;
        }
        return i > 0 && i < v.length() && v.charAt(i) == ':' ? i : -1;
    }
}
