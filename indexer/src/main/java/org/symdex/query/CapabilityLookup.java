package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/**
 * whatprovides and whatrequires: a pattern (a compiled automaton; an exact capability is one seekExact)
 * run over each scope's {@code prov:S} or {@code req:S} dictionary, only the postings of matching terms
 * read, hits named by {@link Hits}.
 */
final class CapabilityLookup {
    private final IndexSnapshot snapshot;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    CapabilityLookup(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.reader = snapshot.reader();
        this.searcher = searcher;
    }

    List<CapabilityHit> matching(String base, CapabilityPattern pattern, QueryFilter filter)
            throws IndexException {
        return matching(base, pattern.compiled(), filter);
    }

    /**
     * Every live document holding a term of a {@code base:S} field that {@code automaton} accepts, named
     * by {@link Hits}, in tsv order; the matched term is the hit's capability (a symbol for {@code def:}
     * and {@code ref:}).
     */
    List<CapabilityHit> matching(String base, org.apache.lucene.util.automaton.CompiledAutomaton automaton,
                                 QueryFilter filter) throws IndexException {
        try {
            List<CapabilityHit> out = new ArrayList<>();
            for (LeafReaderContext leaf : reader.leaves()) {
                List<Hits.RawHit> raw = new ArrayList<>();
                Bits live = leaf.reader().getLiveDocs();
                for (String field : Hits.leafScopedFields(leaf.reader(), base)) {
                    Terms terms = leaf.reader().terms(field);
                    if (terms == null) {
                        continue;
                    }
                    String scope = Schema.scopeOfField(base, field).orElseThrow();
                    // The automaton walks the dictionary (seeking past non-matching blocks); for an exact
                    // capability this is a single seekExact.
                    TermsEnum te = automaton.getTermsEnum(terms);
                    PostingsEnum pe = null;
                    for (BytesRef t = te.next(); t != null; t = te.next()) {
                        String cap = t.utf8ToString();
                        pe = te.postings(pe, PostingsEnum.NONE);
                        Hits.collect(pe, live, scope, cap, raw);
                    }
                }
                new Hits.LeafRows(leaf.reader()).resolve(raw, filter, out);
            }
            out.sort(CapabilityHit.ORDER);
            return out;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }


    private IndexException readFailure(IOException e) {
        return new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
