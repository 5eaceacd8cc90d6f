package org.symdex.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * The one way to read an index: opens one commit of the index at a directory (the newest), checks that
 * this build reads it (schema and extractor versions of its stamp), and carries that commit's data: the
 * stamp, whether symbols are indexed, and the state of the run that made the commit. Every reader (the
 * queries, {@code info}, {@code failures}, the archive view of reports and diffs) and the writing
 * session's stamp check go through it, so an index of another extractor is refused everywhere alike
 * instead of being compared as if rule changes were archive changes.
 *
 * <p>Holds one point-in-time {@link DirectoryReader}: a run committing meanwhile changes nothing that
 * this snapshot answers.
 */
public final class IndexSnapshot implements AutoCloseable {
    private final Path dir;
    private final IndexRef ref;
    private final Directory directory;
    private final DirectoryReader reader;
    private final Map<String, String> data;
    /** A reader lent by {@link Shared}: closing this snapshot gives it back instead of closing it. */
    private final boolean borrowed;

    private IndexSnapshot(IndexRef ref, Directory directory, DirectoryReader reader, boolean borrowed) throws IOException {
        this.dir = ref.dir();
        this.ref = ref;
        this.directory = directory;
        this.reader = reader;
        this.borrowed = borrowed;
        this.data = Map.copyOf(reader.getIndexCommit().getUserData());
    }

    /**
     * Readers a long-running process keeps open and lends ({@code symdex serve}, issue 18): a CLI call opens
     * the commit it names and closes it, which costs more than the query itself once the JVM is warm (the
     * segments' term indexes are loaded on every open). Installed per thread with {@link #sharing}, so the
     * commands run unchanged; only an {@code @GENERATION} REF is lent, since it names one commit for good.
     */
    public interface Shared {
        /** The directory of {@code dir}'s index, open for the process's life; null when not shared. */
        Directory directory(Path dir);

        /** A reader of commit {@code generation} with a reference taken for the caller (decRef'd at close); null to open one. */
        DirectoryReader borrow(Path dir, long generation) throws IOException;

        /** Whether a writing run holds {@code dir}'s lock, asked without taking the lock. */
        boolean runInProgress(Path dir);
    }

    private static final ThreadLocal<Shared> SHARED = new ThreadLocal<>();

    /** Runs {@code body} with {@code shared} lending readers to every open on this thread. */
    public static <T, E extends Exception> T sharing(Shared shared, SharedBody<T, E> body) throws E {
        Shared before = SHARED.get();
        SHARED.set(shared);
        try {
            return body.run();
        } finally {
            if (before == null) {
                SHARED.remove();
            } else {
                SHARED.set(before);
            }
        }
    }

    /** What {@link #sharing} runs. */
    @FunctionalInterface
    public interface SharedBody<T, E extends Exception> {
        T run() throws E;
    }

    /** Opens the newest commit of the index at {@code dir}; refuses an absent index or one of another version. */
    public static IndexSnapshot open(Path dir) throws IndexException {
        return open(IndexRef.of(dir));
    }

    /**
     * Opens the commit {@code ref} names (the newest without a REF; a kept night with one, Nights); refuses
     * an absent index, a REF nothing matches, and a commit of another schema or extractor.
     */
    public static IndexSnapshot open(IndexRef ref) throws IndexException {
        IndexSnapshot s = openUnchecked(ref);
        try {
            checkVersion(ref.ref().isPresent() ? Path.of(ref.text()) : ref.dir(), s.data);
        } catch (IndexException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * Opens the newest commit without checking its stamp: for {@code info}, which describes an index of
     * any version (and says when this build cannot read it).
     */
    public static IndexSnapshot openUnchecked(Path dir) throws IndexException {
        return openUnchecked(IndexRef.of(dir));
    }

    /** As {@link #openUnchecked(Path)}, for the commit {@code ref} names. */
    public static IndexSnapshot openUnchecked(IndexRef ref) throws IndexException {
        Path dir = ref.dir();
        Shared shared = SHARED.get();
        if (shared != null && shared.directory(dir) != null && ref.ref().orElse(null) instanceof IndexRef.Generation g) {
            try {
                DirectoryReader lent = shared.borrow(dir, g.generation());
                if (lent != null) {
                    return new IndexSnapshot(ref, shared.directory(dir), lent, true);
                }
            } catch (IOException e) {
                throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IndexException(dir + ": no symdex index there");
        }
        Directory d = null;
        try {
            d = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(d)) {
                throw new IndexException(dir + ": no symdex index there");
            }
            return new IndexSnapshot(ref, d, DirectoryReader.open(Nights.resolve(d, ref)), false);
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(d); // already failing with a more useful exception
            throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
        } catch (IndexException e) {
            IOUtils.closeWhileHandlingException(d);
            throw e;
        }
    }

    /** The user data of the index's newest commit, or empty when {@code dir} holds no index. */
    public static Optional<Map<String, String>> lastCommitData(Path dir) throws IndexException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Directory d = FSDirectory.open(dir)) {
            if (!DirectoryReader.indexExists(d)) {
                return Optional.empty();
            }
            try (DirectoryReader r = DirectoryReader.open(d)) {
                return Optional.of(Map.copyOf(r.getIndexCommit().getUserData()));
            }
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
        }
    }

    /** Refuses commit data written by another schema or extractor, naming both sides. */
    public static void checkVersion(Path dir, Map<String, String> data) throws IndexException {
        String schema = data.get(Schema.DATA_SCHEMA);
        String extractor = data.get(Schema.DATA_EXTRACTOR);
        if (schema == null || extractor == null) {
            throw new IndexException(dir + ": no symdex version stamp: not a symdex index, or one from before "
                    + "stamps; rebuild it with symdex index --rebuild");
        }
        String want = versionText(Integer.toString(Schema.SCHEMA_VERSION), Integer.toString(Schema.EXTRACTOR_VERSION));
        String have = versionText(schema, extractor);
        if (!want.equals(have)) {
            throw new IndexException(dir + ": index built with " + have + "; this symdex reads and writes " + want
                    + ": rebuild it with symdex index --rebuild");
        }
    }

    private static String versionText(String schema, String extractor) {
        return "schema " + schema + ", extractor " + extractor;
    }

    /** Whether this build reads the snapshot's stamp ({@link #openUnchecked} lets others through). */
    public boolean versionMatches() {
        try {
            checkVersion(dir, data);
            return true;
        } catch (IndexException e) {
            return false;
        }
    }

    /**
     * Whether a writing run holds the index's lock right now: a try-lock, released at once. A directory
     * this user cannot lock (read-only) counts as not in use.
     */
    public static boolean runInProgress(Path dir) {
        Shared shared = SHARED.get();
        if (shared != null && shared.directory(dir) != null) {
            return shared.runInProgress(dir); // a server never takes the lock, not even for a try
        }
        try (Directory d = FSDirectory.open(dir); Lock l = d.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
            return false;
        } catch (LockObtainFailedException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }

    /** How the user named this commit ({@code DIR} or {@code DIR@REF}), for messages. */
    public IndexRef ref() {
        return ref;
    }

    /** The kept commits of this snapshot's index, oldest first (its nights, and a run's middle). */
    public List<Nights.Night> kept() throws IndexException {
        try {
            return Nights.list(directory);
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
        }
    }

    public DirectoryReader reader() {
        return reader;
    }

    /** The commit's user data: stamp, run times, counts, summary. */
    public Map<String, String> commitData() {
        return data;
    }

    /** The commit's generation, as Lucene numbers them ({@code segments_N}). */
    public long generation() {
        try {
            return reader.getIndexCommit().getGeneration();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // the commit is the one the reader was opened on: in memory
        }
    }

    /** Whether the index holds dynamic symbols (the upgrade reports need them). */
    public boolean withSymbols() {
        return Boolean.parseBoolean(data.getOrDefault(Schema.DATA_SYMBOLS, "true"));
    }

    /** The run that made this commit. */
    public RunState run() {
        return RunState.of(data);
    }

    /**
     * One line for readers of a commit that a run left unfinished (killed, interrupted, failed): its
     * answers hold part of that run and must not be taken for the archive. Empty when it finished.
     */
    public Optional<String> unfinishedWarning() {
        RunState run = run();
        if (run.finished()) {
            return Optional.empty();
        }
        return Optional.of(ref + ": " + run.describe(ref.ref().isEmpty() && runInProgress(dir)));
    }

    /**
     * For commands whose exit code reports findings (broken, diff, upgrade reports, baselines): an
     * unfinished commit would make missing packages look removed and their consumers broken, so it is
     * refused unless {@code allowPartial}.
     */
    public void requireFinished(boolean allowPartial) throws IndexException {
        Optional<String> w = unfinishedWarning();
        if (w.isPresent() && !allowPartial) {
            throw new IndexException(w.get() + "; its answers would hold only part of that run: run index again to "
                    + "finish it, or give --allow-partial");
        }
    }

    @Override
    public void close() throws IndexException {
        try {
            if (borrowed) {
                reader.decRef();
                return;
            }
            IOUtils.close(reader, directory);
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot close index: " + e.getMessage(), e);
        }
    }
}
