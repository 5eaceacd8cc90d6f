package org.symdex.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.symdex.cli.Symdex;

/** Runs symdex-spark in this JVM (Spark in local mode) and symdex, capturing what a user would see. */
final class SparkTestSupport {
    private SparkTestSupport() {
    }

    record Run(int code, String out, String err) {
    }

    /** The repository root (surefire passes it). */
    static Path root() {
        String p = System.getProperty("symdex.root");
        if (p != null && Files.isDirectory(Path.of(p, "fixtures"))) {
            return Path.of(p);
        }
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("fixtures"))) {
            d = d.getParent();
        }
        return d;
    }

    static Path fixture(String relative) {
        return root().resolve("fixtures").resolve(relative);
    }

    /** Spark settings for a test in this JVM: no UI, the driver on 127.0.0.1. */
    static SparkConf local() {
        return new SparkConf(false).set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    static Run spark(SparkConf conf, Settings.Hooks hooks, String... args) {
        SymdexSpark cmd = new SymdexSpark();
        cmd.extra = conf;
        cmd.hooks = hooks;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Symdex.standalone(cmd, new PrintWriter(out), err).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Run symdex(String... args) {
        var cl = Symdex.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Every answer an index gives, by question, with the index's path written INDEX and times left out:
     * info's counts, failures, whatprovides/whatrequires/whatexports of everything, provides and requires
     * of every package, broken, and (when the index has a night before) diff @-1.
     */
    static Map<String, String> answers(Path index, boolean night) {
        Map<String, String> out = new LinkedHashMap<>();
        String i = index.toString();
        List<String[]> questions = new ArrayList<>(List.of(
                new String[] {"info", "--index", i},
                new String[] {"failures", "--index", i, "--format", "tsv"},
                new String[] {"whatprovides", "--index", i, "--format", "tsv", "*"},
                new String[] {"whatrequires", "--index", i, "--format", "tsv", "*"},
                new String[] {"whatexports", "--index", i, "--format", "tsv", "*"},
                new String[] {"provides", "--index", i, "--format", "tsv", "*"},
                new String[] {"requires", "--index", i, "--format", "tsv", "*"},
                new String[] {"broken", "--index", i, "--format", "tsv"}));
        if (night) {
            questions.add(new String[] {"diff", "--format", "tsv", i + "@-1", i});
        }
        for (String[] q : questions) {
            Run r = symdex(q);
            StringBuilder b = new StringBuilder("exit ").append(r.code()).append('\n');
            for (String line : (r.out() + r.err()).replace(i, "INDEX").lines().toList()) {
                b.append(untimed(line)).append('\n');
            }
            out.put(String.join(" ", q).replace(i, "INDEX"), b.toString());
        }
        return out;
    }

    /** A line with its times (ISO dates and times, durations) masked. */
    static String untimed(String line) {
        return line.replaceAll("\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z?", "TIME")
                .replaceAll("\\d{4}-\\d\\d-\\d\\d", "DATE")
                .replaceAll("\\d+(\\.\\d+)? ?(s|ms|min|seconds|h)\\b", "N s")
                .replaceAll("\\(\\d+(\\.\\d+)? [KMG]?B/s\\)", "(RATE)")
                .replaceAll("\\bgeneration \\d+", "generation N");
    }
}
