package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/**
 * Term lookups for reports, which ask for thousands of single terms: the live documents of one term of
 * one field (of one kind), with one terms enumerator per segment and field kept for the engine's life
 * (a fresh TermQuery per term and segment cost more than everything else a diff does), and keyword
 * values read from doc values with iterators that only go forward. Not thread-safe: one per view.
 */
final class TermPostings {
    private final IndexSnapshot snapshot;
    private final DirectoryReader reader;

    TermPostings(IndexSnapshot snapshot) {
        this.snapshot = snapshot;
        this.reader = snapshot.reader();
    }

    /**
     * The live documents holding {@code field:value}, of one kind unless {@code kind} is null, in doc id
     * order. Read straight from the postings with one terms enumerator per segment and field, kept for
     * the view's life: a report asks for thousands of terms, and building a fresh enumerator per term
     * and segment (what a TermQuery does) cost more than everything else a diff does.
     */
    List<Integer> docs(String field, String value, String kind) throws IndexException {
        List<Integer> ids = new ArrayList<>();
        BytesRef term = new BytesRef(value);
        TermsEnum[] enums = termsEnums.get(field);
        if (enums == null) {
            enums = termsEnums(field);
            termsEnums.put(field, enums);
        }
        FixedBitSet[] ofKind = kind == null ? null : kindDocs.get(kind);
        if (kind != null && ofKind == null) {
            ofKind = docsOfKind(kind);
            kindDocs.put(kind, ofKind);
        }
        List<LeafReaderContext> leaves = reader.leaves();
        try {
            for (int i = 0; i < enums.length; i++) {
                TermsEnum te = enums[i];
                if (te == null || !te.seekExact(term)) {
                    continue;
                }
                LeafReaderContext leaf = leaves.get(i);
                Bits live = leaf.reader().getLiveDocs();
                PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
                for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
                    if ((live == null || live.get(doc)) && (ofKind == null || ofKind[i].get(doc))) {
                        ids.add(leaf.docBase + doc);
                    }
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return ids;
    }

    private final Map<String, TermsEnum[]> termsEnums = new HashMap<>();
    private final Map<String, FixedBitSet[]> kindDocs = new HashMap<>();

    private TermsEnum[] termsEnums(String field) throws IndexException {
        List<LeafReaderContext> leaves = reader.leaves();
        TermsEnum[] out = new TermsEnum[leaves.size()];
        try {
            for (int i = 0; i < out.length; i++) {
                Terms terms = leaves.get(i).reader().terms(field);
                out[i] = terms == null ? null : terms.iterator();
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return out;
    }

    /** Per segment, the documents of one kind (deleted ones included; liveness is checked apart). */
    private FixedBitSet[] docsOfKind(String kind) throws IndexException {
        List<LeafReaderContext> leaves = reader.leaves();
        FixedBitSet[] out = new FixedBitSet[leaves.size()];
        BytesRef term = new BytesRef(kind);
        try {
            for (int i = 0; i < out.length; i++) {
                LeafReader leaf = leaves.get(i).reader();
                out[i] = new FixedBitSet(Math.max(1, leaf.maxDoc()));
                Terms terms = leaf.terms(Schema.KIND);
                TermsEnum te = terms == null ? null : terms.iterator();
                if (te != null && te.seekExact(term)) {
                    PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
                    for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
                        out[i].set(doc);
                    }
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return out;
    }

    /** Doc-values iterators by leaf and field; they only move forward, so one is replaced when asked to go back. */
    private final Map<String, SortedSetDocValues> docValues = new HashMap<>();

    String keyword(int doc, String field) throws IndexException {
        List<LeafReaderContext> leaves = reader.leaves();
        int li = ReaderUtil.subIndex(doc, leaves);
        LeafReaderContext leaf = leaves.get(li);
        int local = doc - leaf.docBase;
        try {
            String key = li + "\u0000" + field;
            SortedSetDocValues dv = docValues.get(key);
            if (dv == null || dv.docID() > local || (dv.docID() == local && local != -1)) {
                dv = DocValues.getSortedSet(leaf.reader(), field);
                docValues.put(key, dv);
            }
            if (!dv.advanceExact(local)) {
                return null;
            }
            return dv.lookupOrd(dv.nextOrd()).utf8ToString();
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /** Every value of a multi-valued keyword field (labels), in term (bytewise) order. */
    List<String> keywords(int doc, String field) throws IndexException {
        List<LeafReaderContext> leaves = reader.leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        try {
            // A fresh iterator: multi-valued reads are few (a package's labels, once per package).
            SortedSetDocValues dv = DocValues.getSortedSet(leaf.reader(), field);
            if (!dv.advanceExact(doc - leaf.docBase)) {
                return List.of();
            }
            List<String> out = new java.util.ArrayList<>(dv.docValueCount());
            for (int i = 0; i < dv.docValueCount(); i++) {
                out.add(dv.lookupOrd(dv.nextOrd()).utf8ToString());
            }
            return out;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private IndexException readFailure(IOException e) {
        return new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
