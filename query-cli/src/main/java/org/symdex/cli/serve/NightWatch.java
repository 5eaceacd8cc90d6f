package org.symdex.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.symdex.index.IndexException;
import org.symdex.index.IndexRef;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Nights;

/**
 * Which night {@code symdex serve} answers from, and the readers it lends (issue 18, item 1). The newest
 * finished night is looked up at most every {@link #RECHECK_MILLIS}; a run's middle (a commit without
 * {@code symdex.run.finished}) is never served. Each request is pinned to one generation and the commands
 * run on {@code DIR@GENERATION}, so a night that arrives during a request changes nothing in its answer.
 * Readers are opened per kept commit and shared ({@link IndexSnapshot.Shared}); a new night's reader is
 * reopened from the previous one, so unchanged segments are not read twice. Nothing here takes the
 * index's write lock: FSDirectory.open and DirectoryReader never do.
 */
final class NightWatch implements IndexSnapshot.Shared, AutoCloseable {
    static final long RECHECK_MILLIS = 10_000;
    /** Readers kept besides the served night's: nights asked for with at=REF and diff's old night. */
    private static final int KEPT_READERS = 4;

    private final Path dir;
    private final Optional<IndexRef.Ref> pinned;
    private final Directory directory;
    private final Map<Long, DirectoryReader> readers = new LinkedHashMap<>(8, 0.75f, true);
    private Nights.Night current;
    private long checkedAt;
    private List<Nights.Night> nights = List.of();

    /** Opens {@code ref}'s index; no index there, or a REF that names nothing, is an IndexException (exit 2). */
    NightWatch(IndexRef ref) throws IndexException {
        this.dir = ref.dir();
        this.pinned = ref.ref();
        if (!Files.isDirectory(dir)) {
            throw new IndexException(dir + ": no symdex index there");
        }
        try {
            this.directory = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(directory)) {
                directory.close();
                throw new IndexException(dir + ": no symdex index there");
            }
        } catch (IOException e) {
            throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
        }
        // The stamp of what would be served is checked now, so that a server of an unreadable index does not start.
        try (IndexSnapshot s = IndexSnapshot.open(ref.ref().isPresent() ? ref : served(ref))) {
            s.generation();
        }
        if (pinned.isPresent()) {
            try {
                IndexCommit c = Nights.resolve(directory, ref);
                current = new Nights.Night(c, c.getGeneration(), c.getUserData().get(org.symdex.index.Schema.DATA_RUN_STARTED),
                        c.getUserData().get(org.symdex.index.Schema.DATA_RUN_FINISHED));
            } catch (IOException e) {
                throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
            }
        }
    }

    /** The newest finished night as {@code DIR@GENERATION}, or the newest commit when no run has finished. */
    private static IndexRef served(IndexRef ref) throws IndexException {
        try (Directory d = FSDirectory.open(ref.dir())) {
            List<Nights.Night> n = Nights.nights(d);
            return n.isEmpty() ? ref : IndexRef.parse(ref.dir() + "@" + n.get(n.size() - 1).generation());
        } catch (IOException e) {
            throw new IndexException(ref.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    /**
     * The night requests are answered from now: the pinned one, or the newest finished night as of the last
     * look, which is at most {@link #RECHECK_MILLIS} old. Empty while no run has finished.
     */
    synchronized Optional<Nights.Night> current() throws IOException {
        if (pinned.isPresent()) {
            return Optional.of(current);
        }
        long now = System.currentTimeMillis();
        if (current == null || now - checkedAt >= RECHECK_MILLIS) {
            checkedAt = now;
            List<Nights.Night> all = Nights.nights(directory);
            nights = all;
            if (!all.isEmpty()) {
                current = all.get(all.size() - 1);
            }
        }
        return Optional.ofNullable(current);
    }

    /** The kept nights as of the last look, oldest first. */
    synchronized List<Nights.Night> nights() throws IOException {
        if (nights.isEmpty() || pinned.isPresent()) {
            nights = Nights.nights(directory);
        }
        return nights;
    }

    /**
     * The generation {@code ref} names, REFs counted from {@code base} (the request's night) rather than
     * from whatever is newest by now: {@code -N}, a day, or a generation. Empty when none matches.
     */
    synchronized Optional<Nights.Night> resolve(String ref, Nights.Night base) throws IOException, IndexException {
        Optional<IndexRef.Ref> r = IndexRef.parse("x@" + ref).ref();
        if (r.isEmpty()) {
            throw new IndexException("'" + ref + "' is not a REF: -N, YYYY-MM-DD or a generation");
        }
        List<Nights.Night> all = Nights.nights(directory);
        List<Nights.Night> upTo = new ArrayList<>();
        for (Nights.Night n : all) {
            if (n.generation() <= base.generation()) {
                upTo.add(n);
            }
        }
        if (r.get() instanceof IndexRef.Generation g) {
            return all.stream().filter(n -> n.generation() == g.generation()).findFirst();
        }
        if (r.get() instanceof IndexRef.Back b) {
            int i = upTo.size() - 1 - b.nights();
            return i >= 0 ? Optional.of(upTo.get(i)) : Optional.empty();
        }
        // A day: resolved by Nights among the nights up to base.
        try {
            IndexCommit c = Nights.resolve(directory, IndexRef.parse(dir + "@" + ref));
            return all.stream().filter(n -> n.generation() == c.getGeneration() && n.generation() <= base.generation())
                    .findFirst();
        } catch (IndexException e) {
            return Optional.empty();
        }
    }

    @Override
    public Directory directory(Path d) {
        return d.equals(dir) ? directory : null;
    }

    @Override
    public synchronized DirectoryReader borrow(Path d, long generation) throws IOException {
        if (!d.equals(dir)) {
            return null;
        }
        DirectoryReader r = readers.get(generation);
        if (r == null) {
            IndexCommit commit = null;
            for (IndexCommit c : DirectoryReader.listCommits(directory)) {
                if (c.getGeneration() == generation) {
                    commit = c;
                }
            }
            if (commit == null) {
                return null; // not kept (any more): the command's own open says so
            }
            DirectoryReader base = readers.isEmpty() ? null : readers.values().iterator().next();
            r = base == null ? DirectoryReader.open(commit) : DirectoryReader.openIfChanged(base, commit);
            if (r == null) {
                r = base; // the same commit's files: openIfChanged said nothing changed
                r.incRef();
            }
            readers.put(generation, r);
            while (readers.size() > KEPT_READERS + 1) {
                Long eldest = readers.keySet().iterator().next();
                if (current != null && eldest == current.generation()) {
                    readers.get(eldest); // touch: the served night stays
                    continue;
                }
                readers.remove(eldest).decRef(); // closed once the requests reading it are done
            }
        }
        r.incRef();
        return r;
    }

    /**
     * Whether a writing run holds the lock, without taking it (a try-lock would make an index run starting at
     * that instant fail): Java's FileChannel locks are POSIX record locks on Linux, listed in /proc/locks by
     * device and inode. Where that cannot be read, false.
     */
    @Override
    public boolean runInProgress(Path d) {
        Path lock = d.resolve(IndexWriter.WRITE_LOCK_NAME);
        try {
            if (!Files.exists(lock) || !Files.isReadable(Path.of("/proc/locks"))) {
                return false;
            }
            long ino = ((Number) Files.getAttribute(lock, "unix:ino")).longValue();
            long dev = ((Number) Files.getAttribute(lock, "unix:dev")).longValue();
            long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
            long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
            String want = String.format(java.util.Locale.ROOT, "%02x:%02x:%d", major, minor, ino);
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                for (String field : line.trim().split("\\s+")) {
                    if (field.equals(want)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        for (DirectoryReader r : readers.values()) {
            r.decRef();
        }
        readers.clear();
        directory.close();
    }
}
