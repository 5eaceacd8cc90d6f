package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;
import org.symdex.scan.MergedUsr;

/**
 * whatprovides PATH: the files whose installed path, or whose package's symlink to them, is the path
 * (or its merged-/usr twin). An exact path is two seeks per dictionary ({@code file.path},
 * {@code file.link}); a glob walks both dictionaries, each term tried as itself and as its twin (the twin
 * of a glob is not a glob). The hit's capability is the indexed path that matched.
 */
final class PathLookup {
    private final IndexSnapshot snapshot;

    PathLookup(IndexSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    List<CapabilityHit> matching(PathPattern pattern, QueryFilter filter) throws IndexException {
        try {
            List<CapabilityHit> out = new ArrayList<>();
            for (LeafReaderContext leaf : snapshot.reader().leaves()) {
                LeafReader r = leaf.reader();
                Bits live = r.getLiveDocs();
                // doc → the indexed paths it matched by
                Map<Integer, List<String>> matched = new TreeMap<>();
                for (String field : List.of(Schema.FILE_PATH, Schema.FILE_LINK)) {
                    Terms terms = r.terms(field);
                    if (terms == null) {
                        continue;
                    }
                    TermsEnum te = terms.iterator();
                    PostingsEnum pe = null;
                    String literal = pattern.literal();
                    if (literal != null) {
                        String twin = MergedUsr.twin(literal);
                        for (String p : twin == null ? List.of(literal) : List.of(literal, twin)) {
                            if (te.seekExact(new BytesRef(p))) {
                                pe = collect(te, pe, live, p, matched);
                            }
                        }
                    } else {
                        for (BytesRef t = te.next(); t != null; t = te.next()) {
                            String p = t.utf8ToString();
                            if (pattern.matches(p)) {
                                pe = collect(te, pe, live, p, matched);
                            }
                        }
                    }
                }
                if (matched.isEmpty()) {
                    continue;
                }
                SortedSetDocValues scopes = DocValues.getSortedSet(r, Schema.SCOPE);
                List<Hits.RawHit> raw = new ArrayList<>();
                for (Map.Entry<Integer, List<String>> e : matched.entrySet()) {
                    String scope = scopes.advanceExact(e.getKey()) ? scopes.lookupOrd(scopes.nextOrd()).utf8ToString() : "";
                    for (String p : e.getValue()) {
                        raw.add(new Hits.RawHit(e.getKey(), scope, p));
                    }
                }
                new Hits.LeafRows(r).resolve(raw, filter, out);
            }
            out.sort(CapabilityHit.ORDER);
            return out;
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    private static PostingsEnum collect(TermsEnum te, PostingsEnum pe, Bits live, String path,
                                        Map<Integer, List<String>> matched) throws IOException {
        pe = te.postings(pe, PostingsEnum.NONE);
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live == null || live.get(d)) {
                matched.computeIfAbsent(d, k -> new ArrayList<>()).add(path);
            }
        }
        return pe;
    }
}
