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
import org.apache.lucene.util.FixedBitSet;
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
     * Every requirement nothing in its universe satisfies ({@link Universes}). For each universe U
     * (the members: live documents of U's packages) and each scope S, the sorted {@code req:S}
     * dictionary is walked once while {@code prov:S} and {@code prov:any} are probed with seekExact in
     * the same (ascending) order, so the probes move forward through those dictionaries like a merge; a
     * term counts when a member holds it and is satisfied when a member provides it. No document is
     * read for a satisfied requirement; for the unsatisfied terms alone the postings are read and the
     * packages named from doc values. A declared rpm requirement is judged only when it is
     * elfdeps-shaped ({@link Satisfaction#isJudged}); an ELF file's requirement always is.
     */
    BrokenReport broken(QueryFilter filter) throws IndexException {
        try {
            Universes universes = universes(reader, filter);
            List<BrokenReport.BrokenPackage> out = new ArrayList<>();
            List<String> scopes = new ArrayList<>();
            long checked = 0;
            long missing = 0;
            for (String universe : universes.names()) {
                FixedBitSet members = members(reader, universes, universe);
                Judged j = judge(members, filter, universe);
                out.addAll(j.packages);
                checked += j.checked;
                missing += j.missing;
                for (String sc : j.scopes) {
                    if (!scopes.contains(sc)) {
                        scopes.add(sc);
                    }
                }
            }
            out.sort(java.util.Comparator.comparing(BrokenReport.BrokenPackage::universe)
                    .thenComparing(BrokenReport.BrokenPackage::pkg, IndexedPackage.ORDER));
            return new BrokenReport(out, scopes, checked, missing, universes);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private record Judged(List<BrokenReport.BrokenPackage> packages, List<String> scopes, long checked, long missing) {
    }

    /**
     * The universes of the index: from the label dictionary, and whether some package has no label;
     * with --label, the one universe its globs make.
     */
    static Universes universes(DirectoryReader reader, QueryFilter filter) throws IOException {
        List<String> labels = new ArrayList<>();
        Terms t = MultiTerms.getTerms(reader, Schema.PKG_LABEL);
        Bits live = MultiBits.getLiveDocs(reader);
        if (t != null) {
            TermsEnum te = t.iterator();
            PostingsEnum pe = null;
            for (BytesRef b = te.next(); b != null; b = te.next()) {
                pe = te.postings(pe, PostingsEnum.NONE);
                if (live == null || anyLive(pe, live)) {
                    labels.add(b.utf8ToString());
                }
            }
        }
        IndexSearcher s = new IndexSearcher(reader);
        org.apache.lucene.search.Query pkgs = Schema.kind(Schema.KIND_PACKAGE);
        long labelled = s.count(new org.apache.lucene.search.BooleanQuery.Builder()
                .add(pkgs, org.apache.lucene.search.BooleanClause.Occur.FILTER)
                .add(new org.apache.lucene.search.FieldExistsQuery(Schema.PKG_LABEL),
                        org.apache.lucene.search.BooleanClause.Occur.FILTER).build());
        return Universes.of(labels, s.count(pkgs) > labelled, filter.labels());
    }

    /** The live package and file documents of a universe's packages, by global document id. */
    static FixedBitSet members(DirectoryReader reader, Universes universes, String universe) throws IOException {
        FixedBitSet out = new FixedBitSet(Math.max(1, reader.maxDoc()));
        for (String label : universes.labels(universe)) {
            or(out, reader, Schema.PKG_LABEL, label);
        }
        if (universes.holdsUnlabeled(universe)) {
            FixedBitSet labelled = new FixedBitSet(Math.max(1, reader.maxDoc()));
            Terms t = MultiTerms.getTerms(reader, Schema.PKG_LABEL);
            if (t != null) {
                TermsEnum te = t.iterator();
                for (BytesRef b = te.next(); b != null; b = te.next()) {
                    or(labelled, reader, Schema.PKG_LABEL, b.utf8ToString());
                }
            }
            FixedBitSet docs = new FixedBitSet(Math.max(1, reader.maxDoc()));
            or(docs, reader, Schema.KIND, Schema.KIND_PACKAGE);
            or(docs, reader, Schema.KIND, Schema.KIND_FILE);
            docs.andNot(labelled);
            out.or(docs);
        }
        Bits live = MultiBits.getLiveDocs(reader);
        if (live != null) {
            for (int d = out.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS; d = d + 1 < out.length()
                    ? out.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                if (!live.get(d)) {
                    out.clear(d);
                }
            }
        }
        return out;
    }

    private static void or(FixedBitSet into, DirectoryReader reader, String field, String term) throws IOException {
        PostingsEnum pe = MultiTerms.getTermPostingsEnum(reader, field, new BytesRef(term), PostingsEnum.NONE);
        if (pe == null) {
            return;
        }
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            into.set(d);
        }
    }

    private Judged judge(FixedBitSet members, QueryFilter filter, String universe) throws IOException {
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
                pe = te.postings(pe, PostingsEnum.NONE);
                if (!anyLive(pe, members)) {
                    continue; // no package of this universe requires it (or only deleted documents do)
                }
                checked++;
                if (!satisfied(t, provs, members)) {
                    missing++;
                    unsatisfied.computeIfAbsent(scope, k -> new ArrayList<>()).add(BytesRef.deepCopyOf(t));
                }
            }
        }
        Map<String, List<CapabilityHit>> byPackage = new HashMap<>();
        Map<String, IndexedPackage> packages = new HashMap<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            List<Hits.RawHit> raw = new ArrayList<>();
            int base = leaf.docBase;
            Bits inLeaf = new Bits() {
                @Override
                public boolean get(int index) {
                    return members.get(base + index);
                }

                @Override
                public int length() {
                    return leaf.reader().maxDoc();
                }
            };
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
                        Hits.collect(pe, inLeaf, e.getKey(), t.utf8ToString(), raw);
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
            out.add(new BrokenReport.BrokenPackage(packages.get(e.getKey()), hits, universe));
        }
        return new Judged(out, scopes, checked, missing);
    }

    private static boolean satisfied(BytesRef t, List<TermsEnum> provs, Bits members) throws IOException {
        PostingsEnum pe = null;
        for (TermsEnum p : provs) {
            if (p.seekExact(t)) {
                pe = p.postings(pe, PostingsEnum.NONE);
                if (anyLive(pe, members)) {
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
