package org.symdex.spark;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.symdex.batch.PackageRead;
import org.symdex.batch.PackageWrite;
import org.symdex.batch.RunPlan;
import org.symdex.index.DocumentMapper;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;
import org.symdex.io.Limits;
import org.symdex.scan.PackageScanner;
import org.symdex.source.Fetcher;
import org.symdex.source.Fetchers;
import org.symdex.source.HttpSettings;
import org.symdex.source.SourceException;

/**
 * One task: read a partition's packages with the scanner {@code symdex index} uses, write them into a
 * Lucene shard on the executor's local disk (a directory named after the run, partition and attempt,
 * so that a retry or a speculative copy never meets another attempt's files), commit it with its
 * stamps, copy it to the shard dir through Hadoop's FileSystem API, and say what became of each
 * package. A package that cannot be read is a failure record in the shard, as in the index; a failure
 * of the shard's writer or of the copy fails the task, which Spark retries.
 */
final class ShardTask implements Function<Partitions.Part, ShardResult> {
    private static final long serialVersionUID = 1L;

    /** Faults injected in this JVM (the tests', local mode: their tasks run here). */
    static final java.util.concurrent.atomic.AtomicInteger INJECTED = new java.util.concurrent.atomic.AtomicInteger();

    private final Settings settings;
    private final Broadcast<SerializableConfiguration> hadoop;

    ShardTask(Settings settings, Broadcast<SerializableConfiguration> hadoop) {
        this.settings = settings;
        this.hadoop = hadoop;
    }

    @Override
    public ShardResult call(Partitions.Part part) throws Exception {
        TaskContext ctx = TaskContext.get();
        int attempt = ctx == null ? 0 : ctx.attemptNumber();
        String name = Shards.name(part.index(), attempt);
        Path local = localRoot().resolve(settings.runId()).resolve(name);
        Shards.deleteLocal(local);
        Files.createDirectories(local);
        Executor ex = Executor.get(settings);
        DocumentMapper mapper = new DocumentMapper(settings.withSymbols());
        PackageRead reader = new PackageRead(ex.scanner, mapper, ex.fetcher);
        List<ShardResult.Done> done = new ArrayList<>();
        try {
            try (FSDirectory dir = FSDirectory.open(local);
                 IndexWriter w = new IndexWriter(dir, config(ex.cores))) {
                for (Work work : part.works()) {
                    done.add(index(w, reader, work, ctx));
                }
                Map<String, String> data = new HashMap<>();
                data.put(Schema.DATA_SCHEMA, Integer.toString(Schema.SCHEMA_VERSION));
                data.put(Schema.DATA_EXTRACTOR, Integer.toString(Schema.EXTRACTOR_VERSION));
                data.put(Schema.DATA_SYMBOLS, Boolean.toString(settings.withSymbols()));
                data.put(Shards.RUN, settings.runId());
                data.put(Shards.PARTITION, Integer.toString(part.index()));
                data.put(Shards.ATTEMPT, Integer.toString(attempt));
                data.put(Shards.PACKAGES, Integer.toString(part.works().size()));
                w.setLiveCommitData(data.entrySet());
                w.commit();
            }
            String shard = Shards.child(settings.shardDir(), name);
            Configuration conf = hadoop.value().value();
            org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(shard);
            FileSystem fs = to.getFileSystem(conf);
            fs.delete(to, true); // a dead executor's attempt of the same number left it half copied
            fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), to);
            Settings.Hooks h = settings.hooks();
            if (attempt == 0 && part.index() == h.failPartition()) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("fault injected: partition " + part.index() + " attempt 0 fails after "
                        + "copying its shard");
            }
            if (attempt == 0 && part.index() == h.slowPartition()) {
                Thread.sleep(h.slowMillis()); // a straggler: its shard is there, a speculative copy wins
            }
            return new ShardResult(part.index(), attempt, shard, done, libraries(),
                    SparkEnv.get() == null ? "" : SparkEnv.get().executorId());
        } finally {
            Shards.deleteLocal(local);
        }
    }

    /** One package into the shard: its documents, its failure record, or nothing (a source rpm). */
    private static ShardResult.Done index(IndexWriter w, PackageRead reader, Work work, TaskContext ctx)
            throws IOException {
        RunPlan.Task t = work.task();
        PackageRead.Outcome o = reader.read(t, () -> ctx != null && ctx.isInterrupted(), sha -> null, (s, f) -> s);
        if (o.abandoned()) {
            throw new IOException("task killed while reading " + work.key());
        }
        PackageStamp stamp = o.stamp();
        String why;
        try {
            why = PackageWrite.write(w, stamp, o.sourcePackage() ? List.of()
                    : o.failure() == null ? o.mapped().documents() : null, o.failure(), null);
        } catch (PackageWrite.WriterFailed e) {
            throw new IOException("shard writer failed on " + work.key() + ": " + e.getCause(), e.getCause());
        }
        ShardResult.Outcome outcome = o.sourcePackage() ? ShardResult.Outcome.SOURCE
                : why == null ? ShardResult.Outcome.PACKAGE : ShardResult.Outcome.FAILURE;
        String trace = null;
        if (o.internalError() != null) {
            StringWriter sw = new StringWriter();
            o.internalError().printStackTrace(new PrintWriter(sw));
            trace = sw.toString();
        }
        boolean wrote = outcome == ShardResult.Outcome.PACKAGE;
        return new ShardResult.Done(work.key(), outcome, work.action(), work.path() != null, o.sha256(), work.size(),
                wrote ? o.mapped().elfFiles() : 0, wrote ? o.mapped().capabilities() : 0,
                outcome == ShardResult.Outcome.SOURCE ? 0 : o.bytesRead(), why, o.warnings(),
                o.internalError() == null ? null : o.internalError().getMessage(), trace);
    }

    /**
     * The shard's writer: as the index's session (no commit on close), with a RAM buffer that leaves the
     * heap to the executor's concurrent tasks (each has one).
     */
    private static IndexWriterConfig config(int cores) {
        double mb = Math.min(48, Runtime.getRuntime().maxMemory() / 16.0 / (1 << 20) / Math.max(1, cores));
        return new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE).setCommitOnClose(false)
                .setRAMBufferSizeMB(Math.max(4, mb));
    }

    /** Scratch space on the executor's local disk, removed with the application: SparkFiles' directory. */
    private static Path localRoot() {
        return new File(SparkFiles.getRootDirectory(), "symdex-shards").toPath().toAbsolutePath();
    }

    /** Where the classes of the libraries Spark also ships came from, in this JVM. */
    private static Map<String, String> libraries() {
        Map<String, String> out = new HashMap<>();
        for (Class<?> c : new Class<?>[] {com.github.luben.zstd.Zstd.class, org.tukaani.xz.XZInputStream.class,
                org.apache.commons.compress.archivers.ar.ArArchiveInputStream.class,
                com.fasterxml.jackson.core.JsonFactory.class, org.apache.lucene.index.IndexWriter.class}) {
            java.security.CodeSource cs = c.getProtectionDomain().getCodeSource();
            out.put(c.getName(), cs == null || cs.getLocation() == null ? "?" : cs.getLocation().toString());
        }
        return out;
    }

    /**
     * What the tasks of one executor JVM share: one scanner, so one byte budget (a quarter of the heap)
     * for the heap buffers of all its concurrent tasks, as {@code symdex index} has one for its jobs; and
     * one fetcher (at most 4 connections per host). Static because Spark gives a JVM's tasks nothing
     * else to share; keyed by the settings that shape it, so a second run in the same JVM (a test) with
     * other settings gets its own.
     */
    private static final class Executor {
        private static Executor current;
        private final PackageScanner scanner;
        private final Fetcher fetcher;
        private final int cores;
        private final List<Object> key;

        private Executor(Settings s, List<Object> key) throws SourceException {
            this.key = key;
            this.scanner = new PackageScanner(s.readerOptions(), Limits.defaults(), s.withSymbols(),
                    Path.of(System.getProperty("java.io.tmpdir")));
            this.fetcher = Fetchers.standard(HttpSettings.defaults(System.getenv())
                    .withStallWindow(Duration.ofSeconds(s.stallSeconds())));
            SparkEnv env = SparkEnv.get();
            int c = env == null ? 1 : env.conf().getInt("spark.executor.cores", 0);
            this.cores = c > 0 ? c : Runtime.getRuntime().availableProcessors();
        }

        static synchronized Executor get(Settings s) throws SourceException {
            List<Object> key = List.of(s.withSymbols(), s.xzCommand(), s.xzCommandMinBytes(), s.dictionaryLimitBytes(),
                    s.stallSeconds());
            if (current == null || !current.key.equals(key)) {
                current = new Executor(s, key);
            }
            return current;
        }
    }
}
