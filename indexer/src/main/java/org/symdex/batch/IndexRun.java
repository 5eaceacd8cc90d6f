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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.symdex.index.DocumentMapper;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSession;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;
import org.symdex.io.Limits;
import org.symdex.pkg.PackageFormatException;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;
import org.symdex.scan.Warning;
import org.symdex.index.SourceRecord;
import org.symdex.source.ListedPackage;
import org.symdex.source.SourceException;
import org.symdex.source.SourceReader;

/**
 * One indexing run: walk the inputs ({@link InputWalker}), decide per package whether to skip, add,
 * replace or retry it, read the rest in parallel (one package per task; the IndexWriter is the only
 * shared object, besides counters), prune, and commit every N packages and at the end.
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

    /** RELABEL: unchanged, but given another label: rewritten from its stored fields, not read. */
    private enum Action { ADD, REPLACE, RETRY, RELABEL }

    /** What {@code write} put in the writer: nothing (the run is stopping), the package, or its failure record. */
    private enum Written { NOTHING, PACKAGE, FAILURE }

    /**
     * One package of the run: walked ({@code input}) or listed by a source ({@code listed}, read through
     * the fetcher and verified); for RELABEL, {@code from} is the key its documents are now under, kept
     * when {@code keepFrom} (a walked copy of the same bytes).
     */
    private record Task(InputWalker.Input input, ListedPackage listed, PackageStamp stamp, Action action, String from,
                        boolean keepFrom) {
        Task(InputWalker.Input input, PackageStamp stamp, Action action) {
            this(input, null, stamp, action, stamp.file(), false);
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
        long t0 = System.nanoTime();
        String started = Instant.now().toString();
        InputWalker.Walk walk = InputWalker.walk(inputs, InputWalker.Accept.PACKAGES);
        walk.warnings().forEach(listener::warning);
        Optional<Map<String, String>> last = options.rebuild() ? Optional.empty() : IndexSnapshot.lastCommitData(options.index());
        SourceSet sources;
        try {
            sources = options.sources().isEmpty() ? SourceSet.none()
                    : SourceSet.open(options.sources(), new SourceReader(options.fetcher(), options.sourceFilter()),
                            last.map(d -> SourceRecord.fromJson(d.get(Schema.DATA_SOURCES))).orElse(List.of()), listener,
                            options.allowOlder());
        } catch (SourceException e) {
            throw new IndexException(e.getMessage(), e);
        }
        boolean anything = walk.inputs().stream().anyMatch(InputWalker.Input::ok)
                || sources.sources().stream().anyMatch(s -> s.head != null);
        if (!anything && !options.rebuild() && last.isEmpty()) {
            // Every root missing or empty and no index yet: make none. An index that holds nothing
            // would hide the fault from every later command ("nothing broken").
            List<RunReport.Failure> failed = new ArrayList<>();
            for (InputWalker.Input in : walk.inputs()) {
                failed.add(new RunReport.Failure(in.key(), in.problem()));
                listener.packageFailed(in.key(), in.problem());
            }
            return RunReport.nothingWritten(failed, sources.failed().stream().map(x -> x.failure).toList(),
                    System.nanoTime() - t0);
        }
        try (IndexSession session = IndexSession.open(options.index(), options.rebuild(), options.withSymbols(),
                options.keep())) {
            return new Execution(session, started, t0, sources, last.map(d -> d.get(Schema.DATA_SOURCES)).orElse(null))
                    .run(walk);
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
        private final LongAdder sourceSkipped = new LongAdder();
        private final LongAdder relabelled = new LongAdder();
        private final LongAdder moved = new LongAdder();
        private final Set<String> movedKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** sha256 → keys of indexed packages the walk did not find: what a new path may be a move of. */
        private final Map<String, ConcurrentLinkedQueue<String>> movable = new java.util.concurrent.ConcurrentHashMap<>();
        /** The index as the run found it: stored documents of packages to relabel. */
        private DirectoryReader before;
        private final LongAdder elfFiles = new LongAdder();
        private final LongAdder capabilities = new LongAdder();
        private final LongAdder bytesRead = new LongAdder();
        private final ConcurrentLinkedQueue<RunReport.Failure> failures = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Throwable> internalErrors = new ConcurrentLinkedQueue<>();
        /** Packages of this run whose documents are in the writer. */
        private final AtomicInteger written = new AtomicInteger();
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
        private int total;
        private int committed;
        private int commits;
        private final SourceSet sources;
        /** Key of a listed package to read → the sources that list it (their counts). */
        private final Map<String, List<SourceSet.Source>> listedBy = new HashMap<>();
        /** The sources entry of the commit the run began from: what every commit but the last carries. */
        private final String sourcesBefore;

        Execution(IndexSession session, String started, long t0, SourceSet sources, String sourcesBefore) {
            this.session = session;
            this.started = started;
            this.t0 = t0;
            this.sources = sources;
            this.sourcesBefore = sourcesBefore;
            this.scanner = new PackageScanner(options.reader(), Limits.defaults(), options.withSymbols(),
                    options.spoolDir());
            this.mapper = new DocumentMapper(options.withSymbols());
        }

        private boolean stopping() {
            return stop.get() || stopRequested.get();
        }

        RunReport run(InputWalker.Walk walk) throws IndexException {
            // Nothing walked and every source unchanged: the night is a commit, and nothing of the index
            // needs reading (on the libs section that read is most of an unchanged run).
            boolean nothingToDecide = walk.roots().isEmpty() && sources.listed().isEmpty();
            Map<String, Indexed> existing = nothingToDecide ? Map.of() : readIndexed();
            List<Task> tasks = new ArrayList<>();
            List<Document> walkFailures = new ArrayList<>();
            List<String> staleRootFailures = new ArrayList<>();
            int skipped = 0;
            long bytesToRead = 0;
            Set<String> seen = new HashSet<>();
            for (InputWalker.Root root : walk.roots()) {
                Indexed e = existing.get(root.key());
                if (e != null && e.failure() && !root.missing()) {
                    staleRootFailures.add(root.key()); // recorded missing last time, here now
                }
            }
            for (InputWalker.Input in : walk.inputs()) {
                seen.add(in.key());
                if (!in.ok()) {
                    if (in.named() && options.prune() && options.pruneMissingRoots() && missingRoot(walk, in)) {
                        listener.warning(in.key() + ": missing; its packages are pruned (--prune-missing-roots)");
                        continue;
                    }
                    // Recorded where `symdex failures` lists it (a missing root too), and retried next run.
                    PackageStamp stamp = new PackageStamp(in.key(), in.size(), in.mtime(), labelFor(existing.get(in.key())));
                    failures.add(new RunReport.Failure(in.key(), in.problem()));
                    listener.packageFailed(in.key(), in.problem());
                    walkFailures.add(DocumentMapper.failure(stamp, in.problem()));
                    continue;
                }
                Indexed e = existing.get(in.key());
                PackageStamp stamp = new PackageStamp(in.key(), in.size(), in.mtime(), labelFor(e));
                if (e == null) {
                    tasks.add(new Task(in, stamp, Action.ADD));
                } else if (e.failure()) {
                    tasks.add(new Task(in, stamp, Action.RETRY));
                } else if (e.size() == in.size() && e.mtime() == in.mtime()) {
                    if (!e.labels().equals(stamp.labels())) {
                        tasks.add(new Task(in, stamp, Action.RELABEL)); // nothing to read
                    } else {
                        skipped++;
                    }
                    continue;
                } else {
                    tasks.add(new Task(in, stamp, Action.REPLACE));
                }
                bytesToRead += in.size();
            }
            // Indexed packages this walk did not find, by checksum: one found again under a new path (a
            // mirror moved) is that package, moved, not a second one.
            for (Map.Entry<String, Indexed> x : existing.entrySet()) {
                if (!seen.contains(x.getKey()) && !x.getValue().failure() && x.getValue().sha256() != null
                        && !x.getValue().listed()) {
                    movable.computeIfAbsent(x.getValue().sha256(), k -> new ConcurrentLinkedQueue<>()).add(x.getKey());
                }
            }
            // What the sources listed: decided against the index by checksum (ListingPlan).
            ListingPlan plan = sources.listed().isEmpty() ? new ListingPlan()
                    : ListingPlan.of(sources.listed(), ListingPlan.union(sources.listed()), existing, options.prune(),
                            options.maxPrunePercent(), options.forcePrune(), sources.baseOfLabel());
            for (ListingPlan.Read r : plan.reads) {
                Action a = r.retry() ? Action.RETRY : r.replace() ? Action.REPLACE : Action.ADD;
                tasks.add(new Task(null, r.pkg(), r.stamp(), a, r.stamp().file(), false));
                listedBy.put(r.stamp().file(), r.sources());
            }
            for (ListingPlan.Rewrite w : plan.rewrites) {
                tasks.add(new Task(null, null, w.stamp(), Action.RELABEL, w.from(), w.keepFrom()));
            }
            skipped += plan.unchanged;
            bytesToRead += plan.bytesToRead;
            total = tasks.size();
            listener.planned(tasks.size(), skipped, 0, bytesToRead);
            // Largest first, so that the run does not end with one core decompressing a big package
            // while the others idle (see LargestFirst). The index does not depend on the order.
            tasks.sort(Comparator.comparingLong((Task t) -> t.stamp().size()).reversed());

            try {
                for (String gone : staleRootFailures) {
                    session.writer().deleteDocuments(Schema.packageTerm(gone));
                }
                for (Document d : walkFailures) {
                    session.writer().updateDocuments(Schema.packageTerm(d.get(Schema.PKG_FILE)), List.of(d));
                }
                for (ListingPlan.FailureRewrite f : plan.failureRewrites) {
                    session.writer().updateDocuments(Schema.packageTerm(f.stamp().file()),
                            List.of(DocumentMapper.failure(f.stamp(), f.message())));
                }
                for (String gone : plan.dropFailures) {
                    session.writer().deleteDocuments(Schema.packageTerm(gone));
                }
                runTasks(tasks);
                Throwable wf = writerFailure.get();
                if (wf != null) {
                    throw writerFailed(wf);
                }
                boolean interrupted = stopRequested.get();
                // Planned once the packages are read: a package found under a new path (moved) is not gone.
                seen.addAll(movedKeys);
                Prune prune = options.prune() && !interrupted ? planPrune(existing, seen, walk.roots()) : Prune.NONE;
                if (!interrupted) {
                    prune = prune.plus(plan.prunes, plan.refusals);
                }
                prune.refusals().forEach(r -> listener.warning(r));
                for (String gone : prune.remove()) {
                    session.writer().deleteDocuments(Schema.packageTerm(gone));
                }
                List<RunReport.Failure> failed = new ArrayList<>(failures);
                failed.sort(Comparator.comparing(RunReport.Failure::packageFile));
                int removed = prune.removedPackages();
                RunReport report = new RunReport(added.intValue(), skipped + sourceSkipped.intValue(), replaced.intValue(),
                        removed, relabelled.intValue(), moved.intValue(), failed,
                        elfFiles.sum(), capabilities.sum(), bytesRead.sum(), System.nanoTime() - t0, total,
                        written.get(), interrupted, prune.refusals(), true, List.copyOf(internalErrors),
                        sources.sources().stream().map(SourceSet.Source::result).toList(),
                        sources.failed().stream().map(x -> x.failure).toList());
                if (interrupted && written.get() == 0) {
                    session.rollback(); // nothing of this run to keep: the last commit stays as it was
                    return report;
                }
                Map<String, String> data = runData();
                if (!interrupted) {
                    data.put(Schema.DATA_RUN_FINISHED, Instant.now().toString());
                    data.put(Schema.DATA_RUN_SUMMARY, report.summary());
                    if (!sources.isEmpty()) {
                        data.put(Schema.DATA_SOURCES, SourceRecord.toJson(sources.records()));
                    }
                }
                listener.phase("committing");
                try {
                    session.commit(data);
                } catch (IndexException e) {
                    throw writerFailed(e.getCause() == null ? e : e.getCause());
                }
                return report;
            } catch (IndexException e) {
                session.rollback();
                throw e;
            } catch (IOException e) {
                session.rollback();
                throw writerFailed(e);
            } catch (RuntimeException e) {
                session.rollback();
                if (session.writer().getTragicException() != null) {
                    throw writerFailed(e);
                }
                throw e;
            } finally {
                org.apache.lucene.util.IOUtils.closeWhileHandlingException(before);
            }
        }

        /** The labels a package gets: the run's when one was given, else the ones it has (none for a new one). */
        private List<String> labelFor(Indexed e) {
            if (options.label() != null) {
                return PackageStamp.sortedLabels(List.of(options.label()));
            }
            return e == null ? List.of() : e.labels();
        }

        private boolean missingRoot(InputWalker.Walk walk, InputWalker.Input in) {
            return walk.roots().get(in.root()).missing();
        }

        /** The run's end after the writer failed: the last commit stands; say how much of the run it holds. */
        private IndexException writerFailed(Throwable cause) {
            Throwable t = session.writer().getTragicException() != null ? session.writer().getTragicException() : cause;
            while (t.getCause() != null && t.getMessage() != null && t.getMessage().equals(t.getCause().toString())) {
                t = t.getCause();
            }
            String reason = t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            return new IndexException(options.index() + ": index writer failed: " + reason + "; " + committed + " of "
                    + total + " packages of this run committed", t);
        }

        private Map<String, String> runData() {
            Map<String, String> data = new HashMap<>();
            data.put(Schema.DATA_RUN_STARTED, started);
            data.put(Schema.DATA_RUN_DONE, Integer.toString(written.get()));
            data.put(Schema.DATA_RUN_TOTAL, Integer.toString(total));
            if (sourcesBefore != null) {
                data.put(Schema.DATA_SOURCES, sourcesBefore); // a source counts as read only in the last commit
            }
            return data;
        }

        /** What --prune removes, and the roots where it refused to. */
        private record Prune(List<String> remove, int removedPackages, List<String> refusals) {
            static final Prune NONE = new Prune(List.of(), 0, List.of());

            /** With the removals and refusals of the sources' listings. */
            Prune plus(List<String> listedGone, List<String> listedRefusals) {
                List<String> r = new ArrayList<>(remove);
                r.addAll(listedGone);
                List<String> why = new ArrayList<>(refusals);
                why.addAll(listedRefusals);
                return new Prune(r, removedPackages + listedGone.size(), why);
            }
        }

        /**
         * Per root: the indexed packages (and failure records) under it that this walk did not find, unless
         * the walk cannot be trusted (missing, empty, errors) or they are too many of the root's packages.
         */
        private Prune planPrune(Map<String, Indexed> indexed, Set<String> seen, List<InputWalker.Root> roots) {
            List<String> remove = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            int removedPackages = 0;
            Set<String> planned = new HashSet<>();
            for (InputWalker.Root root : roots) {
                List<String> gone = new ArrayList<>();
                int packagesBefore = 0;
                int packagesGone = 0;
                for (Map.Entry<String, Indexed> e : indexed.entrySet()) {
                    if (!root.holds(e.getKey())) {
                        continue;
                    }
                    packagesBefore += e.getValue().failure() ? 0 : 1;
                    if (!seen.contains(e.getKey()) && !planned.contains(e.getKey())) {
                        gone.add(e.getKey());
                        packagesGone += e.getValue().failure() ? 0 : 1;
                    }
                }
                if (gone.isEmpty()) {
                    continue;
                }
                boolean missingAllowed = root.missing() && options.pruneMissingRoots();
                if (!root.prunable() && !missingAllowed) {
                    String why = root.missing() ? "it is missing" : root.found() == 0 && root.errors() == 0
                            ? "its walk found no package" : "its walk met " + root.errors() + " error(s)";
                    refusals.add(root.display() + ": --prune would remove " + packagesGone + " of " + packagesBefore
                            + " indexed packages, but " + why + "; nothing removed there");
                    continue;
                }
                double percent = packagesBefore == 0 ? 0 : 100.0 * packagesGone / packagesBefore;
                if (packagesGone > PRUNE_GUARD_MIN && percent > options.maxPrunePercent() && !options.forcePrune()) {
                    refusals.add(String.format(Locale.ROOT, "%s: --prune would remove %d of %d indexed packages "
                            + "(%.0f%% > --max-prune %s); nothing removed there (--force-prune to allow)",
                            root.display(), packagesGone, packagesBefore, percent, percentText(options.maxPrunePercent())));
                    continue;
                }
                remove.addAll(gone);
                planned.addAll(gone);
                removedPackages += packagesGone;
            }
            remove.sort(null);
            return new Prune(remove, removedPackages, refusals);
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
                            throw new IndexException(outOfMemory() + "; " + committed + " of " + total
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
        private void index(Task t) throws IndexException {
            if (stopping()) {
                return;
            }
            PackageStamp stamp = t.stamp();
            listener.packageStarted(stamp.file());
            if (t.action() == Action.RELABEL) {
                relabel(t);
                return;
            }
            String failure = null;
            DocumentMapper.Mapped mapped = null;
            List<String> warnings = new ArrayList<>();
            String movedFrom = null;
            long bytes = stamp.size();
            try {
                PackageScan scan;
                String sha;
                if (t.listed() != null) {
                    ListedRead read = ListedRead.of(t.listed(), options.fetcher(), scanner, this::stopping);
                    scan = read.scan();
                    sha = read.sha256();
                    bytes = read.bytes();
                } else {
                    MessageDigest md = sha256();
                    scan = scanner.scan(t.input().path(), md, this::stopping);
                    sha = HexFormat.of().formatHex(md.digest());
                }
                movedFrom = t.action() == Action.ADD && t.listed() == null ? claimMove(sha) : null;
                if (movedFrom != null && options.label() == null) {
                    stamp = new PackageStamp(stamp.file(), stamp.size(), stamp.mtime(), oldLabels(movedFrom));
                }
                mapped = mapper.map(stamp, sha, scan);
                for (Warning w : scan.warnings()) {
                    warnings.add(w.format(stamp.file()));
                }
                // An ELF file's own problems (symbols over the heap's budget, a skipped .dynamic) are
                // stored with it, and said as deps says them: PACKAGE!/path: reason.
                for (ScannedFile f : scan.files()) {
                    for (Warning w : f.warnings()) {
                        warnings.add(w.format(stamp.file()));
                    }
                }
                warnings.addAll(mapped.warnings());
            } catch (SourceException e) {
                failure = e.reason(); // the bytes are not what the source lists: never indexed
                bytes = 0;
            } catch (PackageFormatException e) {
                failure = e.getMessage();
            } catch (IndexException e) {
                failure = e.getMessage(); // the mapper's: an identity over the term limit
            } catch (IOException e) {
                failure = "cannot read: " + InputWalker.FileNames.reason(e);
            } catch (RuntimeException | StackOverflowError e) {
                // Our bug, but one package must not cost a nightly run: record it where `symdex
                // failures` shows it, and keep the exception (the run's exit code says 70, --verbose
                // prints its trace).
                failure = "internal error: " + e;
                internalErrors.add(new IllegalStateException(stamp.file() + ": " + e, e));
            }
            if (stopping()) {
                return; // abandoned: a stopped scan's failure is not the package's
            }
            if (failure == null && mapped.sourcePackage()) {
                // A source rpm's requires are build requirements: not indexed as a binary (whatever was
                // indexed under its name goes), counted as skipped, said once.
                if (write(stamp, List.of(), null) == Written.NOTHING) {
                    return;
                }
                warnings.forEach(listener::warning);
                sourceSkipped.increment();
                listener.packageDone(stamp.file(), stamp.size());
                if (completed.incrementAndGet() % options.commitEvery() == 0) {
                    commitInProgress();
                }
                return;
            }
            Written wrote = write(stamp, failure == null ? mapped.documents() : null, failure);
            if (wrote == Written.NOTHING) {
                return;
            }
            warnings.forEach(listener::warning);
            if (wrote == Written.PACKAGE && movedFrom != null) {
                try {
                    session.writer().deleteDocuments(Schema.packageTerm(movedFrom));
                } catch (IOException | RuntimeException e) {
                    throw fail(e);
                }
                movedKeys.add(movedFrom);
                listener.warning(movedFrom + ": moved to " + stamp.file());
            }
            if (wrote == Written.PACKAGE) {
                (movedFrom != null ? moved : t.action() == Action.REPLACE ? replaced : added).increment();
                elfFiles.add(mapped.elfFiles());
                capabilities.add(mapped.capabilities());
            }
            if (wrote == Written.FAILURE) {
                for (SourceSet.Source src : listedBy.getOrDefault(stamp.file(), List.of())) {
                    synchronized (src) {
                        src.failed++;
                    }
                }
            }
            if (failure == null || !failure.startsWith("cannot open")) {
                bytesRead.add(bytes); // a package that could not even be opened was not read
            }
            listener.packageDone(stamp.file(), stamp.size());
            if (completed.incrementAndGet() % options.commitEvery() == 0) {
                commitInProgress();
            }
        }

        /**
         * Writes a package's documents, or its failure record. A document the writer refuses without
         * failing itself (a term over Lucene's limit) makes the package a failure; a failure of the
         * writer ends the run.
         */
        private Written write(PackageStamp stamp, List<Document> docs, String failure) throws IndexException {
            return write(stamp, docs, failure, null);
        }

        /** As {@link #write(PackageStamp, List, String)}, deleting {@code drop}'s documents in the same commit. */
        private Written write(PackageStamp stamp, List<Document> docs, String failure, String drop) throws IndexException {
            commitLock.readLock().lock();
            try {
                if (stopping()) {
                    return Written.NOTHING;
                }
                String why = failure;
                if (docs != null) {
                    try {
                        if (drop != null) {
                            session.writer().deleteDocuments(Schema.packageTerm(drop));
                        }
                        if (docs.isEmpty()) {
                            // Nothing to index (a source rpm): whatever was indexed under its name goes.
                            session.writer().deleteDocuments(Schema.packageTerm(stamp.file()));
                        } else {
                            session.writer().updateDocuments(Schema.packageTerm(stamp.file()), docs);
                        }
                        written.incrementAndGet();
                        return Written.PACKAGE;
                    } catch (IllegalArgumentException e) {
                        if (session.writer().getTragicException() != null) {
                            throw fail(e);
                        }
                        why = "the index refused its documents: " + e.getMessage();
                    } catch (IOException | RuntimeException e) {
                        throw fail(e);
                    }
                }
                try {
                    session.writer().updateDocuments(Schema.packageTerm(stamp.file()),
                            List.of(DocumentMapper.failure(stamp, why)));
                } catch (IllegalArgumentException e) {
                    if (session.writer().getTragicException() != null) {
                        throw fail(e);
                    }
                    // Not even its failure record fits (a file name over the term limit): said, not stored.
                    why += " (not recorded in the index: " + e.getMessage() + ")";
                } catch (IOException | RuntimeException e) {
                    throw fail(e);
                }
                written.incrementAndGet();
                failures.add(new RunReport.Failure(stamp.file(), why));
                listener.packageFailed(stamp.file(), why);
                return Written.FAILURE;
            } finally {
                commitLock.readLock().unlock();
            }
        }

        /**
         * The indexed package, gone from its path, that a package read under a new path is (same sha256):
         * claimed once, so two new copies do not both take it. Only when the old path no longer exists:
         * a package still on disk elsewhere is another copy, not a move.
         */
        private String claimMove(String sha) {
            ConcurrentLinkedQueue<String> q = movable.get(sha);
            if (q == null) {
                return null;
            }
            for (String old = q.poll(); old != null; old = q.poll()) {
                if (!existsOnDisk(old)) {
                    return old;
                }
            }
            return null;
        }

        private boolean existsOnDisk(String key) {
            try {
                return java.nio.file.Files.exists(Path.of(key));
            } catch (java.nio.file.InvalidPathException e) {
                return true; // a name with \\xNN: cannot be told, so not taken for gone
            }
        }

        private List<String> oldLabels(String key) {
            Indexed e = indexedByKey.get(key);
            return e == null ? List.of() : e.labels();
        }

        /**
         * A label-only change: the package's documents rewritten from their stored fields, nothing read;
         * from another key when a listed package's first location changed (the old key's documents go in
         * the same write) or when a walked copy of the same bytes is indexed (kept).
         */
        private void relabel(Task t) throws IndexException {
            PackageStamp stamp = t.stamp();
            List<Document> stored = new ArrayList<>();
            try {
                IndexSearcher s = new IndexSearcher(before);
                for (ScoreDoc sd : s.search(new TermQuery(Schema.packageTerm(t.from())), Integer.MAX_VALUE).scoreDocs) {
                    stored.add(s.storedFields().document(sd.doc));
                }
            } catch (IOException e) {
                throw fail(e);
            }
            boolean elsewhere = !t.from().equals(stamp.file());
            DocumentMapper.Mapped m;
            try {
                m = elsewhere || stamp.listed() ? mapper.relabel(stored, stamp) : mapper.relabel(stored, stamp.labels());
            } catch (IndexException e) {
                if (write(stamp, null, e.getMessage()) != Written.NOTHING) {
                    listener.packageDone(stamp.file(), 0);
                }
                return;
            }
            String drop = elsewhere && !t.keepFrom() ? t.from() : null;
            if (write(stamp, m.documents(), null, drop) == Written.NOTHING) {
                return;
            }
            relabelled.increment();
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
                    session.commit(runData());
                } catch (IndexException e) {
                    throw fail(e.getCause() == null ? e : e.getCause());
                } finally {
                    listener.phase(null);
                }
                committed = written.get();
                commits++;
                listener.committed(committed, total);
                if (options.crashAfterCommits() > 0 && commits == options.crashAfterCommits()) {
                    stop.set(true);
                    throw new InjectedCrash(commits);
                }
            } finally {
                commitLock.writeLock().unlock();
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

        /** What the index held when the run began, by package file. */
        private Map<String, Indexed> indexedByKey = Map.of();

        /**
         * Every package and failure document of the index: file → what was indexed. The reader stays open
         * for the run: a label-only rewrite reads its stored documents.
         */
        private Map<String, Indexed> readIndexed() throws IndexException {
            Map<String, Indexed> out = new HashMap<>();
            try {
                before = DirectoryReader.open(session.writer());
                IndexSearcher s = new IndexSearcher(before);
                Query q = new BooleanQuery.Builder()
                        .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.SHOULD)
                        .add(Schema.kind(Schema.KIND_FAILURE), BooleanClause.Occur.SHOULD)
                        .build();
                int n = s.count(q);
                if (n > 0) {
                    StoredFields stored = s.storedFields();
                    Set<String> wanted = Set.of(Schema.PKG_FILE, Schema.PKG_SIZE, Schema.PKG_MTIME, Schema.PKG_LABEL,
                            Schema.FAILURE_MESSAGE, Schema.PKG_SHA256, Schema.PKG_LOCATION, Schema.PKG_CHECKSUM);
                    for (ScoreDoc sd : s.search(q, n).scoreDocs) {
                        Document d = stored.document(sd.doc, wanted);
                        String key = d.get(Schema.PKG_FILE);
                        String checksum = d.get(Schema.PKG_CHECKSUM);
                        out.put(key, new Indexed(key, d.get(Schema.FAILURE_MESSAGE) != null,
                                d.getField(Schema.PKG_SIZE).numericValue().longValue(),
                                d.getField(Schema.PKG_MTIME).numericValue().longValue(),
                                PackageStamp.sortedLabels(List.of(d.getValues(Schema.PKG_LABEL))), d.get(Schema.PKG_SHA256),
                                List.of(d.getValues(Schema.PKG_LOCATION)), checksum == null ? "" : checksum,
                                d.get(Schema.FAILURE_MESSAGE)));
                    }
                }
                indexedByKey = out;
                return out;
            } catch (IOException e) {
                throw new IndexException(options.index() + ": cannot read index: " + e.getMessage(), e);
            }
        }
    }

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
