package org.symdex.query;

import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
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
    private final IndexSearcher searcher;

    /** {@link #capabilityElsewhere}/{@link #symbolElsewhere} answers: the note and the suggestions both ask. */
    private final java.util.Map<String, Boolean> elsewhere = new java.util.concurrent.ConcurrentHashMap<>();

    private CapabilityIndex(IndexSnapshot snapshot) {
        this.snapshot = snapshot;
        this.searcher = new IndexSearcher(snapshot.reader());
    }

    /** Opens the newest commit of the index at {@code dir} ({@link IndexSnapshot#open}). */
    public static CapabilityIndex open(Path dir) throws IndexException {
        return new CapabilityIndex(IndexSnapshot.open(dir));
    }

    /** Opens the commit {@code ref} names ({@code DIR} or {@code DIR@REF}). */
    public static CapabilityIndex open(org.symdex.index.IndexRef ref) throws IndexException {
        return new CapabilityIndex(IndexSnapshot.open(ref));
    }

    public Path dir() {
        return snapshot.dir();
    }

    /** The commit this index answers from: its stamp and the state of the run that made it. */
    public IndexSnapshot snapshot() {
        return snapshot;
    }

    /** The open reader, for the other read-side views of this package (IndexArchiveView). */
    DirectoryReader reader() {
        return snapshot.reader();
    }

    /** Every file (and rpm header) providing a capability matched by {@code pattern}, in tsv order. */
    public List<CapabilityHit> whoProvides(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        return new CapabilityLookup(snapshot, searcher).matching(Schema.PROV, pattern, filter);
    }

    /** Every file (and rpm header) requiring a capability matched by {@code pattern}, in tsv order. */
    public List<CapabilityHit> whoRequires(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        return new CapabilityLookup(snapshot, searcher).matching(Schema.REQ, pattern, filter);
    }

    /** The reverse-dependency tree of {@code pattern} ({@link RequirerWalk}). */
    public RequirerTree whoRequiresRecursive(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        return new RequirerWalk(snapshot, searcher).whoRequiresRecursive(pattern, filter);
    }

    /** The indexed packages the selector names (and the filter accepts), in package order. */
    public List<IndexedPackage> packages(PackageSelector selector, QueryFilter filter) throws IndexException {
        return new PackageQuery(snapshot, searcher).packages(selector, filter);
    }

    /** Each selected package's provides: its ELF files' (elfdeps') and, for rpm, the header's. */
    public List<PackageLists> provides(PackageSelector selector, QueryFilter filter) throws IndexException {
        return new PackageQuery(snapshot, searcher).provides(selector, filter);
    }

    /** Each selected package's requires: its ELF files' (elfdeps') and, for rpm, the header's. */
    public List<PackageLists> requires(PackageSelector selector, QueryFilter filter) throws IndexException {
        return new PackageQuery(snapshot, searcher).requires(selector, filter);
    }

    /** The provides ({@code true}) or requires of resolved packages ({@link #resolve}). */
    public List<PackageLists> lists(List<IndexedPackage> packages, boolean provides) throws IndexException {
        return new PackageQuery(snapshot, searcher).lists(packages, provides);
    }

    /** Every requirement nothing in the index satisfies ({@link BrokenQuery}). */
    /**
     * whatrequires --recursive judged per universe (Universes): a requirer joins the tree only through
     * a provider of its own universe. With --label (one universe), or an index of one universe, one tree.
     *
     * @return universe name → its tree, in universe order
     */
    public java.util.Map<String, RequirerTree> whoRequiresRecursiveByUniverse(CapabilityPattern pattern, QueryFilter filter)
            throws IndexException {
        Universes u;
        try {
            u = BrokenQuery.universes(snapshot.reader(), filter);
        } catch (java.io.IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
        java.util.Map<String, RequirerTree> out = new java.util.LinkedHashMap<>();
        if (!filter.labels().isEmpty() || u.names().size() <= 1) {
            out.put(u.names().isEmpty() ? Universes.UNLABELED : u.names().get(0), whoRequiresRecursive(pattern, filter));
            return out;
        }
        for (String name : u.names()) {
            List<Glob> globs = new java.util.ArrayList<>();
            for (String l : u.labels(name)) {
                globs.add(Glob.literal(l));
            }
            if (u.holdsUnlabeled(name)) {
                globs.add(Glob.of(QueryFilter.UNLABELED));
            }
            out.put(name, whoRequiresRecursive(pattern, new QueryFilter(filter.arch(), filter.notSources(), globs)));
        }
        return out;
    }

    /** The labels --by-label accounts for (ByLabel.scope). */
    public List<String> labelScope(QueryFilter filter) throws IndexException {
        try {
            return ByLabel.scope(snapshot.reader(), filter);
        } catch (java.io.IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    public BrokenReport broken(QueryFilter filter) throws IndexException {
        return new BrokenQuery(snapshot, searcher).broken(filter);
    }

    /** Whether the index holds dynamic symbols (not built with --no-symbols): whatimports and whatexports need them. */
    public boolean hasSymbols() {
        return snapshot.withSymbols();
    }

    /** Every ELF file importing ({@code exports} false) or exporting a symbol the pattern matches, in tsv order. */
    public List<CapabilityHit> whoImportsOrExports(boolean exports, SymbolPattern pattern, QueryFilter filter)
            throws IndexException {
        return new SymbolLookup(snapshot, searcher).matching(exports, pattern, filter);
    }

    /** The stored symbol behind each hit of {@link #whoImportsOrExports} (binding, type, Verneed file), in order. */
    public List<org.symdex.index.SymbolTable.Symbol> symbolDetails(List<CapabilityHit> hits, boolean exports)
            throws IndexException {
        return new SymbolLookup(snapshot, searcher).details(hits, exports);
    }

    /** The ELF files at a path (or its merged-/usr twin), or that a symlink there points to ({@link PathLookup}). */
    public List<CapabilityHit> whoShips(PathPattern pattern, QueryFilter filter) throws IndexException {
        return new PathLookup(snapshot).matching(pattern, filter);
    }

    /** The packages a package argument names, in any of the forms {@link PackageResolver} reads. */
    public List<IndexedPackage> resolve(String packageArgument, QueryFilter filter) throws IndexException {
        return new PackageResolver(snapshot, searcher).resolve(packageArgument, filter);
    }

    /** Who requires anything {@code packages} provide, their own files left out ({@link PackageUse}). */
    public List<CapabilityHit> whoUses(List<IndexedPackage> packages, QueryFilter filter) throws IndexException {
        return new PackageUse(snapshot, searcher).users(packages, filter);
    }

    /** Each package's unsatisfied requirements with the nearest facts ({@link WhyQuery}). */
    public List<WhyReport> why(List<IndexedPackage> packages) throws IndexException {
        return new WhyQuery(snapshot, searcher).why(packages);
    }

    /** Up to three near terms for a capability argument nothing matched ({@code base} PROV or REQ). */
    public List<String> suggestCapabilities(String base, String argument) throws IndexException {
        return new Suggestions(snapshot).capability(base, argument, capabilityElsewhere(base, argument));
    }

    /** Up to three near terms for a symbol argument nothing matched. */
    public List<String> suggestSymbols(boolean exports, String argument) throws IndexException {
        return new Suggestions(snapshot).symbol(exports, argument, symbolElsewhere(exports, argument));
    }

    /**
     * Whether the other question finds a capability argument nothing matched: whatrequires for
     * whatprovides' ({@code base} PROV), whatprovides for REQ; the whole index, no filter.
     */
    public boolean capabilityElsewhere(String base, String argument) throws IndexException {
        return elsewhere(base + "\u0000" + argument, () -> new Suggestions(snapshot).capabilityElsewhere(base, argument));
    }

    /** Whether the other question (whatexports for an import, whatimports for an export) finds a symbol argument. */
    public boolean symbolElsewhere(boolean exports, String argument) throws IndexException {
        return elsewhere((exports ? Schema.SYM_DEF : Schema.SYM_REF) + "\u0000" + argument,
                () -> new Suggestions(snapshot).symbolElsewhere(exports, argument));
    }

    private interface Ask {
        boolean ask() throws IndexException;
    }

    /** {@code ask}'s answer for {@code key} (the dictionary asked about, NUL, the argument), asked once. */
    private boolean elsewhere(String key, Ask ask) throws IndexException {
        Boolean known = elsewhere.get(key);
        if (known == null) {
            known = ask.ask();
            elsewhere.put(key, known);
        }
        return known;
    }

    /** The architectures of the indexed packages: what an --arch value must be one of. */
    public List<String> arches() throws IndexException {
        return new IndexFacts(snapshot, searcher).arches();
    }

    /** The labels of the indexed packages, bytewise; "-" stands for packages without one. */
    public List<String> labels() throws IndexException {
        return new IndexFacts(snapshot, searcher).labels();
    }

    /** Whether some indexed package is built from source package {@code name}. */
    public boolean hasSource(String name) throws IndexException {
        return new IndexFacts(snapshot, searcher).hasSource(name);
    }

    /** The name of a declared dependency as DocumentMapper stores it ({@code name} or {@code name OP evr}). */
    static String declaredName(String formatted) {
        return org.symdex.index.DocumentMapper.declaredName(formatted);
    }

    @Override
    public void close() throws IndexException {
        snapshot.close();
    }
}
