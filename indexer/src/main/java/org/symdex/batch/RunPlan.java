package org.symdex.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
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
import org.symdex.index.SourceRecord;
import org.symdex.source.ListedPackage;
import org.symdex.source.SourceException;
import org.symdex.source.SourceReader;

/**
 * What one run does to the index, decided before any package is read, and what it records when it
 * ends: the one planner of {@code symdex index} ({@link IndexRun}, threads in one JVM) and of the Spark
 * job (executors writing shards that the driver adds), so the two cannot disagree on a rule.
 *
 * <p>It decides, per package: read it (ADD, REPLACE, RETRY; walked by its stamp, listed by its
 * checksum, {@link ListingPlan}), rewrite it from its stored fields (RELABEL), or leave it; which
 * failure records go or change before anything is read ({@link #prelude}); which indexed package a
 * package found under a new path is a move of ({@link #claimMove}); what --prune removes once the
 * packages are read, with its refusals ({@link #prune}); and the commit data of the run's commits,
 * the sources' records included ({@link #commitData}, {@link #nightData}). The caller reads, writes
 * and commits; {@link RunCounts} is what it tells the plan back.
 */
public final class RunPlan implements AutoCloseable {
    /** RELABEL: unchanged, but given another label: rewritten from its stored fields, not read. */
    public enum Action { ADD, REPLACE, RETRY, RELABEL }

    /**
     * One package of the run: walked ({@code input}) or listed by a source ({@code listed}, read through
     * the fetcher and verified); for RELABEL, {@code from} is the key its documents are now under, kept
     * when {@code keepFrom} (a walked copy of the same bytes).
     */
    public record Task(InputWalker.Input input, ListedPackage listed, PackageStamp stamp, Action action, String from,
                       boolean keepFrom) {
        Task(InputWalker.Input input, PackageStamp stamp, Action action) {
            this(input, null, stamp, action, stamp.file(), false);
        }

        /** Whether the package is read (else its stored documents are rewritten). */
        public boolean reads() {
            return action != Action.RELABEL;
        }
    }

    /** What --prune removes, and the roots and sources where it refused to. */
    public record Prune(List<String> remove, int removedPackages, List<String> refusals) {
        static final Prune NONE = new Prune(List.of(), 0, List.of());

        public Prune {
            remove = List.copyOf(remove);
            refusals = List.copyOf(refusals);
        }

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
     * What a run starts from, before the index is opened: the walk of its paths, its sources (opened,
     * and listed when changed) and the last commit's data.
     */
    public static final class Inputs {
        private final RunOptions options;
        private final RunListener listener;
        private final InputWalker.Walk walk;
        private final SourceSet sources;
        private final Optional<Map<String, String>> last;
        private final String started;
        private final long t0;

        private Inputs(RunOptions options, RunListener listener, InputWalker.Walk walk, SourceSet sources,
                       Optional<Map<String, String>> last, String started, long t0) {
            this.options = options;
            this.listener = listener;
            this.walk = walk;
            this.sources = sources;
            this.last = last;
            this.started = started;
            this.t0 = t0;
        }

        /**
         * The report of a run that makes no index: every root missing or empty, no source readable, and no
         * index yet. An index that holds nothing would hide the fault from every later command ("nothing
         * broken"). Empty when the run goes on.
         */
        public Optional<RunReport> nothingToIndex() {
            boolean anything = walk.inputs().stream().anyMatch(InputWalker.Input::ok)
                    || sources.sources().stream().anyMatch(s -> s.head != null);
            if (anything || options.rebuild() || last.isPresent()) {
                return Optional.empty();
            }
            List<RunReport.Failure> failed = new ArrayList<>();
            for (InputWalker.Input in : walk.inputs()) {
                failed.add(new RunReport.Failure(in.key(), in.problem()));
                listener.packageFailed(in.key(), in.problem());
            }
            return Optional.of(RunReport.nothingWritten(failed, sources.failed().stream().map(x -> x.failure).toList(),
                    System.nanoTime() - t0));
        }

        /** The run's writing session on the target index (its lock, stamp check and --keep). */
        public IndexSession openSession() throws IndexException {
            return IndexSession.open(options.index(), options.rebuild(), options.withSymbols(), options.keep());
        }

        /** Reads what the index holds (unless nothing needs deciding) and decides the run. */
        public RunPlan plan(IndexSession session) throws IndexException {
            RunPlan p = new RunPlan(this, session);
            try {
                p.decide();
                return p;
            } catch (IndexException | RuntimeException e) {
                p.close();
                throw e;
            }
        }

        /** When the run started (ISO-8601) and its monotonic start, for the report's wall time. */
        public String started() {
            return started;
        }

        public long startNanos() {
            return t0;
        }
    }

    /**
     * Walks {@code inputs} (package files and directories) and opens the options' sources. A source that
     * cannot be read as given (an architecture its Release does not list), or two sources that yield one
     * label, end the run before anything is read: IndexException with the source layer's one line.
     */
    public static Inputs gather(RunOptions options, List<Path> inputs, RunListener listener) throws IndexException {
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
        return new Inputs(options, listener, walk, sources, last, started, t0);
    }

    private final RunOptions options;
    private final RunListener listener;
    private final InputWalker.Walk walk;
    private final SourceSet sources;
    private final IndexSession session;
    private final String started;
    private final long t0;
    /** The sources entry of the commit the run began from: what every commit but the last carries. */
    private final String sourcesBefore;
    private final RunCounts counts = new RunCounts();
    /** The index as the run found it: stored documents of packages to relabel. */
    private DirectoryReader before;
    /** What the index held when the run began, by package file. */
    private Map<String, Indexed> existing = Map.of();
    private final List<Task> tasks = new ArrayList<>();
    private final List<Document> walkFailures = new ArrayList<>();
    private final List<String> staleRootFailures = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final Set<String> movedKeys = ConcurrentHashMap.newKeySet();
    /** sha256 → keys of indexed packages the walk did not find: what a new path may be a move of. */
    private final Map<String, ConcurrentLinkedQueue<String>> movable = new ConcurrentHashMap<>();
    /** Key of a listed package to read → the sources that list it (their counts). */
    private final Map<String, List<SourceSet.Source>> listedBy = new HashMap<>();
    private ListingPlan listing = new ListingPlan();
    private int skipped;
    private long bytesToRead;

    private RunPlan(Inputs in, IndexSession session) {
        this.options = in.options;
        this.listener = in.listener;
        this.walk = in.walk;
        this.sources = in.sources;
        this.session = session;
        this.started = in.started;
        this.t0 = in.t0;
        this.sourcesBefore = in.last.map(d -> d.get(Schema.DATA_SOURCES)).orElse(null);
    }

    private void decide() throws IndexException {
        // Nothing walked and every source unchanged: the night is a commit, and nothing of the index
        // needs reading (on the libs section that read is most of an unchanged run).
        boolean nothingToDecide = walk.roots().isEmpty() && sources.listed().isEmpty();
        existing = nothingToDecide ? Map.of() : readIndexed();
        for (InputWalker.Root root : walk.roots()) {
            Indexed e = existing.get(root.key());
            if (e != null && e.failure() && !root.missing()) {
                staleRootFailures.add(root.key()); // recorded missing last time, here now
            }
        }
        for (InputWalker.Input in : walk.inputs()) {
            seen.add(in.key());
            if (!in.ok()) {
                if (in.named() && options.prune() && options.pruneMissingRoots() && missingRoot(in)) {
                    listener.warning(in.key() + ": missing; its packages are pruned (--prune-missing-roots)");
                    continue;
                }
                // Recorded where `symdex failures` lists it (a missing root too), and retried next run.
                PackageStamp stamp = new PackageStamp(in.key(), in.size(), in.mtime(), labelFor(existing.get(in.key())));
                counts.failures.add(new RunReport.Failure(in.key(), in.problem()));
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
        if (!sources.listed().isEmpty()) {
            listing = ListingPlan.of(sources.listed(), ListingPlan.union(sources.listed()), existing, options.prune(),
                    options.maxPrunePercent(), options.forcePrune(), sources.baseOfLabel());
        }
        for (ListingPlan.Read r : listing.reads) {
            Action a = r.retry() ? Action.RETRY : r.replace() ? Action.REPLACE : Action.ADD;
            tasks.add(new Task(null, r.pkg(), r.stamp(), a, r.stamp().file(), false));
            listedBy.put(r.stamp().file(), r.sources());
        }
        for (ListingPlan.Rewrite w : listing.rewrites) {
            tasks.add(new Task(null, null, w.stamp(), Action.RELABEL, w.from(), w.keepFrom()));
        }
        skipped += listing.unchanged;
        bytesToRead += listing.bytesToRead;
        listener.planned(tasks.size(), skipped, 0, bytesToRead);
        // Largest first, so that the run does not end with one core decompressing a big package
        // while the others idle (see LargestFirst). The index does not depend on the order.
        tasks.sort(Comparator.comparingLong((Task t) -> t.stamp().size()).reversed());
    }

    /** Every package to read or rewrite, largest first. */
    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** Packages the run has to read or rewrite (those skipped as unchanged are not counted). */
    public int total() {
        return tasks.size();
    }

    /** Unchanged packages, not read. */
    public int skipped() {
        return skipped;
    }

    /** What the run has done so far, and its failures: the readers and writers add to it. */
    public RunCounts counts() {
        return counts;
    }

    /**
     * The writes decided before anything is read: failure records of roots that are back go, those of
     * paths that cannot be read are written, and failure records of listed packages follow their labels.
     */
    public void prelude(IndexWriter writer) throws IOException {
        for (String gone : staleRootFailures) {
            writer.deleteDocuments(Schema.packageTerm(gone));
        }
        for (Document d : walkFailures) {
            writer.updateDocuments(Schema.packageTerm(d.get(Schema.PKG_FILE)), List.of(d));
        }
        for (ListingPlan.FailureRewrite f : listing.failureRewrites) {
            writer.updateDocuments(Schema.packageTerm(f.stamp().file()),
                    List.of(DocumentMapper.failure(f.stamp(), f.message())));
        }
        for (String gone : listing.dropFailures) {
            writer.deleteDocuments(Schema.packageTerm(gone));
        }
    }

    /**
     * The indexed package, gone from its path, that a package read under a new path is (same sha256):
     * claimed once, so two new copies do not both take it. Only when the old path no longer exists:
     * a package still on disk elsewhere is another copy, not a move. Thread-safe.
     */
    public String claimMove(String sha) {
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

    /**
     * The stamp a package read under a new path is written with once it is known to be a move of
     * {@code movedFrom}: the labels it had, unless the run gives labels (--label).
     */
    public PackageStamp movedStamp(PackageStamp stamp, String movedFrom) {
        if (options.label() != null) {
            return stamp;
        }
        Indexed e = existing.get(movedFrom);
        return new PackageStamp(stamp.file(), stamp.size(), stamp.mtime(), e == null ? List.of() : e.labels());
    }

    /** Whether a read task may be a move: a walked package new to the index. */
    public static boolean mayBeMove(Task t) {
        return t.action() == Action.ADD && t.listed() == null;
    }

    /** The package at {@code key} was moved (its documents deleted, its reader's written): prune keeps it. */
    public void moved(String key) {
        movedKeys.add(key);
    }

    private static boolean existsOnDisk(String key) {
        try {
            return java.nio.file.Files.exists(Path.of(key));
        } catch (java.nio.file.InvalidPathException e) {
            return true; // a name with \\xNN: cannot be told, so not taken for gone
        }
    }

    /** A package's failure (read or written): the sources that list it record one more. Thread-safe. */
    public void countFailure(String key) {
        for (SourceSet.Source src : listedBy.getOrDefault(key, List.of())) {
            synchronized (src) {
                src.failed++;
            }
        }
    }

    /**
     * A label-only change: the package's documents as stored when the run began, mapped to the task's
     * stamp; from another key when a listed package's first location changed or when a walked copy of
     * the same bytes is indexed.
     *
     * @throws IOException the index could not be read
     * @throws IndexException the mapper's: the package cannot be written so (a failure of the package)
     */
    public DocumentMapper.Mapped relabel(Task t, DocumentMapper mapper) throws IOException, IndexException {
        PackageStamp stamp = t.stamp();
        List<Document> stored = new ArrayList<>();
        IndexSearcher s = new IndexSearcher(before);
        for (ScoreDoc sd : s.search(new TermQuery(Schema.packageTerm(t.from())), Integer.MAX_VALUE).scoreDocs) {
            stored.add(s.storedFields().document(sd.doc));
        }
        boolean elsewhere = !t.from().equals(stamp.file());
        return elsewhere || stamp.listed() ? mapper.relabel(stored, stamp) : mapper.relabel(stored, stamp.labels());
    }

    /** The key whose documents a relabel deletes in the same write: its old key, unless that copy stays. */
    public static String relabelDrops(Task t) {
        boolean elsewhere = !t.from().equals(t.stamp().file());
        return elsewhere && !t.keepFrom() ? t.from() : null;
    }

    /**
     * What --prune removes, planned once the packages are read (a package found under a new path, moved,
     * is not gone), with the refusals said on the listener. An interrupted run prunes nothing.
     */
    public Prune prune(boolean interrupted) {
        if (interrupted) {
            return Prune.NONE;
        }
        seen.addAll(movedKeys);
        Prune prune = options.prune() ? planPrune() : Prune.NONE;
        prune = prune.plus(listing.prunes, listing.refusals);
        prune.refusals().forEach(listener::warning);
        return prune;
    }

    /** The run's report, once its packages are read and {@code prune} is applied. */
    public RunReport report(Prune prune, boolean interrupted) {
        List<RunReport.Failure> failed = new ArrayList<>(counts.failures);
        failed.sort(Comparator.comparing(RunReport.Failure::packageFile));
        return new RunReport(counts.added.intValue(), skipped + counts.sourceSkipped.intValue(),
                counts.replaced.intValue(), prune.removedPackages(), counts.relabelled.intValue(),
                counts.moved.intValue(), failed, counts.elfFiles.sum(), counts.capabilities.sum(),
                counts.bytesRead.sum(), System.nanoTime() - t0, total(), counts.written.get(), interrupted,
                prune.refusals(), true, List.copyOf(counts.internalErrors),
                sources.sources().stream().map(SourceSet.Source::result).toList(),
                sources.failed().stream().map(x -> x.failure).toList());
    }

    /**
     * The data of a commit in the run's middle (and of an interrupted run's last): its start, how many of
     * its packages the commit holds, and the sources entry the run began from (a source counts as read
     * only in the last commit).
     */
    public Map<String, String> commitData(int done) {
        Map<String, String> data = new HashMap<>();
        data.put(Schema.DATA_RUN_STARTED, started);
        data.put(Schema.DATA_RUN_DONE, Integer.toString(done));
        data.put(Schema.DATA_RUN_TOTAL, Integer.toString(total()));
        if (sourcesBefore != null) {
            data.put(Schema.DATA_SOURCES, sourcesBefore);
        }
        return data;
    }

    /** The data of the night: the run finished, its summary, and what it recorded of every source. */
    public Map<String, String> nightData(RunReport report) {
        Map<String, String> data = commitData(report.committed());
        data.put(Schema.DATA_RUN_FINISHED, Instant.now().toString());
        data.put(Schema.DATA_RUN_SUMMARY, report.summary());
        if (!sources.isEmpty()) {
            data.put(Schema.DATA_SOURCES, SourceRecord.toJson(sources.records()));
        }
        return data;
    }

    @Override
    public void close() {
        org.apache.lucene.util.IOUtils.closeWhileHandlingException(before);
    }

    /** The labels a package gets: the run's when one was given, else the ones it has (none for a new one). */
    private List<String> labelFor(Indexed e) {
        if (options.label() != null) {
            return PackageStamp.sortedLabels(List.of(options.label()));
        }
        return e == null ? List.of() : e.labels();
    }

    private boolean missingRoot(InputWalker.Input in) {
        return walk.roots().get(in.root()).missing();
    }

    /**
     * Per root: the indexed packages (and failure records) under it that this walk did not find, unless
     * the walk cannot be trusted (missing, empty, errors) or they are too many of the root's packages.
     */
    private Prune planPrune() {
        List<String> remove = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        int removedPackages = 0;
        Set<String> planned = new HashSet<>();
        for (InputWalker.Root root : walk.roots()) {
            List<String> gone = new ArrayList<>();
            int packagesBefore = 0;
            int packagesGone = 0;
            for (Map.Entry<String, Indexed> e : existing.entrySet()) {
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
            if (packagesGone > IndexRun.PRUNE_GUARD_MIN && percent > options.maxPrunePercent() && !options.forcePrune()) {
                refusals.add(String.format(Locale.ROOT, "%s: --prune would remove %d of %d indexed packages "
                        + "(%.0f%% > --max-prune %s); nothing removed there (--force-prune to allow)",
                        root.display(), packagesGone, packagesBefore, percent,
                        IndexRun.percentText(options.maxPrunePercent())));
                continue;
            }
            remove.addAll(gone);
            planned.addAll(gone);
            removedPackages += packagesGone;
        }
        remove.sort(null);
        return new Prune(remove, removedPackages, refusals);
    }

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
            return out;
        } catch (IOException e) {
            throw new IndexException(options.index() + ": cannot read index: " + e.getMessage(), e);
        }
    }
}
