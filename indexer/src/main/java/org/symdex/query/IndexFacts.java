package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/** What filter values an index can match: its architectures, labels and source packages. */
final class IndexFacts {
    private final IndexSnapshot snapshot;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    IndexFacts(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.reader = snapshot.reader();
        this.searcher = searcher;
    }

    /** The architectures of the indexed packages, sorted: what an --arch value must be one of. */
    List<String> arches() throws IndexException {
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
    List<String> labels() throws IndexException {
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

    /** The ELF scopes of the indexed files, sorted. */
    List<String> scopes() throws IndexException {
        List<String> out = new ArrayList<>();
        try {
            Terms terms = MultiTerms.getTerms(reader, Schema.SCOPE);
            if (terms != null) {
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    if (searcher.count(new TermQuery(new Term(Schema.SCOPE, BytesRef.deepCopyOf(t)))) > 0) {
                        out.add(t.utf8ToString());
                    }
                }
            }
        } catch (IOException e) {
            throw readFailure(e);
        }
        return out;
    }

    /** Whether some indexed package is built from source package {@code name}. */
    boolean hasSource(String name) throws IndexException {
        try {
            return searcher.count(new TermQuery(new Term(Schema.PKG_SOURCE, name))) > 0;
        } catch (IOException e) {
            throw readFailure(e);
        }
    }


    private IndexException readFailure(IOException e) {
        return new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
