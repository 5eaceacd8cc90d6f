package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/** provides PKG and requires PKG: the packages a selector names, and each one's lists from its stored fields. */
final class PackageQuery {
    private final IndexSnapshot snapshot;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    PackageQuery(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.reader = snapshot.reader();
        this.searcher = searcher;
    }

    /** The indexed packages the selector names (and the filter accepts), in package order. */
    List<IndexedPackage> packages(PackageSelector selector, QueryFilter filter) throws IndexException {
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
                IndexedPackage p = Hits.packageOf(stored.document(sd.doc));
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
    List<PackageLists> provides(PackageSelector selector, QueryFilter filter) throws IndexException {
        return lists(selector, filter, Schema.FILE_PROVIDES, Schema.DECL_PROVIDES);
    }

    /** Each selected package's requires: its ELF files' (elfdeps') and, for rpm, the header's. */
    List<PackageLists> requires(PackageSelector selector, QueryFilter filter) throws IndexException {
        return lists(selector, filter, Schema.FILE_REQUIRES, Schema.DECL_REQUIRES);
    }

    private List<PackageLists> lists(PackageSelector selector, QueryFilter filter, String fileField, String declField)
            throws IndexException {
        return lists(packages(selector, filter), fileField, declField);
    }

    /** The provides ({@code true}) or requires of packages already resolved (PackageResolver). */
    List<PackageLists> lists(List<IndexedPackage> packages, boolean provides) throws IndexException {
        return provides ? lists(packages, Schema.FILE_PROVIDES, Schema.DECL_PROVIDES)
                : lists(packages, Schema.FILE_REQUIRES, Schema.DECL_REQUIRES);
    }

    private List<PackageLists> lists(List<IndexedPackage> packages, String fileField, String declField)
            throws IndexException {
        try {
            List<PackageLists> out = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            for (IndexedPackage p : packages) {
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


    private IndexException readFailure(IOException e) {
        return new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
