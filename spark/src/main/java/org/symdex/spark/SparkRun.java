package org.symdex.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.symdex.batch.PackageWrite;
import org.symdex.batch.RunCounts;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.batch.RunPlan;
import org.symdex.batch.RunReport;
import org.symdex.index.DocumentMapper;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSession;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;

/**
 * One run of {@code symdex index} as a Spark job. The driver plans it with {@link RunPlan} (the
 * planner {@code symdex index} uses: same inputs, same skips, same relabels, same prune), cuts the
 * packages to read into partitions balanced by bytes ({@link Partitions}), and has each task write one
 * shard ({@link ShardTask}). It then checks each shard's stamps, deletes from the target every package
 * the shards hold anew, adds the shards ({@code IndexWriter.addIndexes}), applies the plan's prelude,
 * label-only rewrites, moves and prune, and commits once with the night's data ({@link RunPlan#nightData}).
 *
 * <p>Nothing reaches the target before every task has succeeded: a failed job leaves the last night as
 * it was, and its shards are deleted by the next run (their directory is named in a marker under
 * {@code INDEX/.shards}). The next run reads again what this one read; what the last commit holds is
 * skipped, as for {@code symdex index}.
 */
final class SparkRun {
    /** The options the job adds to {@code symdex index}'s, and the tests' hooks. */
    record Job(int partitions, String shardDir, Settings.Hooks hooks, long stallSeconds) {
    }

    private final RunOptions options;
    private final RunListener listener;
    private final Job job;
    private final JavaSparkContext spark;
    /** "executor E: CLASS from JAR", for each library class Spark also ships, as the tasks found them. */
    private final java.util.SortedSet<String> libraries = new java.util.TreeSet<>();
    /** Nanoseconds of the run's phases (plan, job, add, commit), the shards' count and bytes: for --verbose. */
    private long planNanos;
    private long jobNanos;
    private long addNanos;
    private long commitNanos;
    private int shardCount;
    private long shardBytes;
    private boolean keepShards;

    /** Leaves the shards where the tasks copied them after the commit (benchmarks of addIndexes). */
    SparkRun keepShards(boolean keep) {
        this.keepShards = keep;
        return this;
    }

    /** The run's phases, for --verbose and the benchmarks: "plan 1.2 s, job 40.1 s, ...". */
    String phases() {
        return String.format(Locale.ROOT, "plan %.1f s, job %.1f s, addIndexes %.1f s (%d shards, %.1f MB), "
                + "prune and commit %.1f s", planNanos / 1e9, jobNanos / 1e9, addNanos / 1e9, shardCount,
                shardBytes / 1e6, commitNanos / 1e9);
    }

    SparkRun(RunOptions options, RunListener listener, Job job, JavaSparkContext spark) {
        this.options = options;
        this.listener = listener;
        this.job = job;
        this.spark = spark;
    }

    /** Runs over {@code inputs} and the options' sources; as {@code IndexRun.run}. */
    RunReport run(List<Path> inputs) throws IndexException {
        RunPlan.Inputs in = RunPlan.gather(options, inputs, listener);
        Optional<RunReport> none = in.nothingToIndex();
        if (none.isPresent()) {
            return none.get();
        }
        try (IndexSession session = in.openSession(); RunPlan plan = in.plan(session)) {
            return new Execution(session, plan, in.startNanos()).run();
        }
    }

    /**
     * Where the executors that ran this run's tasks loaded the classes of the libraries Spark also ships
     * (zstd-jni, xz, commons-compress, jackson-core, Lucene): "executor E: CLASS from JAR", sorted.
     */
    List<String> libraries() {
        return List.copyOf(libraries);
    }

    /** The run's id: when it started (UTC, to the second) and a random suffix; names its shard dir. */
    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(1 << 16));
    }

    private final class Execution {
        private final IndexSession session;
        private final RunPlan plan;
        private final RunCounts counts;
        private final DocumentMapper mapper;
        private final String runId = newRunId();
        private final String shardDir;
        private final Configuration hadoop;
        private final long startNanos;

        Execution(IndexSession session, RunPlan plan, long startNanos) {
            this.startNanos = startNanos;
            this.session = session;
            this.plan = plan;
            this.counts = plan.counts();
            this.mapper = new DocumentMapper(options.withSymbols());
            this.shardDir = job.shardDir() != null ? job.shardDir()
                    : Shards.uri(session.dir().resolve(Shards.DIR).resolve(runId));
            this.hadoop = spark.hadoopConfiguration();
        }

        RunReport run() throws IndexException {
            Path markers = session.dir().resolve(Shards.DIR);
            return session.rollingBack(() -> {
                deleteOldShards(markers);
                Files.createDirectories(markers);
                Files.writeString(markers.resolve(runId + Shards.MARKER), shardDir + "\n", StandardCharsets.UTF_8);
                plan.prelude(session.writer());
                List<RunPlan.Task> reads = new ArrayList<>();
                List<RunPlan.Task> relabels = new ArrayList<>();
                for (RunPlan.Task t : plan.tasks()) {
                    (t.reads() ? reads : relabels).add(t);
                }
                planNanos = System.nanoTime() - startNanos;
                long t = System.nanoTime();
                List<ShardResult> shards = readShards(reads);
                jobNanos = System.nanoTime() - t;
                t = System.nanoTime();
                for (RunPlan.Task r : relabels) {
                    relabel(r);
                }
                List<Moved> moves = addShards(shards);
                addNanos = System.nanoTime() - t;
                t = System.nanoTime();
                for (Moved m : moves) {
                    move(m);
                }
                RunPlan.Prune prune = plan.prune(false);
                for (String gone : prune.remove()) {
                    session.writer().deleteDocuments(Schema.packageTerm(gone));
                }
                RunReport report = plan.report(prune, false);
                listener.phase("committing");
                try {
                    session.commit(plan.nightData(report));
                } catch (IndexException e) {
                    throw writerFailed(e.getCause() == null ? e : e.getCause());
                }
                if (!keepShards) {
                    deleteShards(shardDir);
                }
                Files.deleteIfExists(markers.resolve(runId + Shards.MARKER));
                deleteIfEmpty(markers);
                commitNanos = System.nanoTime() - t;
                return report;
            }, this::writerFailed);
        }

        private IndexException writerFailed(Throwable cause) {
            return new IndexException(options.index() + ": index writer failed: " + session.failureReason(cause)
                    + "; nothing of this run committed", session.failure(cause));
        }

        /** The job: one task per partition, each a shard; every partition's result, or the job's failure. */
        private List<ShardResult> readShards(List<RunPlan.Task> reads) throws IndexException {
            if (reads.isEmpty()) {
                return List.of();
            }
            List<Work> works = reads.stream().map(Work::of).toList();
            int n = job.partitions() > 0 ? job.partitions() : Math.max(1, spark.defaultParallelism() * 4);
            List<Partitions.Part> parts = Partitions.largestFirst(works, n);
            Settings settings = Settings.of(runId, shardDir, options.withSymbols(), options.reader(),
                    job.stallSeconds(), job.hooks());
            Broadcast<SerializableConfiguration> conf = spark.broadcast(new SerializableConfiguration(hadoop));
            listener.phase("reading on " + parts.size() + " partitions");
            try {
                List<ShardResult> out = new ArrayList<>(spark.parallelize(parts, parts.size())
                        .map(new ShardTask(settings, conf)).collect());
                out.sort(Comparator.comparingInt(ShardResult::partition));
                return out;
            } catch (Exception e) { // SparkException (checked, undeclared through Scala) and runtime ones
                // A task failed spark.task.maxFailures times, or the cluster went away: the last night stays.
                throw new IndexException(options.index() + ": the Spark job failed: " + firstLine(e.getMessage())
                        + "; nothing of this run committed; its shards under " + shardDir
                        + " are deleted by the next run", e);
            } finally {
                conf.destroy();
                listener.phase(null);
            }
        }

        /**
         * Checks each shard against the target and the plan, deletes from the target what the shards
         * replace, counts what they did, and adds them in one {@code addIndexes}. Returns the moves
         * found (a walked package new to the index whose bytes were indexed under a path now gone).
         */
        private List<Moved> addShards(List<ShardResult> shards) throws IndexException, IOException {
            List<Moved> moves = new ArrayList<>();
            if (shards.isEmpty()) {
                return moves;
            }
            listener.phase("adding " + shards.size() + " shards");
            List<Directory> dirs = new ArrayList<>();
            List<Path> copies = new ArrayList<>();
            try {
                for (ShardResult r : shards) {
                    r.libraries().forEach((c, jar) -> libraries.add("executor " + r.executor() + ": " + c + " from "
                            + jar));
                    libraries.add("shard " + Shards.name(r.partition(), r.attempt()) + " added: " + r.packages().size()
                            + " packages from executor " + r.executor());
                    Path local = localShard(r.shard(), copies);
                    Directory d = FSDirectory.open(local);
                    dirs.add(d);
                    shardCount++;
                    for (String f : d.listAll()) {
                        shardBytes += f.startsWith("write.lock") ? 0 : d.fileLength(f);
                    }
                    check(r, d);
                    for (ShardResult.Done p : r.packages()) {
                        session.writer().deleteDocuments(Schema.packageTerm(p.key()));
                        Moved m = count(p);
                        if (m != null) {
                            moves.add(m);
                        }
                    }
                }
                try {
                    session.writer().addIndexes(dirs.toArray(new Directory[0]));
                } catch (IOException | RuntimeException e) {
                    throw writerFailed(e);
                }
            } finally {
                IOUtils.close(dirs);
                for (Path c : copies) {
                    Shards.deleteLocal(c);
                }
                listener.phase(null);
            }
            return moves;
        }

        /** A shard as a local directory: itself when on file:, else a copy beside the index (deleted after). */
        private Path localShard(String shard, List<Path> copies) throws IOException {
            URI u = URI.create(shard);
            if (u.getScheme() == null || u.getScheme().equals("file")) {
                return Path.of(u.getScheme() == null ? URI.create("file:" + shard) : u);
            }
            Path local = session.dir().resolve(Shards.DIR).resolve(runId + "-local")
                    .resolve(Integer.toString(copies.size()));
            Shards.deleteLocal(local);
            Files.createDirectories(local.getParent());
            org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(shard);
            from.getFileSystem(hadoop).copyToLocalFile(false, from, new org.apache.hadoop.fs.Path(local.toUri()), true);
            copies.add(local);
            return local;
        }

        /** A shard is added only if it is this run's, of this partition, whole, and written as the target is. */
        private void check(ShardResult r, Directory d) throws IndexException, IOException {
            Map<String, String> data = SegmentInfos.readLatestCommit(d).getUserData();
            List<String> wrong = new ArrayList<>();
            expect(wrong, data, Schema.DATA_SCHEMA, Integer.toString(Schema.SCHEMA_VERSION));
            expect(wrong, data, Schema.DATA_EXTRACTOR, Integer.toString(Schema.EXTRACTOR_VERSION));
            expect(wrong, data, Schema.DATA_SYMBOLS, Boolean.toString(options.withSymbols()));
            expect(wrong, data, Shards.RUN, runId);
            expect(wrong, data, Shards.PARTITION, Integer.toString(r.partition()));
            expect(wrong, data, Shards.ATTEMPT, Integer.toString(r.attempt()));
            expect(wrong, data, Shards.PACKAGES, Integer.toString(r.packages().size()));
            if (!wrong.isEmpty()) {
                throw new IndexException(r.shard() + ": not this run's shard of partition " + r.partition() + ": "
                        + String.join(", ", wrong) + "; nothing of this run committed");
            }
        }

        private static void expect(List<String> wrong, Map<String, String> data, String key, String want) {
            String have = data.get(key);
            if (!want.equals(have)) {
                wrong.add(key + " is " + have + ", not " + want);
            }
        }

        /** What one package of a shard did, counted as {@code IndexRun} counts it; a move when it is one. */
        private Moved count(ShardResult.Done p) {
            listener.packageStarted(p.key());
            if (p.internalError() != null) {
                counts.internalErrors.add(new RemoteError(p.internalError(), p.internalTrace()));
            }
            counts.written.incrementAndGet();
            if (p.outcome() == ShardResult.Outcome.SOURCE) {
                p.warnings().forEach(listener::warning);
                counts.sourceSkipped.increment();
                listener.packageDone(p.key(), p.size());
                return null;
            }
            p.warnings().forEach(listener::warning);
            Moved moved = null;
            if (p.outcome() == ShardResult.Outcome.PACKAGE) {
                String from = p.walked() && RunPlan.Action.valueOf(p.action()) == RunPlan.Action.ADD
                        && p.sha256() != null ? plan.claimMove(p.sha256()) : null;
                if (from != null) {
                    moved = new Moved(p.key(), from, p.size());
                    counts.moved.increment();
                } else {
                    (RunPlan.Action.valueOf(p.action()) == RunPlan.Action.REPLACE ? counts.replaced : counts.added)
                            .increment();
                }
                counts.elfFiles.add(p.elfFiles());
                counts.capabilities.add(p.capabilities());
            } else {
                counts.failures.add(new RunReport.Failure(p.key(), p.failure()));
                listener.packageFailed(p.key(), p.failure());
                plan.countFailure(p.key());
            }
            counts.bytesRead.add(p.bytesRead());
            listener.packageDone(p.key(), p.size());
            return moved;
        }

        /**
         * A package read under a new path is a move of one indexed under a path now gone: the old key's
         * documents go, and the new ones carry the labels the old had (unless the run gives labels),
         * rewritten from their stored fields as a relabel is.
         */
        private void move(Moved m) throws IndexException, IOException {
            session.writer().deleteDocuments(Schema.packageTerm(m.from()));
            plan.moved(m.from());
            listener.warning(m.from() + ": moved to " + m.key());
            List<Document> stored = new ArrayList<>();
            try (DirectoryReader r = DirectoryReader.open(session.writer())) {
                IndexSearcher s = new IndexSearcher(r);
                for (ScoreDoc sd : s.search(new TermQuery(Schema.packageTerm(m.key())), Integer.MAX_VALUE).scoreDocs) {
                    stored.add(s.storedFields().document(sd.doc));
                }
            }
            if (stored.isEmpty()) {
                return;
            }
            // The shard's documents carry the run's labels (none without --label); a move keeps the old ones.
            PackageStamp read = new PackageStamp(m.key(), m.size(), 0, List.of());
            PackageStamp want = plan.movedStamp(read, m.from());
            if (options.label() != null || want.labels().isEmpty()) {
                return;
            }
            DocumentMapper.Mapped relabelled = mapper.relabel(stored, want.labels());
            write(want, relabelled.documents(), null, null);
        }

        /** A label-only change, as {@code IndexRun} makes it: rewritten from the stored fields, nothing read. */
        private void relabel(RunPlan.Task t) throws IndexException, IOException {
            PackageStamp stamp = t.stamp();
            listener.packageStarted(stamp.file());
            DocumentMapper.Mapped m;
            try {
                m = plan.relabel(t, mapper);
            } catch (IndexException e) {
                if (write(stamp, null, e.getMessage(), null)) {
                    counts.written.incrementAndGet();
                }
                listener.packageDone(stamp.file(), 0);
                return;
            }
            write(stamp, m.documents(), null, RunPlan.relabelDrops(t));
            counts.written.incrementAndGet();
            counts.relabelled.increment();
            listener.packageDone(stamp.file(), 0);
        }

        /** {@link PackageWrite} on the target; a failure is counted as IndexRun counts it. Returns false on none. */
        private boolean write(PackageStamp stamp, List<Document> docs, String failure, String drop) throws IndexException {
            String why;
            try {
                why = PackageWrite.write(session.writer(), stamp, docs, failure, drop);
            } catch (PackageWrite.WriterFailed e) {
                throw writerFailed(e.getCause());
            }
            if (why != null) {
                counts.failures.add(new RunReport.Failure(stamp.file(), why));
                listener.packageFailed(stamp.file(), why);
            }
            return true;
        }

        /**
         * Shards of runs that did not finish: each run names its shard dir in a marker under
         * {@code INDEX/.shards} and removes it when it commits; a marker still there names shards that no
         * index holds.
         */
        private void deleteOldShards(Path markers) throws IOException {
            if (!Files.isDirectory(markers)) {
                return;
            }
            List<Path> entries;
            try (var s = Files.list(markers)) {
                entries = s.sorted().toList();
            }
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.endsWith(Shards.MARKER)) {
                    String dir = Files.readString(p, StandardCharsets.UTF_8).strip();
                    try {
                        deleteShards(dir);
                    } catch (IOException | RuntimeException e) {
                        listener.warning(dir + ": cannot delete the shards of an unfinished run: " + e.getMessage());
                        continue;
                    }
                    Files.deleteIfExists(p);
                } else if (Files.isDirectory(p)) {
                    Shards.deleteLocal(p);
                }
            }
        }

        private void deleteIfEmpty(Path dir) throws IOException {
            try (var s = Files.list(dir)) {
                if (s.findAny().isEmpty()) {
                    Files.deleteIfExists(dir);
                }
            }
        }

        private void deleteShards(String dir) throws IOException {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = p.getFileSystem(hadoop);
            fs.delete(p, true);
        }
    }

    /** A package read under {@code key} whose bytes were indexed under {@code from}, a path now gone. */
    private record Moved(String key, String from, long size) {
    }

    /** An internal error met on an executor: its message, and its trace as the executor printed it. */
    static final class RemoteError extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String trace;

        RemoteError(String message, String trace) {
            super(message);
            this.trace = trace;
            setStackTrace(new StackTraceElement[0]);
        }

        /** As the internal error of {@code symdex index} prints. */
        @Override
        public String toString() {
            return IllegalStateException.class.getName() + ": " + getMessage();
        }

        @Override
        public void printStackTrace(java.io.PrintWriter s) {
            s.print(trace == null ? getMessage() + System.lineSeparator() : trace);
        }

        @Override
        public void printStackTrace(java.io.PrintStream s) {
            s.print(trace == null ? getMessage() + System.lineSeparator() : trace);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
