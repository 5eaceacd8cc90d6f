package org.symdex.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.symdex.cap.Scope;
import org.symdex.index.IndexedFile;
import org.symdex.index.Schema;
import org.symdex.index.SymbolTable;
import org.symdex.io.Limits;
import org.symdex.pkg.Dependency;
import org.symdex.pkg.PackageFormat;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.ReaderOptions;
import org.symdex.report.FileFacts;
import org.symdex.report.ScanFacts;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;

/**
 * The verification harness of issue 4: reads every package again with the scanner (what {@code symdex
 * deps} says) and checks that the index holds exactly that, field by field and term by term. Extra
 * terms are ruled out by counting: after every expected posting is found, the postings of each field
 * in the index must number exactly the expected ones (the index must have no deleted documents).
 *
 * <p>Run on real packages: {@code java -cp ... org.symdex.batch.IndexVerifier INDEX PACKAGE-DIR...}.
 */
public final class IndexVerifier {
    /** What was compared, and every difference found (empty when the index is exact). */
    public record Result(int packages, int failures, long files, long provides, long requires, long symbols,
                         long postings, Map<String, Long> scopes, List<String> differences) {
        public String summary() {
            return String.format(Locale.ROOT, "%d packages (%d recorded failures), %d ELF files, %d provides, "
                    + "%d requires, %d symbols, %d postings checked; scopes %s; %d differences",
                    packages, failures, files, provides, requires, symbols, postings, scopes, differences.size());
        }
    }

    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final PackageScanner scanner;
    private final boolean withSymbols;
    private final List<String> diffs = new ArrayList<>();
    /** field → expected number of postings. */
    private final Map<String, Long> expectedPostings = new HashMap<>();
    private final Map<String, TermsEnum> termsEnums = new HashMap<>();
    private final Map<String, Long> scopes = new java.util.TreeMap<>();
    private int packages;
    private int failures;
    private long files;
    private long provides;
    private long requires;
    private long symbols;
    private long postings;

    private IndexVerifier(DirectoryReader reader, boolean withSymbols) {
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.withSymbols = withSymbols;
        this.scanner = new PackageScanner(ReaderOptions.defaults(), Limits.defaults(), true,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Verifies the index at {@code index} against the packages it was built from, given in walk order. */
    public static Result verify(Path index, List<Path> packageFiles) throws Exception {
        try (var dir = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(dir)) {
            boolean withSymbols = Boolean.parseBoolean(r.getIndexCommit().getUserData().get(Schema.DATA_SYMBOLS));
            IndexVerifier v = new IndexVerifier(r, withSymbols);
            if (r.numDeletedDocs() != 0) {
                v.diffs.add("index has " + r.numDeletedDocs() + " deleted documents: verify a fresh index");
            }
            for (Path p : packageFiles) {
                v.checkPackage(p.toAbsolutePath().normalize());
            }
            v.checkTotals();
            return new Result(v.packages, v.failures, v.files, v.provides, v.requires, v.symbols, v.postings,
                    v.scopes, v.diffs);
        }
    }

    private void checkPackage(Path p) throws Exception {
        packages++;
        String key = p.toString();
        ScoreDoc[] hits = searcher.search(new TermQuery(Schema.packageTerm(key)), 100_000).scoreDocs;
        PackageScan scan;
        try {
            scan = scanner.scan(p);
        } catch (PackageFormatException e) {
            failures++;
            if (hits.length != 1) {
                diffs.add(key + ": unreadable, expected one failure document, found " + hits.length + " documents");
                return;
            }
            Document d = searcher.storedFields().document(hits[0].doc);
            expect(key, "failure message", e.getMessage(), d.get(Schema.FAILURE_MESSAGE));
            count(Schema.KIND);
            count(Schema.PKG_FILE);
            countLabels(d);
            return;
        }
        if (scan.info().isSourceRpm()) {
            // A source rpm's requires are build requirements: it has no documents at all.
            if (hits.length != 0) {
                diffs.add(key + ": a source rpm, expected no documents, found " + hits.length);
            }
            return;
        }
        Document pkg = null;
        Map<String, Integer> fileDocs = new HashMap<>();
        for (ScoreDoc h : hits) {
            Document d = searcher.storedFields().document(h.doc);
            if (d.get(Schema.FILE_PATH) != null) {
                if (fileDocs.put(d.get(Schema.FILE_PATH), h.doc) != null) {
                    diffs.add(key + "!" + d.get(Schema.FILE_PATH) + ": two documents");
                }
            } else if (pkg == null && d.get(Schema.FAILURE_MESSAGE) == null) {
                pkg = d;
                checkPackageDoc(key, p, scan, d, h.doc);
            } else {
                diffs.add(key + ": unexpected document " + d);
            }
        }
        if (pkg == null) {
            diffs.add(key + ": no package document");
        }
        expect(key, "file documents", new TreeSet<>(fileDocs.keySet()),
                new TreeSet<>(scan.files().stream().map(ScannedFile::path).toList()));
        for (ScannedFile f : scan.files()) {
            Integer doc = fileDocs.get(f.path());
            if (doc != null) {
                checkFile(key, scan, f, doc);
            }
        }
    }

    private void checkPackageDoc(String key, Path p, PackageScan scan, Document d, int doc) throws Exception {
        var info = scan.info();
        expect(key, "name", info.name(), d.get(Schema.PKG_NAME));
        expect(key, "evr", ScanFacts.version(info), d.get(Schema.PKG_EVR));
        expect(key, "arch", info.arch(), d.get(Schema.PKG_ARCH));
        expect(key, "source", ScanFacts.sourceName(info), d.get(Schema.PKG_SOURCE));
        expect(key, "format", info.format().name().toLowerCase(Locale.ROOT), d.get(Schema.PKG_FORMAT));
        expect(key, "size", Files.size(p), d.getField(Schema.PKG_SIZE).numericValue().longValue());
        expect(key, "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p))), d.get(Schema.PKG_SHA256));
        expect(key, "elf files", scan.files().size(), d.getField(Schema.PKG_ELF_FILES).numericValue().intValue());
        for (String f : List.of(Schema.KIND, Schema.PKG_FILE, Schema.PKG_NAME, Schema.PKG_ARCH, Schema.PKG_EVR,
                Schema.PKG_SOURCE, Schema.PKG_FORMAT)) {
            count(f);
        }
        countLabels(d);
        if (info.format() == PackageFormat.RPM && !info.isSourceRpm()) {
            String scope = Schema.scopeOfArch(info.arch());
            expect(key, "declared provides", info.provides().stream().map(IndexVerifier::rpm).toList(),
                    List.of(d.getValues(Schema.DECL_PROVIDES)));
            expect(key, "declared requires", info.requires().stream().map(IndexVerifier::rpm).toList(),
                    List.of(d.getValues(Schema.DECL_REQUIRES)));
            postings(key, Schema.scoped(Schema.PROV, scope), names(info.provides()), doc);
            postings(key, Schema.scoped(Schema.REQ, scope), names(info.requires()), doc);
        }
    }

    private static Set<String> names(List<Dependency> deps) {
        Set<String> s = new LinkedHashSet<>();
        deps.forEach(d -> s.add(d.name()));
        return s;
    }

    /** rpm -qp's form, written out independently of DocumentMapper. */
    private static String rpm(Dependency d) {
        int sense = d.flags() & 14;
        if (sense == 0 || d.version().isEmpty()) {
            return d.name();
        }
        String op = Map.of(2, "<", 4, ">", 8, "=", 10, "<=", 12, ">=").getOrDefault(sense, "<>");
        return d.name() + " " + op + " " + d.version();
    }

    private void checkFile(String key, PackageScan scan, ScannedFile f, int doc) throws Exception {
        files++;
        String where = key + "!" + f.path();
        Document stored = searcher.storedFields().document(doc);
        IndexedFile got = IndexedFile.of(stored);
        countLabels(stored);
        var elf = f.elf();
        FileFacts facts = FileFacts.of(ScanFacts.ref(scan.info(), Path.of(key)), f);
        String scope = Scope.of(elf).toString();
        scopes.merge(scope, 1L, Long::sum);
        expect(where, "scope", scope, got.scope());
        expect(where, "mode", f.mode(), got.mode());
        expect(where, "soname", elf.soname(), got.soname());
        expect(where, "interpreter", elf.interpreter(), got.interpreter());
        expect(where, "needed", elf.needed(), got.needed());
        expect(where, "runpath", elf.runpath(), got.runpath());
        expect(where, "rpath", elf.rpath(), got.rpath());
        expect(where, "versioned", facts.versioned(), got.versioned());
        expect(where, "provides", f.caps().provides(), got.provides());
        expect(where, "requires", f.caps().requires(), got.requires());
        expect(where, "links", f.links(), List.of(stored.getValues(Schema.FILE_LINK)));
        expect(where, "package", scan.info().name(), got.packageName());
        provides += f.caps().provides().size();
        requires += f.caps().requires().size();

        Set<String> prov = new LinkedHashSet<>(f.caps().provides());
        // Written out here, not taken from cap.Satisfaction: a check must not import the rule it checks.
        if (f.caps().provides().stream().anyMatch(c -> c.matches("(ld-linux|ld64\\.so|ld\\.so)[^(]*(\\(.*)?"))) {
            prov.add(Schema.RTLD_GNU_HASH);
        }
        postings(where, Schema.scoped(Schema.PROV, scope), prov, doc);
        postings(where, Schema.scoped(Schema.REQ, scope), new LinkedHashSet<>(f.caps().requires()), doc);
        postings(where, Schema.scoped(Schema.SONAME, scope), Set.of(facts.soname()), doc);
        Set<String> needs = new LinkedHashSet<>(elf.needed());
        elf.versionNeeds().forEach(vn -> needs.add(vn.file()));
        postings(where, Schema.scoped(Schema.NEEDED, scope), needs, doc);
        postings(where, Schema.FILE_LINK, new LinkedHashSet<>(f.links()), doc);
        for (String fld : List.of(Schema.KIND, Schema.PKG_FILE, Schema.PKG_NAME, Schema.PKG_ARCH, Schema.PKG_EVR,
                Schema.PKG_SOURCE, Schema.FILE_PATH, Schema.SCOPE)) {
            count(fld);
        }

        if (withSymbols) {
            // Independent of SymbolTable.of: FileFacts (the report layer's reading of the same ELF).
            List<SymbolTable.Symbol> syms = got.symbols();
            List<FileFacts.Export> exports = new ArrayList<>();
            List<FileFacts.Import> imports = new ArrayList<>();
            Set<String> defs = new LinkedHashSet<>();
            Set<String> refs = new LinkedHashSet<>();
            for (SymbolTable.Symbol s : syms) {
                String version = s.version().isEmpty() ? null : s.version();
                if (s.defined()) {
                    exports.add(new FileFacts.Export(s.name(), version, s.versionIndex(), s.hidden()));
                    defs.add(s.versionedName());
                } else {
                    String file = s.file().isEmpty() ? null : s.file();
                    imports.add(new FileFacts.Import(s.name(), file == null ? null : version, file, s.isWeak(),
                            s.hidden()));
                    refs.add(s.versionedName());
                }
            }
            expect(where, "exports", facts.exports(), exports);
            expect(where, "imports", facts.imports(), imports);
            symbols += syms.size();
            Set<String> wantDefs = new LinkedHashSet<>();
            Set<String> wantRefs = new LinkedHashSet<>();
            for (var s : elf.dynamicSymbols()) {
                if (s.binding() != 0) {
                    (s.isDefined() ? wantDefs : wantRefs).add(s.versionedName());
                }
            }
            expect(where, "def terms", wantDefs, defs);
            expect(where, "ref terms", wantRefs, refs);
            postings(where, Schema.scoped(Schema.SYM_DEF, scope), wantDefs, doc);
            postings(where, Schema.scoped(Schema.SYM_REF, scope), wantRefs, doc);
        } else if (!got.symbols().isEmpty()) {
            diffs.add(where + ": symbols stored in an index without symbols");
        }
    }

    /** Each term must have {@code doc} in its postings; and counts them for the no-extras check. */
    private void postings(String where, String field, Set<String> terms, int doc) throws IOException {
        if (terms.isEmpty()) {
            return;
        }
        expectedPostings.merge(field, (long) terms.size(), Long::sum);
        TermsEnum te = termsEnum(field);
        for (String t : terms) {
            postings++;
            if (te == null || !te.seekExact(new BytesRef(t))) {
                diffs.add(where + ": term " + field + "=" + t + " missing");
                continue;
            }
            PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
            if (pe.advance(doc) != doc) {
                diffs.add(where + ": term " + field + "=" + t + " not on its document");
            }
        }
    }

    private TermsEnum termsEnum(String field) throws IOException {
        if (!termsEnums.containsKey(field)) {
            Terms t = MultiTerms.getTerms(reader, field);
            termsEnums.put(field, t == null ? null : t.iterator());
        }
        return termsEnums.get(field);
    }

    /** A single-valued indexed field every document of a kind carries: one posting per document. */
    private void count(String field) {
        expectedPostings.merge(field, 1L, Long::sum);
    }

    /** Labels are the run's, not the package's: as many label postings as the document stores labels. */
    private void countLabels(Document d) {
        expectedPostings.merge(Schema.PKG_LABEL, (long) d.getValues(Schema.PKG_LABEL).length, Long::sum);
    }

    /** Every scoped term field and the counted fields hold exactly the expected number of postings. */
    private void checkTotals() throws IOException {
        Set<String> fields = new TreeSet<>(expectedPostings.keySet());
        fields.add(Schema.FILE_LINK);
        for (String base : List.of(Schema.PROV, Schema.REQ, Schema.SONAME, Schema.NEEDED, Schema.SYM_DEF,
                Schema.SYM_REF)) {
            fields.addAll(Schema.scopedFields(reader, base));
        }
        for (String field : fields) {
            long have = 0;
            Terms t = MultiTerms.getTerms(reader, field);
            if (t != null) {
                TermsEnum te = t.iterator();
                while (te.next() != null) {
                    have += te.docFreq();
                }
            }
            long want = expectedPostings.getOrDefault(field, 0L);
            if (have != want) {
                diffs.add("field " + field + ": " + have + " postings in the index, " + want + " expected");
            }
        }
    }

    private void expect(String where, String what, Object want, Object have) {
        if (!java.util.Objects.equals(want, have)) {
            String w = String.valueOf(want);
            String h = String.valueOf(have);
            diffs.add(where + ": " + what + ": want " + (w.length() > 300 ? w.substring(0, 300) + "..." : w)
                    + ", have " + (h.length() > 300 ? h.substring(0, 300) + "..." : h));
        }
    }

    /** {@code IndexVerifier INDEX DIR...}: verifies an index built from the packages under DIR. */
    public static void main(String[] args) throws Exception {
        Path index = Path.of(args[0]);
        List<Path> roots = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            roots.add(Path.of(args[i]));
        }
        List<Path> pkgs = InputWalker.walk(roots, InputWalker.Accept.PACKAGES).inputs().stream().map(InputWalker.Input::path).toList();
        long t0 = System.nanoTime();
        Result r = verify(index, pkgs);
        r.differences().stream().limit(50).forEach(System.out::println);
        System.out.println(r.summary() + String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - t0) / 1e9));
        System.exit(r.differences().isEmpty() ? 0 : 1);
    }
}
