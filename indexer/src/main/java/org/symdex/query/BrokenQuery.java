package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.symdex.cap.Satisfaction;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/**
 * broken: a merge of each scope's sorted requirement dictionary against the provide dictionaries that
 * satisfy it (cap.Satisfaction), documents read only for what nothing satisfies.
 */
final class BrokenQuery {
    private final IndexSnapshot snapshot;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    BrokenQuery(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.reader = snapshot.reader();
        this.searcher = searcher;
    }

    /**
     * Every requirement nothing in the index satisfies. For each scope S, the sorted {@code req:S}
     * dictionary is walked once while {@code prov:S} and {@code prov:any} are probed with seekExact in
     * the same (ascending) order, so the probes move forward through those dictionaries like a merge.
     * No document is read for a satisfied requirement; for the unsatisfied terms alone the postings
     * are read and the packages named from doc values. A declared rpm requirement is judged only
     * when it is elfdeps-shaped ({@link Satisfaction#isJudged}); an ELF file's requirement always is.
     */
    BrokenReport broken(QueryFilter filter) throws IndexException {
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
                List<Hits.RawHit> raw = new ArrayList<>();
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
                            Hits.collect(pe, live, e.getKey(), t.utf8ToString(), raw);
                        }
                    }
                }
                List<CapabilityHit> hits = new ArrayList<>();
                new Hits.LeafRows(leaf.reader()).resolve(raw, filter, hits);
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


    private IndexException readFailure(IOException e) {
        return new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
