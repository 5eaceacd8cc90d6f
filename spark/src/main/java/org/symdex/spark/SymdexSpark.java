package org.symdex.spark;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.symdex.batch.RunReport;
import org.symdex.cli.IndexOptions;
import org.symdex.cli.Symdex;
import org.symdex.cli.Verbose;
import org.symdex.index.IndexException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code symdex-spark}: {@code symdex index} as a Spark job (issue 17). The same options (from
 * {@link IndexOptions}) but --jobs, --commit-every and --merge; the same summary and exit codes.
 */
@Command(name = "symdex-spark", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = SymdexSpark.Version.class,
        description = {"Index packages as 'symdex index' does, with the reading spread over a Spark cluster: the "
                + "driver plans the run (what is new, changed, relabelled or gone, by the same rules), executors "
                + "read the packages and each writes one Lucene shard, and the driver adds the shards to the index "
                + "and commits once. The index is an ordinary symdex index (every command, INDEX@REF).",
                "The index must be on the driver's local disk; packages must be readable by every executor "
                        + "(HTTP or file sources, or paths on a shared file system). See docs/scale-out.md."},
        footer = {"", "Examples:",
                "  symdex-spark --master 'local[2]' --index idx --prune /srv/mirror/debian/pool/main",
                "  symdex-spark --master spark://head:7077 --partitions 256 --shard-dir hdfs:///symdex/shards "
                        + "--index /var/lib/symdex/idx --sources /etc/apt/sources.list.d/debian.sources",
                "",
                "Exit codes: as 'symdex index': 0 fine, 2 some package, root or source could not be read, --prune "
                        + "refused, the index refused the run or the Spark job failed (nothing committed), "
                        + "70 internal error."})
public final class SymdexSpark implements Callable<Integer>, Verbose {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions run = new IndexOptions();

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master: local[N], spark://HOST:PORT, yarn, k8s://... (default: ${DEFAULT-VALUE}; "
                    + "under spark-submit its --master wins).")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions (tasks, shards) the packages are "
            + "cut into, balanced by bytes (default: 4 per core of the cluster).")
    Integer partitions;

    @Option(names = "--shard-dir", paramLabel = "URI", description = "Where tasks copy their shards, a Hadoop URI "
            + "every executor and the driver reach: file:/shared/..., hdfs://..., s3a://... (default: "
            + "INDEX/.shards/RUN-ID, right for local mode only).")
    String shardDir;

    @Option(names = "--verbose", description = "Print stack traces of internal errors, the run's phases and "
            + "where executors loaded the libraries Spark also ships.")
    boolean verbose;

    @Option(names = "--keep-shards", hidden = true, description = "Leave the shards after the commit (benchmarks).")
    boolean keepShards;

    /** The tests' faults ({@link Settings.Hooks}): set in-process, or by --test-fault in a separate JVM. */
    Settings.Hooks hooks = Settings.Hooks.NONE;

    @Option(names = "--test-fault", hidden = true, paramLabel = "fail:P|slow:P:MILLIS", description = "Tests only: "
            + "attempt 0 of partition P fails after copying its shard, or sleeps MILLIS after copying it.")
    void testFault(String spec) {
        String[] f = spec.split(":");
        try {
            hooks = switch (f[0]) {
                case "fail" -> new Settings.Hooks(Integer.parseInt(f[1]), -1, 0);
                case "slow" -> new Settings.Hooks(-1, Integer.parseInt(f[1]), Long.parseLong(f[2]));
                default -> throw new IllegalArgumentException(f[0]);
            };
        } catch (RuntimeException e) {
            throw new ParameterException(spec().commandLine(), "--test-fault: fail:P or slow:P:MILLIS, not " + spec);
        }
    }

    private CommandSpec spec() {
        return spec;
    }

    /** Extra Spark settings (the tests': UI off, the driver on 127.0.0.1). */
    SparkConf extra = new SparkConf(false);

    @Override
    public boolean verbose() {
        return verbose;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8), true);
        CommandLine cl = Symdex.standalone(new SymdexSpark(), out,
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8));
        int code = cl.execute(args);
        out.flush();
        System.exit(code);
    }

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (partitions != null && partitions < 1) {
            throw new ParameterException(cl, "--partitions must be at least 1");
        }
        run.check(cl);
        IndexOptions.Start start = run.start(cl, verbose);
        if (start == null) {
            return Symdex.EXIT_BAD_INPUT;
        }
        PrintWriter err = cl.getErr();
        SparkConf conf = new SparkConf().setAppName("symdex index " + run.indexDir()).setAll(
                scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.asList(extra.getAll())));
        if (!conf.contains("spark.master")) {
            conf.setMaster(master); // spark-submit sets it from its own --master, which the launcher passes on
        }
        RunReport report;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            SparkRun r = new SparkRun(start.options(), start.listener(),
                    new SparkRun.Job(partitions == null ? 0 : partitions, shardDir, hooks, run.timeoutSeconds()), sc).keepShards(keepShards);
            report = r.run(run.paths());
            if (verbose) {
                start.clear();
                r.libraries().forEach(l -> err.println("symdex: " + l));
                err.println("symdex: " + r.phases());
            }
        } catch (IndexException e) {
            start.clear();
            err.println("symdex: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return Symdex.EXIT_BAD_INPUT;
        } finally {
            start.clear();
        }
        return run.finish(cl, report, verbose);
    }

    /** What {@code symdex-spark -V} prints: the build's version, as the jar's manifest has it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SymdexSpark.class.getPackage().getImplementationVersion();
            return new String[] {"symdex-spark " + (v == null ? "(development build)" : v) + ", Apache Spark "
                    + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
        }
    }
}
