package org.symdex.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.symdex.cap.Satisfaction;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/**
 * The read side of the index (issue 5): who provides or requires a capability or glob, the reverse
 * dependency tree, a package's lists, and what nothing satisfies. docs/index-schema.md says which
 * fields each question reads.
 *
 * <p>Every capability question starts from the terms dictionaries of the scoped {@code prov:S} and
 * {@code req:S} fields: a pattern is a compiled automaton intersected with each dictionary, and only
 * the postings of matching terms are read. A hit's package and path come from SORTED_SET doc values
 * ({@code pkg.*}, {@code file.path}), read in doc order per segment, so answering never decompresses
 * a stored document; only the per-package lists and the recursive walk read stored fields.
 *
 * <p>One instance holds one point-in-time reader; it is safe for concurrent reads.
 */
public final class CapabilityIndex implements AutoCloseable {
    private final IndexSnapshot snapshot;
    private final Path dir;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    private CapabilityIndex(IndexSnapshot snapshot) {
        this.snapshot = snapshot;
        this.dir = snapshot.dir();
        this.reader = snapshot.reader();
        this.searcher = new IndexSearcher(reader);
    }

    /** Opens the newest commit of the index at {@code dir} ({@link IndexSnapshot#open}). */
    public static CapabilityIndex open(Path dir) throws IndexException {
        return new CapabilityIndex(IndexSnapshot.open(dir));
    }

    public Path dir() {
        return dir;
    }

    /** The architectures of the indexed packages, sorted: what an --arch value must be one of. */
    public List<String> arches() throws IndexException {
        List<String> out = new ArrayList<>();
        try {
            Terms terms = MultiTerms.getTerms(reader, Schema.PKG_ARCH);
            if (terms != null) {
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    if (searcher.count(new TermQuery(new Term(Schema.PKG_ARCH, BytesRef.deepCopyOf(t)))) > 0) {
                        out.add(t.utf8ToString()); // deleted documents keep their terms until a merge
                    }
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return out;
    }

    /** The labels of the indexed packages, bytewise; "-" stands for packages without one. */
    public List<String> labels() throws IndexException {
        List<String> out = new ArrayList<>();
        try {
            Terms terms = MultiTerms.getTerms(reader, Schema.PKG_LABEL);
            if (terms != null) {
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    if (searcher.count(new TermQuery(new Term(Schema.PKG_LABEL, BytesRef.deepCopyOf(t)))) > 0) {
                        out.add(t.utf8ToString());
                    }
                }
            }
            Query pkgs = Schema.kind(Schema.KIND_PACKAGE);
            long labelled = searcher.count(new BooleanQuery.Builder().add(pkgs, BooleanClause.Occur.FILTER)
                    .add(new org.apache.lucene.search.FieldExistsQuery(Schema.PKG_LABEL), BooleanClause.Occur.FILTER)
                    .build());
            if (searcher.count(pkgs) > labelled) {
                out.add(0, QueryFilter.UNLABELED);
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return out;
    }

    /** Whether some indexed package is built from source package {@code name}. */
    public boolean hasSource(String name) throws IndexException {
        try {
            return searcher.count(new TermQuery(new Term(Schema.PKG_SOURCE, name))) > 0;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** The commit this index answers from: its stamp and the state of the run that made it. */
    public IndexSnapshot snapshot() {
        return snapshot;
    }

    /** The open reader, for the other read-side views of this package (IndexArchiveView). */
    DirectoryReader reader() {
        return reader;
    }

    // ---- whatprovides / whatrequires -------------------------------------------------------------

    /** Every file (and rpm header) providing a capability matched by {@code pattern}, in tsv order. */
    public List<CapabilityHit> whoProvides(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        return matching(Schema.PROV, pattern, filter);
    }

    /** Every file (and rpm header) requiring a capability matched by {@code pattern}, in tsv order. */
    public List<CapabilityHit> whoRequires(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        return matching(Schema.REQ, pattern, filter);
    }

    private List<CapabilityHit> matching(String base, CapabilityPattern pattern, QueryFilter filter)
            throws IndexException {
        try {
            List<CapabilityHit> out = new ArrayList<>();
            for (LeafReaderContext leaf : reader.leaves()) {
                List<RawHit> raw = new ArrayList<>();
                Bits live = leaf.reader().getLiveDocs();
                for (String field : leafScopedFields(leaf.reader(), base)) {
                    Terms terms = leaf.reader().terms(field);
                    if (terms == null) {
                        continue;
                    }
                    String scope = Schema.scopeOfField(base, field).orElseThrow();
                    // The automaton walks the dictionary (seeking past non-matching blocks); for an exact
                    // capability this is a single seekExact.
                    TermsEnum te = pattern.compiled().getTermsEnum(terms);
                    PostingsEnum pe = null;
                    for (BytesRef t = te.next(); t != null; t = te.next()) {
                        String cap = t.utf8ToString();
                        pe = te.postings(pe, PostingsEnum.NONE);
                        collect(pe, live, scope, cap, raw);
                    }
                }
                new LeafRows(leaf.reader()).resolve(raw, filter, out);
            }
            out.sort(CapabilityHit.ORDER);
            return out;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    // ---- whatrequires --recursive ------------------------------------------------------------------

    /**
     * Who requires {@code pattern}, then who requires what those packages provide, and so on, breadth
     * first, each package once. A provide of scope S is looked up among the requirements of S (an
     * rpm {@code noarch} package's declared provides, scope {@code any}, among every scope's).
     * Packages the filter rejects are neither shown nor followed.
     */
    public RequirerTree whoRequiresRecursive(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        try {
            Map<String, Builder> nodes = new HashMap<>();
            Map<String, Builder> level = new TreeMap<>();
            for (CapabilityHit h : whoRequires(pattern, filter)) {
                level.computeIfAbsent(h.pkg().file(), k -> new Builder(h.pkg(), 1)).via.add(h);
            }
            List<Builder> roots = sorted(level.values());
            roots.forEach(b -> nodes.put(b.pkg.file(), b));
            List<Builder> frontier = roots;
            int depth = roots.isEmpty() ? 0 : 1;
            while (!frontier.isEmpty()) {
                // (scope, capability) → the frontier packages providing it, in package order.
                Map<String, Map<String, List<Builder>>> provided = new TreeMap<>();
                for (Builder b : frontier) {
                    for (Map.Entry<String, Set<String>> e : scopedProvides(b.pkg.file()).entrySet()) {
                        Map<String, List<Builder>> caps = provided.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                        for (String c : e.getValue()) {
                            caps.computeIfAbsent(c, k -> new ArrayList<>()).add(b);
                        }
                    }
                }
                Map<String, Set<String>> wanted = new TreeMap<>();
                provided.forEach((scope, caps) -> wanted.put(scope, caps.keySet()));
                // child package file → parent → the child's requirements that parent provides
                Map<String, TreeMap<Builder, List<CapabilityHit>>> found = new TreeMap<>();
                Map<String, IndexedPackage> childPkgs = new HashMap<>();
                for (CapabilityHit h : requirersOf(wanted, filter)) {
                    if (nodes.containsKey(h.pkg().file())) {
                        continue; // already in the tree, at this level or above
                    }
                    childPkgs.putIfAbsent(h.pkg().file(), h.pkg());
                    TreeMap<Builder, List<CapabilityHit>> byParent = found.computeIfAbsent(h.pkg().file(),
                            k -> new TreeMap<>((a, b) -> IndexedPackage.ORDER.compare(a.pkg, b.pkg)));
                    for (Map.Entry<String, Map<String, List<Builder>>> e : provided.entrySet()) {
                        boolean scopeMatches = Satisfaction.satisfies(e.getKey(), h.scope());
                        List<Builder> parents = scopeMatches ? e.getValue().get(h.capability()) : null;
                        if (parents != null) {
                            for (Builder p : parents) {
                                byParent.computeIfAbsent(p, k -> new ArrayList<>()).add(h);
                            }
                        }
                    }
                }
                depth += found.isEmpty() ? 0 : 1;
                List<Builder> next = new ArrayList<>();
                for (Map.Entry<String, TreeMap<Builder, List<CapabilityHit>>> e : found.entrySet()) {
                    Builder child = new Builder(childPkgs.get(e.getKey()), depth);
                    Map.Entry<Builder, List<CapabilityHit>> first = e.getValue().firstEntry();
                    child.via.addAll(first.getValue());
                    first.getKey().children.add(child);
                    nodes.put(e.getKey(), child);
                    next.add(child);
                }
                frontier = sorted(next);
            }
            return new RequirerTree(pattern.text(), roots.stream().map(Builder::build).toList(), nodes.size(), depth);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private static List<Builder> sorted(java.util.Collection<Builder> bs) {
        List<Builder> l = new ArrayList<>(bs);
        l.sort((a, b) -> IndexedPackage.ORDER.compare(a.pkg, b.pkg));
        return l;
    }

    /** Mutable while the tree grows; {@link #build} freezes it. */
    private static final class Builder {
        final IndexedPackage pkg;
        int depth;
        final List<CapabilityHit> via = new ArrayList<>();
        final List<Builder> children = new ArrayList<>();

        Builder(IndexedPackage pkg, int depth) {
            this.pkg = pkg;
            this.depth = depth;
        }

        RequirerTree.Node build() {
            List<CapabilityHit> v = new ArrayList<>(via);
            v.sort(CapabilityHit.ORDER);
            List<Builder> c = new ArrayList<>(children);
            c.sort((a, b) -> IndexedPackage.ORDER.compare(a.pkg, b.pkg));
            return new RequirerTree.Node(pkg, depth, v, c.stream().map(Builder::build).toList());
        }
    }

    /**
     * What one package provides, per scope: its ELF files' provides (plus rtld(GNU_HASH) on a glibc
     * loader, as the prov terms hold it) and, for rpm, its declared provide names in its arch's scope.
     */
    private Map<String, Set<String>> scopedProvides(String packageFile) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        StoredFields stored = searcher.storedFields();
        Set<String> fields = Set.of(Schema.SCOPE, Schema.FILE_PATH, Schema.FILE_PROVIDES, Schema.DECL_PROVIDES,
                Schema.PKG_ARCH);
        Query q = new TermQuery(Schema.packageTerm(packageFile));
        for (ScoreDoc sd : searcher.search(q, Math.max(1, searcher.count(q))).scoreDocs) {
            Document d = stored.document(sd.doc, fields);
            if (d.get(Schema.FILE_PATH) != null) {
                Set<String> caps = out.computeIfAbsent(d.get(Schema.SCOPE), k -> new TreeSet<>());
                List<String> provides = List.of(d.getValues(Schema.FILE_PROVIDES));
                caps.addAll(provides);
                if (Satisfaction.providesRtld(provides)) {
                    caps.add(Satisfaction.RTLD_GNU_HASH);
                }
            } else if (d.getValues(Schema.DECL_PROVIDES).length > 0) {
                Set<String> caps = out.computeIfAbsent(Schema.scopeOfArch(d.get(Schema.PKG_ARCH)), k -> new TreeSet<>());
                for (String c : d.getValues(Schema.DECL_PROVIDES)) {
                    caps.add(declaredName(c));
                }
            }
        }
        return out;
    }

    /**
     * Every file (and rpm header) requiring one of {@code caps} (scope → sorted capabilities): a
     * seekExact per capability in that scope's {@code req:} dictionary; scope {@code any} in all.
     */
    private List<CapabilityHit> requirersOf(Map<String, Set<String>> caps, QueryFilter filter) throws IOException {
        List<CapabilityHit> out = new ArrayList<>();
        Set<String> anyScope = caps.getOrDefault(Schema.SCOPE_ANY, Set.of());
        for (LeafReaderContext leaf : reader.leaves()) {
            List<RawHit> raw = new ArrayList<>();
            Bits live = leaf.reader().getLiveDocs();
            for (String field : leafScopedFields(leaf.reader(), Schema.REQ)) {
                String scope = Schema.scopeOfField(Schema.REQ, field).orElseThrow();
                TreeSet<String> wanted = new TreeSet<>(caps.getOrDefault(scope, Set.of()));
                wanted.addAll(anyScope);
                if (scope.equals(Schema.SCOPE_ANY)) {
                    caps.values().forEach(wanted::addAll); // a noarch header's requirement, met in any scope
                }
                if (wanted.isEmpty()) {
                    continue;
                }
                Terms terms = leaf.reader().terms(field);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = terms.iterator();
                PostingsEnum pe = null;
                for (String c : wanted) {
                    if (te.seekExact(new BytesRef(c))) {
                        pe = te.postings(pe, PostingsEnum.NONE);
                        collect(pe, live, scope, c, raw);
                    }
                }
            }
            new LeafRows(leaf.reader()).resolve(raw, filter, out);
        }
        out.sort(CapabilityHit.ORDER);
        return out;
    }

    /** The name of a declared dependency as DocumentMapper stores it ({@code name} or {@code name OP evr}). */
    static String declaredName(String formatted) {
        return org.symdex.index.DocumentMapper.declaredName(formatted);
    }

    // ---- provides PKG / requires PKG ---------------------------------------------------------------

    /** The indexed packages the selector names (and the filter accepts), in package order. */
    public List<IndexedPackage> packages(PackageSelector selector, QueryFilter filter) throws IndexException {
        try {
            BooleanQuery.Builder q = new BooleanQuery.Builder()
                    .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(Schema.PKG_NAME, selector.name())), BooleanClause.Occur.FILTER);
            if (selector.version() != null) {
                q.add(new TermQuery(new Term(Schema.PKG_EVR, selector.version())), BooleanClause.Occur.FILTER);
            }
            if (selector.arch() != null) {
                q.add(new TermQuery(new Term(Schema.PKG_ARCH, selector.arch())), BooleanClause.Occur.FILTER);
            }
            Query query = q.build();
            List<IndexedPackage> out = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc sd : searcher.search(query, Math.max(1, searcher.count(query))).scoreDocs) {
                IndexedPackage p = packageOf(stored.document(sd.doc));
                if (filter.accepts(p)) {
                    out.add(p);
                }
            }
            out.sort(IndexedPackage.ORDER);
            return out;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** Each selected package's provides: its ELF files' (elfdeps') and, for rpm, the header's. */
    public List<PackageLists> provides(PackageSelector selector, QueryFilter filter) throws IndexException {
        return lists(selector, filter, Schema.FILE_PROVIDES, Schema.DECL_PROVIDES);
    }

    /** Each selected package's requires: its ELF files' (elfdeps') and, for rpm, the header's. */
    public List<PackageLists> requires(PackageSelector selector, QueryFilter filter) throws IndexException {
        return lists(selector, filter, Schema.FILE_REQUIRES, Schema.DECL_REQUIRES);
    }

    private List<PackageLists> lists(PackageSelector selector, QueryFilter filter, String fileField, String declField)
            throws IndexException {
        try {
            List<PackageLists> out = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (IndexedPackage p : packages(selector, filter)) {
                Query q = new TermQuery(Schema.packageTerm(p.file()));
                String format = "";
                List<CapabilityHit> entries = new ArrayList<>();
                for (ScoreDoc sd : searcher.search(q, Math.max(1, searcher.count(q))).scoreDocs) {
                    Document d = stored.document(sd.doc, Set.of(Schema.FILE_PATH, Schema.SCOPE, Schema.PKG_FORMAT,
                            fileField, declField));
                    String path = d.get(Schema.FILE_PATH);
                    if (path != null) {
                        for (String c : d.getValues(fileField)) {
                            entries.add(new CapabilityHit(p, path, d.get(Schema.SCOPE), c));
                        }
                    } else {
                        format = d.get(Schema.PKG_FORMAT) == null ? format : d.get(Schema.PKG_FORMAT);
                        String scope = Schema.scopeOfArch(p.arch());
                        for (String c : d.getValues(declField)) {
                            entries.add(new CapabilityHit(p, null, scope, c));
                        }
                    }
                }
                entries.sort(CapabilityHit.ORDER);
                out.add(new PackageLists(p, format, dedupe(entries)));
            }
            return out;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** The header may list one dependency twice (same name, flags, version): one line is enough. */
    private static List<CapabilityHit> dedupe(List<CapabilityHit> sorted) {
        List<CapabilityHit> out = new ArrayList<>(sorted.size());
        for (CapabilityHit h : sorted) {
            if (out.isEmpty() || CapabilityHit.ORDER.compare(out.get(out.size() - 1), h) != 0) {
                out.add(h);
            }
        }
        return out;
    }

    // ---- broken ------------------------------------------------------------------------------------

    /**
     * Every requirement nothing in the index satisfies. For each scope S, the sorted {@code req:S}
     * dictionary is walked once while {@code prov:S} and {@code prov:any} are probed with seekExact in
     * the same (ascending) order, so the probes move forward through those dictionaries like a merge.
     * No document is read for a satisfied requirement; for the unsatisfied terms alone the postings
     * are read and the packages named from doc values. A declared rpm requirement is judged only
     * when it is elfdeps-shaped ({@link Satisfaction#isJudged}); an ELF file's requirement always is.
     */
    public BrokenReport broken(QueryFilter filter) throws IndexException {
        try {
            Bits liveAll = MultiBits.getLiveDocs(reader);
            List<String> reqFields = Schema.scopedFields(reader, Schema.REQ);
            List<String> provFields = Schema.scopedFields(reader, Schema.PROV);
            Map<String, List<BytesRef>> unsatisfied = new TreeMap<>();
            List<String> scopes = new ArrayList<>();
            long checked = 0;
            long missing = 0;
            for (String reqField : reqFields) {
                String scope = Schema.scopeOfField(Schema.REQ, reqField).orElseThrow();
                scopes.add(scope);
                Terms req = MultiTerms.getTerms(reader, reqField);
                if (req == null) {
                    continue;
                }
                List<TermsEnum> provs = new ArrayList<>();
                for (String pf : provFields) {
                    String ps = Schema.scopeOfField(Schema.PROV, pf).orElseThrow();
                    if (Satisfaction.satisfies(ps, scope)) {
                        Terms t = MultiTerms.getTerms(reader, pf);
                        if (t != null) {
                            provs.add(t.iterator());
                        }
                    }
                }
                TermsEnum te = req.iterator();
                PostingsEnum pe = null;
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    if (liveAll != null) {
                        pe = te.postings(pe, PostingsEnum.NONE);
                        if (!anyLive(pe, liveAll)) {
                            continue; // only deleted documents still hold the term, until a merge
                        }
                    }
                    checked++;
                    if (!satisfied(t, provs, liveAll)) {
                        missing++;
                        unsatisfied.computeIfAbsent(scope, k -> new ArrayList<>()).add(BytesRef.deepCopyOf(t));
                    }
                }
            }
            Map<String, List<CapabilityHit>> byPackage = new HashMap<>();
            Map<String, IndexedPackage> packages = new HashMap<>();
            for (LeafReaderContext leaf : reader.leaves()) {
                List<RawHit> raw = new ArrayList<>();
                Bits live = leaf.reader().getLiveDocs();
                for (Map.Entry<String, List<BytesRef>> e : unsatisfied.entrySet()) {
                    Terms terms = leaf.reader().terms(Schema.scoped(Schema.REQ, e.getKey()));
                    if (terms == null) {
                        continue;
                    }
                    TermsEnum te = terms.iterator();
                    PostingsEnum pe = null;
                    for (BytesRef t : e.getValue()) {
                        if (te.seekExact(t)) {
                            pe = te.postings(pe, PostingsEnum.NONE);
                            collect(pe, live, e.getKey(), t.utf8ToString(), raw);
                        }
                    }
                }
                List<CapabilityHit> hits = new ArrayList<>();
                new LeafRows(leaf.reader()).resolve(raw, filter, hits);
                for (CapabilityHit h : hits) {
                    if (h.declared() && !Satisfaction.isJudged(h.capability())) {
                        continue; // rpmlib(), file and scriptlet requirements are not ours to judge
                    }
                    packages.putIfAbsent(h.pkg().file(), h.pkg());
                    byPackage.computeIfAbsent(h.pkg().file(), k -> new ArrayList<>()).add(h);
                }
            }
            List<BrokenReport.BrokenPackage> out = new ArrayList<>();
            for (Map.Entry<String, List<CapabilityHit>> e : byPackage.entrySet()) {
                List<CapabilityHit> hits = e.getValue();
                hits.sort(CapabilityHit.ORDER);
                out.add(new BrokenReport.BrokenPackage(packages.get(e.getKey()), hits));
            }
            out.sort((a, b) -> IndexedPackage.ORDER.compare(a.pkg(), b.pkg()));
            return new BrokenReport(out, scopes, checked, missing);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private static boolean satisfied(BytesRef t, List<TermsEnum> provs, Bits liveAll) throws IOException {
        PostingsEnum pe = null;
        for (TermsEnum p : provs) {
            if (p.seekExact(t)) {
                if (liveAll == null) {
                    return true;
                }
                pe = p.postings(pe, PostingsEnum.NONE);
                if (anyLive(pe, liveAll)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyLive(PostingsEnum pe, Bits live) throws IOException {
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live.get(d)) {
                return true;
            }
        }
        return false;
    }

    // ---- shared ------------------------------------------------------------------------------------

    /** A posting: document (leaf-relative), the scope of the field and the matched term. */
    private record RawHit(int doc, String scope, String capability) {
    }

    private static void collect(PostingsEnum pe, Bits live, String scope, String cap, List<RawHit> out)
            throws IOException {
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live == null || live.get(d)) {
                out.add(new RawHit(d, scope, cap));
            }
        }
    }

    /** The scoped fields of one segment (a segment may lack a scope another has). */
    private static List<String> leafScopedFields(LeafReader r, String base) {
        List<String> out = new ArrayList<>();
        for (FieldInfo fi : r.getFieldInfos()) {
            if (Schema.scopeOfField(base, fi.name).isPresent()) {
                out.add(fi.name);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Names the documents of one segment from SORTED_SET doc values, which must be read in doc order:
     * the hits are sorted by doc first, and a document hit by several terms is named once.
     */
    private static final class LeafRows {
        private final SortedSetDocValues name;
        private final SortedSetDocValues evr;
        private final SortedSetDocValues arch;
        private final SortedSetDocValues source;
        private final SortedSetDocValues label;
        private final SortedSetDocValues file;
        private final SortedSetDocValues path;

        LeafRows(LeafReader r) throws IOException {
            name = DocValues.getSortedSet(r, Schema.PKG_NAME);
            evr = DocValues.getSortedSet(r, Schema.PKG_EVR);
            arch = DocValues.getSortedSet(r, Schema.PKG_ARCH);
            source = DocValues.getSortedSet(r, Schema.PKG_SOURCE);
            label = DocValues.getSortedSet(r, Schema.PKG_LABEL);
            file = DocValues.getSortedSet(r, Schema.PKG_FILE);
            path = DocValues.getSortedSet(r, Schema.FILE_PATH);
        }

        void resolve(List<RawHit> raw, QueryFilter filter, List<CapabilityHit> out) throws IOException {
            if (raw.isEmpty()) {
                return;
            }
            RawHit[] hits = raw.toArray(new RawHit[0]);
            Arrays.sort(hits, (a, b) -> Integer.compare(a.doc(), b.doc()));
            int lastDoc = -1;
            IndexedPackage pkg = null;
            String filePath = null;
            Map<String, IndexedPackage> seen = new HashMap<>();
            for (RawHit h : hits) {
                if (h.doc() != lastDoc) {
                    lastDoc = h.doc();
                    IndexedPackage p = new IndexedPackage(value(name, lastDoc), value(evr, lastDoc),
                            value(arch, lastDoc), value(source, lastDoc), values(label, lastDoc), value(file, lastDoc));
                    pkg = seen.computeIfAbsent(p.file(), k -> p);
                    filePath = value(path, lastDoc);
                }
                if (filter.accepts(pkg)) {
                    out.add(new CapabilityHit(pkg, filePath, h.scope(), h.capability()));
                }
            }
        }

        /** Every value of a multi-valued field (labels), in term order, which is bytewise. */
        private static List<String> values(SortedSetDocValues dv, int doc) throws IOException {
            if (!dv.advanceExact(doc)) {
                return List.of();
            }
            List<String> out = new ArrayList<>(dv.docValueCount());
            for (int i = 0; i < dv.docValueCount(); i++) {
                out.add(dv.lookupOrd(dv.nextOrd()).utf8ToString());
            }
            return out;
        }

        private static String value(SortedSetDocValues dv, int doc) throws IOException {
            if (!dv.advanceExact(doc)) {
                return null;
            }
            return dv.lookupOrd(dv.nextOrd()).utf8ToString();
        }
    }

    private IndexedPackage packageOf(Document d) {
        return new IndexedPackage(d.get(Schema.PKG_NAME), d.get(Schema.PKG_EVR), d.get(Schema.PKG_ARCH),
                d.get(Schema.PKG_SOURCE), org.symdex.index.PackageStamp.sortedLabels(List.of(d.getValues(Schema.PKG_LABEL))),
                d.get(Schema.PKG_FILE));
    }

    private IndexException readFailure(IOException e) {
        return new IndexException("cannot read index " + dir + ": " + e.getMessage(), e);
    }

    @Override
    public void close() throws IndexException {
        snapshot.close();
    }
}
