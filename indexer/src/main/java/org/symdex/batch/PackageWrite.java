package org.symdex.batch;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.symdex.index.DocumentMapper;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;

/**
 * How one package goes into a writer, the run's or a shard's: all its documents in one
 * {@code updateDocuments} keyed by its file, or its failure record. A document the writer refuses
 * without failing itself (a term over Lucene's limit) makes the package a failure; a failure of the
 * writer itself is {@link WriterFailed}, which ends the run.
 */
public final class PackageWrite {
    private PackageWrite() {
    }

    /** The writer failed (a full disk, a tragic exception): not the package's fault; the run ends. */
    public static final class WriterFailed extends Exception {
        private static final long serialVersionUID = 1L;

        WriterFailed(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Writes a package's documents ({@code docs}; empty: nothing is indexed for it, a source rpm, and
     * whatever was under its key goes), deleting {@code drop}'s documents in the same commit; or, when
     * {@code docs} is null or refused, its failure record with {@code failure}.
     *
     * @return null when the documents went in, else the failure as recorded (with why it was not
     *     recorded, when not even the failure record fits)
     */
    public static String write(IndexWriter writer, PackageStamp stamp, List<Document> docs, String failure, String drop)
            throws WriterFailed {
        String why = failure;
        if (docs != null) {
            try {
                if (drop != null) {
                    writer.deleteDocuments(Schema.packageTerm(drop));
                }
                if (docs.isEmpty()) {
                    writer.deleteDocuments(Schema.packageTerm(stamp.file()));
                } else {
                    writer.updateDocuments(Schema.packageTerm(stamp.file()), docs);
                }
                return null;
            } catch (IllegalArgumentException e) {
                if (writer.getTragicException() != null) {
                    throw new WriterFailed(e);
                }
                why = "the index refused its documents: " + e.getMessage();
            } catch (IOException | RuntimeException e) {
                throw new WriterFailed(e);
            }
        }
        try {
            writer.updateDocuments(Schema.packageTerm(stamp.file()), List.of(DocumentMapper.failure(stamp, why)));
        } catch (IllegalArgumentException e) {
            if (writer.getTragicException() != null) {
                throw new WriterFailed(e);
            }
            // Not even its failure record fits (a file name over the term limit): said, not stored.
            why += " (not recorded in the index: " + e.getMessage() + ")";
        } catch (IOException | RuntimeException e) {
            throw new WriterFailed(e);
        }
        return why;
    }
}
