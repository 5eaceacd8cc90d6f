package org.symdex.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * One writing session on an index directory: checks the version stamp, opens the one IndexWriter of
 * the run, and commits with the stamp in the commit user data (never a side file: the stamp and the
 * documents it describes are committed atomically).
 *
 * <p>The writer never commits on close: a run that fails or is killed leaves the last explicit commit
 * as it was, so nothing half-written is ever visible.
 */
public final class IndexSession implements AutoCloseable {
    /**
     * Flush segments at this much buffered RAM: 48 MB batches well and suits a 512 MB heap; a smaller heap
     * gets a sixteenth of itself, so that Lucene's buffer alone cannot exhaust it.
     */
    private static final double RAM_BUFFER_MB = Math.min(48, Runtime.getRuntime().maxMemory() / 16.0 / (1 << 20));

    private final Path dir;
    private final Directory directory;
    private final IndexWriter writer;
    private final boolean withSymbols;
    private String created; // null until the first commit of a new index: its run's start
    private final long nightsBefore;
    private boolean closed;

    private IndexSession(Path dir, Directory directory, IndexWriter writer, boolean withSymbols, String created,
                         long nightsBefore) {
        this.dir = dir;
        this.directory = directory;
        this.writer = writer;
        this.withSymbols = withSymbols;
        this.created = created;
        this.nightsBefore = nightsBefore;
    }

    /** How long a run waits for another run's lock before it gives up. */
    private static final long LOCK_WAIT_MILLIS = 10_000;

    /**
     * Opens {@code dir} for writing, creating it if needed. An existing index must carry this
     * build's schema and extractor versions and the same symbols setting; otherwise the session
     * refuses, unless {@code rebuild}, which starts an empty index (the old one stays readable until
     * the first commit replaces it). Another run's lock is waited for, up to 10 s.
     */
    public static IndexSession open(Path dir, boolean rebuild, boolean withSymbols) throws IndexException {
        return open(dir, rebuild, withSymbols, DEFAULT_KEEP);
    }

    /** Nights kept when nothing says otherwise (--keep). */
    public static final int DEFAULT_KEEP = 14;

    /** As {@link #open(Path, boolean, boolean)}, keeping {@code keep} nights (Nights.KeepPolicy). */
    public static IndexSession open(Path dir, boolean rebuild, boolean withSymbols, int keep) throws IndexException {
        refuseForeign(dir);
        String created = null;
        long nightsBefore = 0;
        if (!rebuild) {
            Optional<Map<String, String>> data = IndexSnapshot.lastCommitData(dir);
            if (data.isPresent()) {
                checkStamp(dir, data.get(), withSymbols);
                created = data.get().getOrDefault(Schema.DATA_CREATED, data.get().get(Schema.DATA_RUN_STARTED));
                nightsBefore = nightsOf(dir, data.get());
            }
        }
        Directory directory = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            // No analyzer is ever used: every indexed field is untokenized. The default one is only
            // there because IndexWriterConfig wants one.
            IndexWriter w = openWriter(dir, directory, rebuild, keep);
            return new IndexSession(dir, directory, w, withSymbols, created, nightsBefore);
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(directory);
            throw new IndexException(dir + ": cannot open index: " + e.getMessage(), e);
        } catch (IndexException e) {
            IOUtils.closeWhileHandlingException(directory);
            throw e;
        }
    }

    /**
     * Lucene's own file names: a commit point, a pending one, a segment's file, the lock; and
     * {@code .shards}, where symdex-spark (the spark module) keeps a run's shards until it commits.
     */
    private static final java.util.regex.Pattern LUCENE_FILE = java.util.regex.Pattern.compile(
            "segments(_[a-z0-9]+)?|pending_segments_[a-z0-9]+|_[a-z0-9]+(_.*)?\\..*|write\\.lock|\\.shards");

    /**
     * Refuses to write into a directory that holds anything but a Lucene index (arguments swapped:
     * {@code index --index ./debs ./idx} wrote Lucene files among the user's packages). An empty or
     * absent directory is fine, and so is one a killed first run left with segment files but no commit.
     */
    static void refuseForeign(Path dir) throws IndexException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IndexException(dir + ": not a directory; refusing to write an index there");
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(p -> !LUCENE_FILE.matcher(p.getFileName().toString()).matches())) {
                throw new IndexException(dir + ": not empty and not a symdex index; refusing to write there");
            }
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot read directory: " + e.getMessage(), e);
        }
    }

    /** The run's writer, once the lock is ours: a cron run that overlaps the last one waits a little. */
    private static IndexWriter openWriter(Path dir, Directory directory, boolean rebuild, int keep)
            throws IOException, IndexException {
        long deadline = System.nanoTime() + LOCK_WAIT_MILLIS * 1_000_000L;
        while (true) {
            IndexWriterConfig cfg = new IndexWriterConfig()
                    .setOpenMode(rebuild ? IndexWriterConfig.OpenMode.CREATE : IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setCommitOnClose(false)
                    .setRAMBufferSizeMB(RAM_BUFFER_MB)
                    .setIndexDeletionPolicy(new Nights.KeepPolicy(keep, rebuild));
            try {
                return new IndexWriter(directory, cfg);
            } catch (LockObtainFailedException e) {
                if (System.nanoTime() > deadline) {
                    throw new IndexException(dir + ": in use by another run (still locked after "
                            + LOCK_WAIT_MILLIS / 1000 + " s)", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IndexException(dir + ": interrupted while waiting for another run's lock", ie);
                }
            }
        }
    }

    /** Refuses an index written by another schema, extractor or symbols setting, naming both sides. */
    static void checkStamp(Path dir, Map<String, String> data, boolean withSymbols) throws IndexException {
        IndexSnapshot.checkVersion(dir, data);
        boolean symbols = Boolean.parseBoolean(data.getOrDefault(Schema.DATA_SYMBOLS, "true"));
        if (symbols != withSymbols) {
            throw new IndexException(dir + ": built " + (symbols ? "with" : "without")
                    + " symbols; this run is " + (withSymbols ? "with" : "without")
                    + " them: use the same setting, or --rebuild");
        }
    }

    /** The user data of the index's last commit, or empty when {@code dir} holds no index. */
    public static Optional<Map<String, String>> commitData(Path dir) throws IndexException {
        return IndexSnapshot.lastCommitData(dir);
    }

    /**
     * Merges the index at {@code dir} into one segment and commits it with the last commit's data, so
     * the stamp and run summary stay as they were. A crawl leaves some twenty segments, and every term a
     * query or report looks up is then looked up in each: a one-segment copy of the libs index answered
     * whole CLI queries in about half the time. It rewrites the whole index (about a minute for the 557
     * MB libs index), so it is an option of a run, not a habit of every one.
     */
    public static void mergeToOneSegment(Path dir, int keep) throws IndexException {
        Map<String, String> data = commitData(dir).orElseThrow(() -> new IndexException(dir + ": no index there"));
        try (IndexSession s = open(dir, false, Boolean.parseBoolean(data.getOrDefault(Schema.DATA_SYMBOLS, "true")), keep)) {
            s.mergeInto(data);
        }
    }

    /** The merge of {@link #mergeToOneSegment}, on this session; {@link #abort} stops it from another thread. */
    public void mergeInto(Map<String, String> data) throws IndexException {
        try {
            writer.forceMerge(1);
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
            rollback();
            throw new IndexException(dir + ": cannot merge index: " + e.getMessage(), e);
        }
    }

    /**
     * Drops everything since the last commit, from any thread: running merges are aborted and the last
     * commit stays as it was (what SIGTERM during --merge does).
     */
    public void abort() {
        try {
            writer.rollback();
        } catch (IOException | RuntimeException e) {
            // The last commit is intact whatever the rollback says; the process is going away.
        }
    }

    public Path dir() {
        return dir;
    }

    /** The run's one shared object (style.md §6): thread-safe, used by every task. */
    public IndexWriter writer() {
        return writer;
    }

    /** A run's work over this session, up to its commit. */
    public interface Work<T> {
        T run() throws IndexException, IOException;
    }

    /**
     * Runs {@code work}; any failure rolls the session back, so the last commit stands. An I/O failure,
     * or any failure once the writer has had a tragic one, is the writer's, said by {@code writerFailed}
     * (which says how much of the run was committed); another IndexException or RuntimeException is rethrown.
     * The one rule of {@code symdex index} (IndexRun) and {@code symdex-spark} (SparkRun).
     */
    public <T> T rollingBack(Work<T> work, java.util.function.Function<Throwable, IndexException> writerFailed)
            throws IndexException {
        try {
            return work.run();
        } catch (IndexException e) {
            rollback();
            throw e;
        } catch (IOException e) {
            rollback();
            throw writerFailed.apply(e);
        } catch (RuntimeException e) {
            rollback();
            if (writer.getTragicException() != null) {
                throw writerFailed.apply(e);
            }
            throw e;
        }
    }

    /**
     * Why the writer failed, as one line says it: the writer's tragic exception when it has one, else
     * {@code cause}, unwrapped while a wrapper only repeats its cause, and a file system error by its
     * reason alone ("No space left on device", not the file's path first).
     */
    public String failureReason(Throwable cause) {
        Throwable t = writer.getTragicException() != null ? writer.getTragicException() : cause;
        while (t.getCause() != null && t.getMessage() != null && t.getMessage().equals(t.getCause().toString())) {
            t = t.getCause();
        }
        return t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The exception {@link #failureReason} names. */
    public Throwable failure(Throwable cause) {
        return writer.getTragicException() != null ? writer.getTragicException() : cause;
    }

    /**
     * Commits everything added so far, atomically, with the version stamp and {@code runData}
     * (run start, finish, summary). IndexWriter serialises concurrent commits itself.
     */
    public void commit(Map<String, String> runData) throws IndexException {
        Map<String, String> data = new HashMap<>(runData);
        data.put(Schema.DATA_SCHEMA, Integer.toString(Schema.SCHEMA_VERSION));
        data.put(Schema.DATA_EXTRACTOR, Integer.toString(Schema.EXTRACTOR_VERSION));
        data.put(Schema.DATA_SYMBOLS, Boolean.toString(withSymbols));
        if (created == null) {
            created = data.getOrDefault(Schema.DATA_RUN_STARTED, java.time.Instant.now().toString());
        }
        data.put(Schema.DATA_CREATED, created);
        data.put(Schema.DATA_NIGHTS, Long.toString(nightsBefore + (data.containsKey(Schema.DATA_RUN_FINISHED) ? 1 : 0)));
        try {
            writer.setLiveCommitData(data.entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot commit index: " + e.getMessage(), e);
        }
    }

    /** The nights the index has had: its stamp, or (an index from before the stamp) the nights it keeps. */
    private static long nightsOf(Path dir, Map<String, String> data) throws IndexException {
        try {
            return Long.parseLong(data.get(Schema.DATA_NIGHTS));
        } catch (NumberFormatException e) {
            try (Directory d = FSDirectory.open(dir)) {
                return Nights.nights(d).size();
            } catch (IOException io) {
                throw new IndexException(dir + ": cannot read index: " + io.getMessage(), io);
            }
        }
    }

    /** Drops everything since the last commit and closes; what a killed run leaves behind. */
    public void rollback() throws IndexException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.rollback();
            directory.close();
        } catch (IOException e) {
            throw new IndexException("cannot roll back index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Closes without committing (commitOnClose is off): call {@link #commit} first to keep the work. */
    @Override
    public void close() throws IndexException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new IndexException("cannot close index " + dir + ": " + e.getMessage(), e);
        }
    }

}
