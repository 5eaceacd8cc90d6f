package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Comparator;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;
import org.symdex.index.SymbolTable;

/**
 * whatimports and whatexports (issue 16, item 2): a {@link SymbolPattern} run over each scope's
 * {@code ref:S} or {@code def:S} dictionary through {@link CapabilityLookup}, so the hits are named from doc
 * values as every other answer is; the hit's capability is the symbol term ({@code name@V},
 * {@code name@@V} or {@code name}). The rest of a symbol (binding, type, the Verneed file) is in the
 * stored symbol table, read only when asked ({@link #details}): tsv and text never decompress a document.
 */
final class SymbolLookup {
    private final IndexSnapshot snapshot;
    private final IndexSearcher searcher;

    SymbolLookup(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.searcher = searcher;
    }

    List<CapabilityHit> matching(boolean exports, SymbolPattern pattern, QueryFilter filter) throws IndexException {
        return new CapabilityLookup(snapshot, searcher).matching(exports ? Schema.SYM_DEF : Schema.SYM_REF,
                pattern.compiled(exports), filter);
    }

    /**
     * For each hit, the symbol its term stands for (the first of that name and version in the file's
     * table, defined for exports, undefined for imports), in the hits' order, or null. Imports come from
     * the {@link Schema#SYM_REF_FACTS} postings ({@link #importFacts}); exports, and any import those do
     * not hold, from the stored tables ({@link #storedTables}).
     */
    List<SymbolTable.Symbol> details(List<CapabilityHit> hits, boolean exports) throws IndexException {
        Map<String, Map<String, SymbolTable.Symbol>> byFile = new HashMap<>();
        List<CapabilityHit> unread = hits;
        if (!exports) {
            importFacts(hits, byFile);
            unread = hits.stream().filter(h -> find(byFile, h) == null).toList();
        }
        storedTables(unread, exports, byFile);
        return hits.stream().map(h -> find(byFile, h)).toList();
    }

    /** {@link #details} from the stored tables alone: what the facts terms must agree with (tests). */
    List<SymbolTable.Symbol> detailsFromStoredTables(List<CapabilityHit> hits, boolean exports) throws IndexException {
        Map<String, Map<String, SymbolTable.Symbol>> byFile = new HashMap<>();
        storedTables(hits, exports, byFile);
        return hits.stream().map(h -> find(byFile, h)).toList();
    }

    /** A facts posting: a live document (leaf-relative), the symbol term, its facts. */
    private record Fact(int doc, String term, SymbolTable.Symbol symbol) {
    }

    /**
     * How many wanted terms make reading a segment's whole facts dictionary cheaper than seeking to each:
     * a seek in the block tree costs about as much as this many {@code next()} calls.
     */
    private static final int SEEK_COST = 16;

    /** The live postings of the facts term {@code te} is on, as facts of {@code term}. */
    private static PostingsEnum collect(TermsEnum te, PostingsEnum reuse, Bits live, String term, List<Fact> out)
            throws IOException, IndexException {
        SymbolTable.Symbol f = SymbolTable.ofFactsTerm(te.term().utf8ToString()); // once per term, not per file
        PostingsEnum pe = te.postings(reuse, PostingsEnum.NONE);
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live == null || live.get(d)) {
                out.add(new Fact(d, term, f));
            }
        }
        return pe;
    }

    /** The symbol term of a facts term: its bytes before the first NUL. */
    private static String termOfFacts(BytesRef t) {
        int end = t.offset;
        while (end < t.offset + t.length && t.bytes[end] != 0) {
            end++;
        }
        return new BytesRef(t.bytes, t.offset, end - t.offset).utf8ToString();
    }

    private static SymbolTable.Symbol find(Map<String, Map<String, SymbolTable.Symbol>> byFile, CapabilityHit h) {
        Map<String, SymbolTable.Symbol> terms = byFile.get(fileKey(h.pkg().file(), h.path()));
        return terms == null ? null : terms.get(h.capability());
    }

    private static String fileKey(String packageFile, String path) {
        return packageFile + "\u0000" + path;
    }

    /**
     * The hits' symbols from their files' stored tables: one stored read per file that has hits (the
     * package's other files are not read), only the wanted symbols kept. A stored table holds the file's
     * exports and imports together, so reading an import decompresses a library's every export.
     */
    private void storedTables(List<CapabilityHit> hits, boolean exports,
                              Map<String, Map<String, SymbolTable.Symbol>> byFile) throws IndexException {
        Map<String, Map<String, Set<String>>> byPackage = new LinkedHashMap<>();
        hits.forEach(h -> byPackage.computeIfAbsent(h.pkg().file(), k -> new HashMap<>())
                .computeIfAbsent(h.path(), k -> new HashSet<>()).add(h.capability()));
        try {
            StoredFields stored = searcher.storedFields();
            for (Map.Entry<String, Map<String, Set<String>>> pkg : byPackage.entrySet()) {
                Map<String, Set<String>> wantedByPath = pkg.getValue();
                List<BytesRef> paths = new ArrayList<>();
                wantedByPath.keySet().forEach(p -> paths.add(new BytesRef(p)));
                Query q = new BooleanQuery.Builder()
                        .add(new TermQuery(Schema.packageTerm(pkg.getKey())), BooleanClause.Occur.FILTER)
                        .add(new TermInSetQuery(Schema.FILE_PATH, paths), BooleanClause.Occur.FILTER)
                        .build();
                for (ScoreDoc sd : searcher.search(q, Math.max(1, searcher.count(q))).scoreDocs) {
                    Document d = stored.document(sd.doc, Set.of(Schema.FILE_PATH, Schema.SYMBOL_TABLE));
                    String path = d.get(Schema.FILE_PATH);
                    BytesRef b = d.getBinaryValue(Schema.SYMBOL_TABLE);
                    Set<String> wanted = path == null ? null : wantedByPath.get(path);
                    if (wanted == null || b == null) {
                        continue;
                    }
                    Map<String, SymbolTable.Symbol> terms = byFile.computeIfAbsent(fileKey(pkg.getKey(), path),
                            k -> new HashMap<>());
                    for (SymbolTable.Symbol s : SymbolTable.Packed.of(b.bytes, b.offset, b.length).all(exports)) {
                        String term = s.versionedName();
                        if (wanted.contains(term)) {
                            terms.putIfAbsent(term, s);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    /**
     * The imports' details from the {@link Schema#SYM_REF_FACTS} postings: for each scope and term hit, the
     * facts terms under its prefix (a handful: the version index differs between files), their documents
     * named from doc values as {@link Hits} names them; no stored document is read. Fills {@code byFile}
     * ({@code PACKAGE-FILE NUL PATH} to term to symbol) for the hits' files only.
     */
    private void importFacts(List<CapabilityHit> hits, Map<String, Map<String, SymbolTable.Symbol>> byFile)
            throws IndexException {
        Map<String, Set<String>> wanted = new HashMap<>(); // file key -> terms wanted there
        Map<String, Set<String>> termsByScope = new HashMap<>(); // scope -> terms, sorted: seeks go forward
        for (CapabilityHit h : hits) {
            if (h.path() != null) {
                wanted.computeIfAbsent(fileKey(h.pkg().file(), h.path()), k -> new HashSet<>()).add(h.capability());
                termsByScope.computeIfAbsent(h.scope(), k -> new java.util.TreeSet<>()).add(h.capability());
            }
        }
        try {
            for (LeafReaderContext leaf : snapshot.reader().leaves()) {
                List<Fact> facts = new ArrayList<>();
                Bits live = leaf.reader().getLiveDocs();
                for (Map.Entry<String, Set<String>> scope : termsByScope.entrySet()) {
                    Terms terms = leaf.reader().terms(Schema.scoped(Schema.SYM_REF_FACTS, scope.getKey()));
                    if (terms == null) {
                        continue;
                    }
                    TermsEnum te = terms.iterator();
                    PostingsEnum pe = null;
                    Set<String> want = scope.getValue();
                    if (terms.size() >= 0 && (long) want.size() * SEEK_COST > terms.size()) {
                        // A broad glob: one pass over the dictionary beats a seek per wanted term per segment
                        // (whatimports '*' on the libs section: about a million terms, 26 segments).
                        String last = null;
                        boolean hit = false;
                        for (BytesRef t = te.next(); t != null; t = te.next()) {
                            String term = termOfFacts(t);
                            if (!term.equals(last)) {
                                last = term;
                                hit = want.contains(term);
                            }
                            if (hit) {
                                pe = collect(te, pe, live, term, facts);
                            }
                        }
                        continue;
                    }
                    for (String term : want) {
                        BytesRef prefix = new BytesRef(SymbolTable.factsPrefix(term));
                        if (te.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
                            continue;
                        }
                        for (BytesRef t = te.term(); t != null && StringHelper.startsWith(t, prefix); t = te.next()) {
                            pe = collect(te, pe, live, term, facts);
                        }
                    }
                }
                if (facts.isEmpty()) {
                    continue;
                }
                facts.sort(Comparator.comparingInt(Fact::doc)); // doc values are read forward
                SortedSetDocValues file = DocValues.getSortedSet(leaf.reader(), Schema.PKG_FILE);
                SortedSetDocValues path = DocValues.getSortedSet(leaf.reader(), Schema.FILE_PATH);
                int lastDoc = -1;
                String key = null;
                for (Fact f : facts) {
                    if (f.doc() != lastDoc) {
                        lastDoc = f.doc();
                        key = file.advanceExact(lastDoc) && path.advanceExact(lastDoc)
                                ? fileKey(file.lookupOrd(file.nextOrd()).utf8ToString(),
                                        path.lookupOrd(path.nextOrd()).utf8ToString())
                                : null;
                    }
                    Set<String> want = key == null ? null : wanted.get(key);
                    if (want != null && want.contains(f.term())) {
                        byFile.computeIfAbsent(key, k -> new HashMap<>()).putIfAbsent(f.term(), f.symbol());
                    }
                }
            }
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

}
