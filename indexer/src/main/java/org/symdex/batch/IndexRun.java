package org.symdex.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.document.Document;
import org.symdex.index.DocumentMapper;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSession;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;
import org.symdex.io.Limits;
import org.symdex.scan.PackageScanner;

/**
 * One indexing run: walk the inputs ({@link InputWalker}), decide per package whether to skip, add,
 * replace or retry it ({@link RunPlan}, the planner the Spark job shares), read the rest in parallel
 * ({@link PackageRead}; one package per task; the IndexWriter is the only shared object, besides
 * counters), prune, and commit every N packages and at the end.
 *
 * <p>Crash safety: all documents of a package go in with one {@code updateDocuments} call keyed by the
 * package file, so every commit holds whole packages; the writer never commits on close, so a killed
 * run leaves its last commit intact; the next run skips what that commit holds (same path, size,
 * mtime) and reads the rest. Every commit records how many of the run's packages it holds
 * ({@link Schema#DATA_RUN_DONE} of {@link Schema#DATA_RUN_TOTAL}); only the last one is stamped
 * finished, so a reader can tell a night from a run's middle. Removals (--prune) are applied in that
 * last commit only: an unfinished commit never shows a package as gone.
 *
 * <p>Failures: a package that cannot be read, or whose documents the writer refuses (a term over
 * Lucene's limit, say), is recorded as a failure document (replacing whatever was indexed for that
 * path, which no longer describes the file) and the run goes on; failures are retried on every run.
 * A failure of the writer itself (a full disk) ends the run with the last commit intact.
 *
 * <p>Pruning never trusts an empty or damaged walk: nothing is removed under a root that is missing,
 * that held no package, or whose walk hit any error, and more than {@code --max-prune} percent of a
 * root's packages (when more than 5) is refused unless forced. An unmounted mirror then costs a
 * warning, not the index.
 */
public final class IndexRun {
    /** Prune refusals only start above this many removals: a small repository may lose half its 4 packages. */
    static final int PRUNE_GUARD_MIN = 5;

    private final RunOptions options;
    private final RunListener listener;
    private final AtomicBoolean stopRequested = new AtomicBoolean();

    /** Thrown by the {@link RunOptions#crashAfterCommits} test hook once the run has "died". */
    public static final class InjectedCrash extends IndexException {
        private static final long serialVersionUID = 1L;

        InjectedCrash(int commits) {
            super("fault injected: run stopped after commit " + commits);
        }
    }

    public IndexRun(RunOptions options, RunListener listener) {
        this.options = options;
        this.listener = listener;
    }

    /**
     * Asks a running {@link #run} to stop (SIGINT, SIGTERM): no package is started any more, packages
     * being read are abandoned, and what was read is committed as an unfinished run. Thread-safe.
     */
    public void requestStop() {
        stopRequested.set(true);
    }

    /**
     * Runs over {@code inputs} (package files and directories) and the options' sources. A source that
     * cannot be read as given (an architecture its Release does not list), or two sources that yield one
     * label, end the run before anything is read: IndexException with the source layer's one line.
     */
    public RunReport run(List<Path> inputs) throws IndexException {
        RunPlan.Inputs in = RunPlan.gather(options, inputs, listener);
        Optional<RunReport> none = in.nothingToIndex();
        if (none.isPresent()) {
            return none.get();
        }
        try (IndexSession session = in.openSession(); RunPlan plan = in.plan(session)) {
            return new Execution(session, plan).run();
        }
    }

    /** State of one run; lives as long as the session. */
    private final class Execution {
        private final IndexSession session;
        private final RunPlan plan;
        private final RunCounts counts;
        private final PackageRead reader;
        private final DocumentMapper mapper;
        /** Packages handled (written or failed) since the run began, for --commit-every. */
        private final AtomicInteger completed = new AtomicInteger();
        /** Set when the run must end early: an error of the index, the crash hook, or a stop request. */
        private final AtomicBoolean stop = new AtomicBoolean();
        /** The writer's own failure (disk full): ends the run, the last commit stays. */
        private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        /**
         * Writers hold it shared around updateDocuments and their count; a commit holds it exclusively,
         * so the count it records is exactly the packages it holds.
         */
        private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
        private int committed;
        private int commits;

        Execution(IndexSession session, RunPlan plan) {
            this.session = session;
            this.plan = plan;
            this.counts = plan.counts();
            this.mapper = new DocumentMapper(options.withSymbols());
            this.reader = new PackageRead(new PackageScanner(options.reader(), Limits.defaults(), options.withSymbols(),
                    options.spoolDir()), mapper, options.fetcher());
        }

        private boolean stopping() {
            return stop.get() || stopRequested.get();
        }

        RunReport run() throws IndexException {
            return session.rollingBack(() -> {
                plan.prelude(session.writer());
                runTasks(plan.tasks());
                Throwable wf = writerFailure.get();
                if (wf != null) {
                    throw writerFailed(wf);
                }
                boolean interrupted = stopRequested.get();
                RunPlan.Prune prune = plan.prune(interrupted);
                for (String gone : prune.remove()) {
                    session.writer().deleteDocuments(Schema.packageTerm(gone));
                }
                RunReport report = plan.report(prune, interrupted);
                if (interrupted && counts.written.get() == 0) {
                    session.rollback(); // nothing of this run to keep: the last commit stays as it was
                    return report;
                }
                Map<String, String> data = interrupted ? plan.commitData(counts.written.get()) : plan.nightData(report);
                listener.phase("committing");
                try {
                    session.commit(data);
                } catch (IndexException e) {
                    throw writerFailed(e.getCause() == null ? e : e.getCause());
                }
                return report;
            }, this::writerFailed);
        }

        /** The run's end after the writer failed: the last commit stands; say how much of the run it holds. */
        private IndexException writerFailed(Throwable cause) {
            return new IndexException(options.index() + ": index writer failed: " + session.failureReason(cause) + "; "
                    + committed + " of " + plan.total() + " packages of this run committed", session.failure(cause));
        }

        private void runTasks(List<RunPlan.Task> tasks) throws IndexException {
            ExecutorService pool = Executors.newFixedThreadPool(options.jobs(), r -> {
                Thread t = new Thread(r, "symdex-index");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>(tasks.size());
                for (RunPlan.Task t : tasks) {
                    futures.add(pool.submit(() -> {
                        index(t);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        // The first error of the index (or the injected crash) ends the run. The others
                        // are not interrupted (an interrupt inside Lucene's I/O closes the writer): they
                        // see the flag, abandon their scan at its next entry and write nothing.
                        stop.set(true);
                        awaitQuietly(pool);
                        Throwable c = e.getCause();
                        if (c instanceof IndexException ie) {
                            throw ie;
                        }
                        if (c instanceof OutOfMemoryError) {
                            // A resource limit, not a bug: what to do about it, and what is safe.
                            throw new IndexException(outOfMemory() + "; " + committed + " of " + plan.total()
                                    + " packages of this run committed", c);
                        }
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        throw new IndexException(options.index() + ": " + c, c);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stop.set(true);
                        throw new IndexException("interrupted", e);
                    }
                }
            } finally {
                pool.shutdown();
                awaitQuietly(pool);
            }
        }

        private void awaitQuietly(ExecutorService pool) {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** One package: hash, scan, map, write; or record why it could not be read. */
        private void index(RunPlan.Task t) throws IndexException {
            if (stopping()) {
                return;
            }
            listener.packageStarted(t.stamp().file());
            if (!t.reads()) {
                relabel(t);
                return;
            }
            PackageRead.Outcome o = reader.read(t, this::stopping, plan::claimMove, plan::movedStamp);
            if (o.internalError() != null) {
                counts.internalErrors.add(o.internalError());
            }
            if (o.abandoned()) {
                return;
            }
            PackageStamp stamp = o.stamp();
            if (o.sourcePackage()) {
                // A source rpm's requires are build requirements: not indexed as a binary (whatever was
                // indexed under its name goes), counted as skipped, said once.
                if (write(stamp, List.of(), null) == Written.NOTHING) {
                    return;
                }
                o.warnings().forEach(listener::warning);
                counts.sourceSkipped.increment();
                listener.packageDone(stamp.file(), stamp.size());
                if (completed.incrementAndGet() % options.commitEvery() == 0) {
                    commitInProgress();
                }
                return;
            }
            Written wrote = write(stamp, o.failure() == null ? o.mapped().documents() : null, o.failure());
            if (wrote == Written.NOTHING) {
                return;
            }
            o.warnings().forEach(listener::warning);
            String movedFrom = o.movedFrom();
            if (wrote == Written.PACKAGE && movedFrom != null) {
                try {
                    session.writer().deleteDocuments(Schema.packageTerm(movedFrom));
                } catch (IOException | RuntimeException e) {
                    throw fail(e);
                }
                plan.moved(movedFrom);
                listener.warning(movedFrom + ": moved to " + stamp.file());
            }
            if (wrote == Written.PACKAGE) {
                (movedFrom != null ? counts.moved : t.action() == RunPlan.Action.REPLACE ? counts.replaced
                        : counts.added).increment();
                counts.elfFiles.add(o.mapped().elfFiles());
                counts.capabilities.add(o.mapped().capabilities());
            }
            if (wrote == Written.FAILURE) {
                plan.countFailure(stamp.file());
            }
            counts.bytesRead.add(o.bytesRead());
            listener.packageDone(stamp.file(), stamp.size());
            if (completed.incrementAndGet() % options.commitEvery() == 0) {
                commitInProgress();
            }
        }

        private Written write(PackageStamp stamp, List<Document> docs, String failure) throws IndexException {
            return write(stamp, docs, failure, null);
        }

        /**
         * Writes a package's documents, or its failure record, deleting {@code drop}'s documents in the
         * same commit (PackageWrite), under the commit lock so a commit's count is exact.
         */
        private Written write(PackageStamp stamp, List<Document> docs, String failure, String drop) throws IndexException {
            commitLock.readLock().lock();
            try {
                if (stopping()) {
                    return Written.NOTHING;
                }
                String why;
                try {
                    why = PackageWrite.write(session.writer(), stamp, docs, failure, drop);
                } catch (PackageWrite.WriterFailed e) {
                    throw fail(e.getCause());
                }
                counts.written.incrementAndGet();
                if (why == null) {
                    return Written.PACKAGE;
                }
                counts.failures.add(new RunReport.Failure(stamp.file(), why));
                listener.packageFailed(stamp.file(), why);
                return Written.FAILURE;
            } finally {
                commitLock.readLock().unlock();
            }
        }

        /**
         * A label-only change: the package's documents rewritten from their stored fields, nothing read;
         * from another key when a listed package's first location changed (the old key's documents go in
         * the same write) or when a walked copy of the same bytes is indexed (kept).
         */
        private void relabel(RunPlan.Task t) throws IndexException {
            PackageStamp stamp = t.stamp();
            DocumentMapper.Mapped m;
            try {
                m = plan.relabel(t, mapper);
            } catch (IOException e) {
                throw fail(e);
            } catch (IndexException e) {
                if (write(stamp, null, e.getMessage()) != Written.NOTHING) {
                    listener.packageDone(stamp.file(), 0);
                }
                return;
            }
            if (write(stamp, m.documents(), null, RunPlan.relabelDrops(t)) == Written.NOTHING) {
                return;
            }
            counts.relabelled.increment();
            listener.packageDone(stamp.file(), 0);
            if (completed.incrementAndGet() % options.commitEvery() == 0) {
                commitInProgress();
            }
        }

        private IndexException fail(Throwable e) {
            writerFailure.compareAndSet(null, e);
            stop.set(true);
            return writerFailed(e);
        }

        /** An intermediate commit: whole packages only, their count, and no "finished" stamp. */
        private void commitInProgress() throws IndexException {
            commitLock.writeLock().lock();
            try {
                if (stop.get()) {
                    return;
                }
                listener.phase("committing");
                try {
                    session.commit(plan.commitData(counts.written.get()));
                } catch (IndexException e) {
                    throw fail(e.getCause() == null ? e : e.getCause());
                } finally {
                    listener.phase(null);
                }
                committed = counts.written.get();
                commits++;
                listener.committed(committed, plan.total());
                if (options.crashAfterCommits() > 0 && commits == options.crashAfterCommits()) {
                    stop.set(true);
                    throw new InjectedCrash(commits);
                }
            } finally {
                commitLock.writeLock().unlock();
            }
        }
    }

    /** What {@code write} put in the writer: nothing (the run is stopping), the package, or its failure record. */
    private enum Written { NOTHING, PACKAGE, FAILURE }

    /** {@code out of memory (heap 24 MiB); raise it with SYMDEX_JAVA_OPTS=-Xmx48m}: the message every command gives. */
    public static String outOfMemory() {
        long mib = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (heap " + mib + " MiB); raise it with SYMDEX_JAVA_OPTS=-Xmx" + Math.max(64, 2 * mib) + "m";
    }

    /** {@code 10} or {@code 2.5}: a --max-prune value as the user wrote it. */
    static String percentText(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
