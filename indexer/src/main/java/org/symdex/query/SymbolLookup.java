package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
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
     * For each hit, the stored symbol its term stands for (the first of that name and version in the
     * file's table, defined for exports, undefined for imports), in the hits' order; one stored read per
     * file that has hits (the package's other files are not read), and only the wanted symbols kept.
     */
    List<SymbolTable.Symbol> details(List<CapabilityHit> hits, boolean exports) throws IndexException {
        Map<String, Map<String, SymbolTable.Symbol>> byFile = new HashMap<>();
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
                    Map<String, SymbolTable.Symbol> terms = new HashMap<>();
                    for (SymbolTable.Symbol s : SymbolTable.Packed.of(b.bytes, b.offset, b.length).all(exports)) {
                        String term = s.versionedName();
                        if (wanted.contains(term)) {
                            terms.putIfAbsent(term, s);
                        }
                    }
                    byFile.put(pkg.getKey() + "\u0000" + path, terms);
                }
            }
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
        List<SymbolTable.Symbol> out = new ArrayList<>(hits.size());
        for (CapabilityHit h : hits) {
            Map<String, SymbolTable.Symbol> terms = byFile.get(h.pkg().file() + "\u0000" + h.path());
            out.add(terms == null ? null : terms.get(h.capability()));
        }
        return out;
    }
}
