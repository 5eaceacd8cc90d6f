package org.symdex.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * What {@code symdex info} and {@code symdex failures} print: the version stamp and last run from the
 * commit user data, counts from the terms dictionaries of a few low-cardinality fields (one count
 * query per term, no document loaded), and the failure documents.
 *
 * @param commitData the last commit's user data (stamp, run times, summary)
 * @param packages package documents
 * @param files ELF file documents
 * @param failures failure documents
 * @param labels label → packages (and failures) carrying it
 * @param arches package architecture → packages
 * @param formats deb|rpm → packages
 * @param scopes ELF scope → file documents
 */
public record IndexInfo(Map<String, String> commitData, long packages, long files, long failures,
                        Map<String, Long> labels, Map<String, Long> arches, Map<String, Long> formats,
                        Map<String, Long> scopes) {
    public IndexInfo {
        commitData = Map.copyOf(commitData);
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
        arches = java.util.Collections.unmodifiableMap(new TreeMap<>(arches));
        formats = java.util.Collections.unmodifiableMap(new TreeMap<>(formats));
        scopes = java.util.Collections.unmodifiableMap(new TreeMap<>(scopes));
    }

    /** A recorded failure; {@code label} its labels joined by ',' ("" for none). */
    public record Failure(String packageFile, String message, String label) {
        public Failure {
            Objects.requireNonNull(packageFile, "packageFile");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(label, "label");
        }
    }

    public static IndexInfo read(Path dir) throws IndexException {
        return withReader(dir, IndexInfo::read);
    }

    /** The counts of one snapshot (a kept night, say). */
    public static IndexInfo read(IndexSnapshot snapshot) throws IndexException {
        try {
            return read(snapshot.reader());
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    private static IndexInfo read(DirectoryReader r) throws IOException {
        {
            IndexSearcher s = new IndexSearcher(r);
            Query pkgs = Schema.kind(Schema.KIND_PACKAGE);
            Query pkgsOrFailures = new BooleanQuery.Builder()
                    .add(pkgs, BooleanClause.Occur.SHOULD)
                    .add(Schema.kind(Schema.KIND_FAILURE), BooleanClause.Occur.SHOULD).build();
            Map<String, Long> labels = countTerms(s, r, Schema.PKG_LABEL, pkgsOrFailures);
            // Unlabeled: no label value at all (labels are multi-valued; none is not a term).
            long unlabeled = s.count(pkgsOrFailures) - s.count(new BooleanQuery.Builder()
                    .add(pkgsOrFailures, BooleanClause.Occur.FILTER)
                    .add(new org.apache.lucene.search.FieldExistsQuery(Schema.PKG_LABEL), BooleanClause.Occur.FILTER).build());
            if (unlabeled > 0) {
                labels.put("", unlabeled);
            }
            return new IndexInfo(r.getIndexCommit().getUserData(), s.count(pkgs),
                    s.count(Schema.kind(Schema.KIND_FILE)), s.count(Schema.kind(Schema.KIND_FAILURE)),
                    labels, countTerms(s, r, Schema.PKG_ARCH, pkgs),
                    countTerms(s, r, Schema.PKG_FORMAT, pkgs),
                    countTerms(s, r, Schema.SCOPE, Schema.kind(Schema.KIND_FILE)));
        }
    }

    /**
     * One kept night as {@code info} lists it: its commit generation (what {@code DIR@N} names), when its
     * run started and finished, and what it held.
     *
     * @param sources the sources the run read (repository issue; 0 for a run over paths)
     */
    public record NightInfo(long generation, String started, String finished, long packages, long files, long sources) {
    }

    /**
     * The kept nights of the snapshot's index, oldest first, each counted in its own commit (they share
     * their unchanged segments, so opening one costs what changed).
     */
    public static List<NightInfo> nights(IndexSnapshot snapshot) throws IndexException {
        List<NightInfo> out = new ArrayList<>();
        try {
            for (Nights.Night n : snapshot.kept()) {
                if (!n.isNight()) {
                    continue;
                }
                try (DirectoryReader r = DirectoryReader.open(n.commit())) {
                    IndexSearcher s = new IndexSearcher(r);
                    String sources = n.commit().getUserData().get(Schema.DATA_SOURCES);
                    out.add(new NightInfo(n.generation(), n.started(), n.finished(), s.count(Schema.kind(Schema.KIND_PACKAGE)),
                            s.count(Schema.kind(Schema.KIND_FILE)), SourceRecord.count(sources)));
                }
            }
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
        return out;
    }

    /** The failure documents, sorted by package file. */
    public static List<Failure> failures(Path dir) throws IndexException {
        return withReader(dir, IndexInfo::failures);
    }

    /** The failure documents of one snapshot, sorted by package file. */
    public static List<Failure> failures(IndexSnapshot snapshot) throws IndexException {
        try {
            return failures(snapshot.reader());
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    private static List<Failure> failures(DirectoryReader r) throws IOException {
        {
            IndexSearcher s = new IndexSearcher(r);
            Query q = Schema.kind(Schema.KIND_FAILURE);
            int n = s.count(q);
            List<Failure> out = new ArrayList<>();
            if (n == 0) {
                return out;
            }
            StoredFields stored = s.storedFields();
            Set<String> fields = Set.of(Schema.PKG_FILE, Schema.FAILURE_MESSAGE, Schema.PKG_LABEL);
            for (ScoreDoc sd : s.search(q, n).scoreDocs) {
                Document d = stored.document(sd.doc, fields);
                out.add(new Failure(d.get(Schema.PKG_FILE), d.get(Schema.FAILURE_MESSAGE),
                        String.join(",", d.getValues(Schema.PKG_LABEL))));
            }
            out.sort(Comparator.comparing(Failure::packageFile));
            return out;
        }
    }

    /** Each term of {@code field} with the number of live documents matching it and {@code filter}. */
    private static Map<String, Long> countTerms(IndexSearcher s, DirectoryReader r, String field, Query filter)
            throws IOException {
        Map<String, Long> out = new TreeMap<>();
        Terms terms = MultiTerms.getTerms(r, field);
        if (terms == null) {
            return out;
        }
        TermsEnum te = terms.iterator();
        for (BytesRef t = te.next(); t != null; t = te.next()) {
            String v = t.utf8ToString();
            long c = s.count(new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(field, BytesRef.deepCopyOf(t))), BooleanClause.Occur.FILTER)
                    .add(filter, BooleanClause.Occur.FILTER).build());
            if (c > 0) { // deleted documents leave their terms until a merge
                out.put(v, c);
            }
        }
        return out;
    }

    private interface ReaderFunction<T> {
        T apply(DirectoryReader r) throws IOException, IndexException;
    }

    private static <T> T withReader(Path dir, ReaderFunction<T> f) throws IndexException {
        try (IndexSnapshot snapshot = IndexSnapshot.openUnchecked(dir)) {
            return f.apply(snapshot.reader());
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
        }
    }
}
