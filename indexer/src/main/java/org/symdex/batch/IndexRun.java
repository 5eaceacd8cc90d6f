package org.symdex.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.symdex.index.DocumentMapper;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSession;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;
import org.symdex.io.Limits;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.ReaderOptions;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;
import org.symdex.scan.Warning;

/**
 * One indexing run (issue 4): walk the inputs, decide per package whether to skip, add, replace or
 * retry it, read the rest in parallel (one package per task; the IndexWriter is the only shared
 * object, besides counters), prune, and commit every N packages and at the end.
 *
 * <p>Crash safety: all documents of a package go in with one {@code updateDocuments} call keyed by the
 * package file, so every commit holds whole packages; the writer never commits on close, so a killed
 * run leaves its last commit intact; the next run skips what that commit holds (same path, size,
 * mtime) and reads the rest. No document is ever added without deleting its key first, so nothing is
 * duplicated.
 *
 * <p>Failures: a package that cannot be read is recorded as a failure document (replacing whatever
 * was indexed for that path, which no longer describes the file) and the run goes on; failures are
 * retried on every run. Errors of the index itself stop the run, after rolling back to the last commit.
 */
public final class IndexRun {
    private final RunOptions options;
    private final RunListener listener;

    /** Thrown by the {@link RunOptions#crashAfterCommits} test hook once the run has "died". */
    public static final class InjectedCrash extends IndexException {
        private static final long serialVersionUID = 1L;

        InjectedCrash(int commits) {
            super("fault injected: run stopped after commit " + commits);
        }
    }

    /** What the index already holds for one package file. */
    private record Existing(boolean failure, long size, long mtime, String label) {
    }

    private enum Action { ADD, REPLACE, RETRY }

    private record Task(PackageWalker.Found found, PackageStamp stamp, Action action) {
    }

    public IndexRun(RunOptions options, RunListener listener) {
        this.options = options;
        this.listener = listener;
    }

    /** Runs over {@code inputs} (package files and directories). */
    public RunReport run(List<Path> inputs) throws IndexException {
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        try (IndexSession session = IndexSession.open(options.index(), options.rebuild(), options.withSymbols())) {
            return new Execution(session, started, t0).run(inputs);
        }
    }

    /** State of one run; lives as long as the session. */
    private final class Execution {
        private final IndexSession session;
        private final String started;
        private final long t0;
        private final PackageScanner scanner;
        private final DocumentMapper mapper;
        private final LongAdder added = new LongAdder();
        private final LongAdder replaced = new LongAdder();
        private final LongAdder elfFiles = new LongAdder();
        private final LongAdder capabilities = new LongAdder();
        private final LongAdder bytesRead = new LongAdder();
        private final ConcurrentLinkedQueue<RunReport.Failure> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger completed = new AtomicInteger();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Object commitLock = new Object();
        private int commits;

        Execution(IndexSession session, String started, long t0) {
            this.session = session;
            this.started = started;
            this.t0 = t0;
            this.scanner = new PackageScanner(options.reader(), Limits.defaults(), options.withSymbols(),
                    options.spoolDir());
            this.mapper = new DocumentMapper(options.withSymbols());
        }

        RunReport run(List<Path> inputs) throws IndexException {
            PackageWalker.Result walk = PackageWalker.walk(inputs, options.label());
            for (RunReport.Failure p : walk.problems()) {
                failures.add(p);
                listener.packageFailed(p.packageFile(), p.message());
            }
            Map<String, Existing> existing = readExisting();

            List<Task> tasks = new ArrayList<>();
            int skipped = 0;
            long bytesToRead = 0;
            Set<String> seen = new HashSet<>();
            for (PackageWalker.Found f : walk.found()) {
                seen.add(f.stamp().file());
                Existing e = existing.get(f.stamp().file());
                if (e == null) {
                    tasks.add(new Task(f, f.stamp(), Action.ADD));
                } else if (e.failure()) {
                    tasks.add(new Task(f, f.stamp(), Action.RETRY));
                } else if (e.size() == f.stamp().size() && e.mtime() == f.stamp().mtime()
                        && e.label().equals(f.stamp().label())) {
                    skipped++;
                    continue;
                } else {
                    tasks.add(new Task(f, f.stamp(), Action.REPLACE));
                }
                bytesToRead += f.stamp().size();
            }
            List<String> prune = options.prune() ? toPrune(existing.keySet(), seen, walk.roots()) : List.of();
            listener.planned(tasks.size(), skipped, prune.size(), bytesToRead);
            // Largest first, so that the run does not end with one core decompressing a big package
            // while the others idle (see LargestFirst). The index does not depend on the order.
            tasks.sort(Comparator.comparingLong((Task t) -> t.stamp().size()).reversed());

            try {
                for (String gone : prune) {
                    session.writer().deleteDocuments(Schema.packageTerm(gone));
                }
                runTasks(tasks);
            } catch (IndexException | IOException | RuntimeException e) {
                session.rollback();
                if (e instanceof IndexException ie) {
                    throw ie;
                }
                throw new IndexException("index " + options.index() + ": " + e.getMessage(), e);
            }

            List<RunReport.Failure> failed = new ArrayList<>(failures);
            failed.sort(Comparator.comparing(RunReport.Failure::packageFile));
            RunReport report = new RunReport(added.intValue(), skipped, replaced.intValue(), prune.size(), failed,
                    elfFiles.sum(), capabilities.sum(), bytesRead.sum(), System.nanoTime() - t0);
            Map<String, String> data = new HashMap<>();
            data.put(Schema.DATA_RUN_STARTED, started);
            data.put(Schema.DATA_RUN_FINISHED, Instant.now().toString());
            data.put(Schema.DATA_RUN_SUMMARY, report.summary());
            session.commit(data);
            return report;
        }

        /** Package files of the index under a walked root that this walk did not find. Sorted. */
        private List<String> toPrune(Set<String> indexed, Set<String> seen, List<Path> roots) {
            List<String> out = new ArrayList<>();
            for (String file : indexed) {
                if (seen.contains(file)) {
                    continue;
                }
                Path p = Path.of(file);
                if (roots.stream().anyMatch(p::startsWith)) {
                    out.add(file);
                }
            }
            out.sort(null);
            return out;
        }

        private void runTasks(List<Task> tasks) throws IndexException {
            ExecutorService pool = Executors.newFixedThreadPool(options.jobs(), r -> {
                Thread t = new Thread(r, "symdex-index");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>(tasks.size());
                for (Task t : tasks) {
                    futures.add(pool.submit(() -> {
                        index(t);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        // The first error of the index (or the injected crash) ends the run; stop the
                        // others before the caller rolls back, so none writes after the rollback.
                        stop.set(true);
                        pool.shutdownNow();
                        awaitQuietly(pool);
                        Throwable c = e.getCause();
                        if (c instanceof IndexException ie) {
                            throw ie;
                        }
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IndexException("index " + options.index() + ": " + c, c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stop.set(true);
                        throw new IndexException("interrupted", e);
                    }
                }
            } finally {
                pool.shutdownNow();
                awaitQuietly(pool);
            }
        }

        private void awaitQuietly(ExecutorService pool) {
            try {
                pool.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One package: hash, scan, map, write; or record why it could not be read. */
        private void index(Task t) throws IndexException {
            if (stop.get()) {
                return;
            }
            PackageStamp stamp = t.stamp();
            List<Document> docs;
            String failure = null;
            DocumentMapper.Mapped mapped = null;
            try {
                MessageDigest md = sha256();
                PackageScan scan = scanner.scan(t.found().path(), md);
                mapped = mapper.map(stamp, HexFormat.of().formatHex(md.digest()), scan);
                for (Warning w : scan.warnings()) {
                    listener.warning(w.format(stamp.file()));
                }
                // An ELF file's own problems (symbols over the heap's budget, a skipped .dynamic) are
                // stored with it, and said as deps says them: PACKAGE!/path: reason.
                for (ScannedFile f : scan.files()) {
                    for (Warning w : f.warnings()) {
                        listener.warning(w.format(stamp.file()));
                    }
                }
            } catch (PackageFormatException e) {
                failure = e.getMessage();
            } catch (IOException e) {
                failure = "cannot read: " + e.getMessage();
            } catch (RuntimeException e) {
                // Our bug, but one package must not cost a nightly run: record it where `symdex
                // failures` shows it, with the exception class so it can be found.
                failure = "internal error: " + e;
            }
            docs = failure == null ? mapped.documents() : List.of(DocumentMapper.failure(stamp, failure));
            if (stop.get()) {
                return;
            }
            try {
                session.writer().updateDocuments(Schema.packageTerm(stamp.file()), docs);
            } catch (IOException e) {
                throw new IndexException("cannot write index " + options.index() + ": " + e.getMessage(), e);
            }
            bytesRead.add(stamp.size());
            if (failure != null) {
                failures.add(new RunReport.Failure(stamp.file(), failure));
                listener.packageFailed(stamp.file(), failure);
            } else {
                (t.action() == Action.REPLACE ? replaced : added).increment();
                elfFiles.add(mapped.elfFiles());
                capabilities.add(mapped.capabilities());
            }
            listener.packageDone(stamp.file(), stamp.size());
            if (completed.incrementAndGet() % options.commitEvery() == 0) {
                commitInProgress();
            }
        }

        /** An intermediate commit: whole packages only, and no "finished" stamp. */
        private void commitInProgress() throws IndexException {
            synchronized (commitLock) {
                if (stop.get()) {
                    return;
                }
                session.commit(Map.of(Schema.DATA_RUN_STARTED, started));
                commits++;
                if (options.crashAfterCommits() > 0 && commits == options.crashAfterCommits()) {
                    stop.set(true);
                    throw new InjectedCrash(commits);
                }
            }
        }

        /**
         * A fresh SHA-256 for one package: the scanner feeds it every byte of the package file while
         * it reads it, so the hash costs no second read (issue 4).
         */
        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        /** Every package and failure document of the index: file → what was indexed. */
        private Map<String, Existing> readExisting() throws IndexException {
            Map<String, Existing> out = new HashMap<>();
            try (DirectoryReader r = DirectoryReader.open(session.writer())) {
                IndexSearcher s = new IndexSearcher(r);
                Query q = new BooleanQuery.Builder()
                        .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.SHOULD)
                        .add(Schema.kind(Schema.KIND_FAILURE), BooleanClause.Occur.SHOULD)
                        .build();
                int n = s.count(q);
                if (n == 0) {
                    return out;
                }
                StoredFields stored = s.storedFields();
                Set<String> wanted = Set.of(Schema.PKG_FILE, Schema.PKG_SIZE, Schema.PKG_MTIME, Schema.PKG_LABEL,
                        Schema.FAILURE_MESSAGE);
                for (ScoreDoc sd : s.search(q, n).scoreDocs) {
                    Document d = stored.document(sd.doc, wanted);
                    out.put(d.get(Schema.PKG_FILE), new Existing(d.get(Schema.FAILURE_MESSAGE) != null,
                            d.getField(Schema.PKG_SIZE).numericValue().longValue(),
                            d.getField(Schema.PKG_MTIME).numericValue().longValue(),
                            d.get(Schema.PKG_LABEL) == null ? "" : d.get(Schema.PKG_LABEL)));
                }
                return out;
            } catch (IOException e) {
                throw new IndexException("cannot read index " + options.index() + ": " + e.getMessage(), e);
            }
        }
    }
}
