package org.symdex.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged build as a cluster runs it (issue 17, items 1, 4 and 5): symdex.jar holds no Spark; the
 * launcher, with no SPARK_HOME, runs SparkSubmit from the Spark jars the build resolved, on
 * local-cluster (a master and two workers, each executor its own JVM); the index equals symdex
 * index's; and the executors read zstd and xz payloads with the zstd-jni Spark ships.
 */
class SparkSubmitIT {
    @TempDir
    Path tmp;

    static final Path TARGET = SparkTestSupport.root().resolve("spark/target");

    @Test
    void symdexJarHoldsNoSpark() throws IOException {
        for (Path jar : List.of(SparkTestSupport.root().resolve("query-cli/target/symdex.jar"),
                TARGET.resolve("symdex-spark.jar"))) {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                List<String> spark = z.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/apache/spark/"))
                        .limit(3).toList();
                assertEquals(List.of(), spark, jar + " holds Spark");
                assertTrue(z.size() > 10, jar + " is empty");
            }
        }
        try (var s = Files.list(TARGET.resolve("lib"))) {
            List<String> lib = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(lib.stream().noneMatch(n -> n.startsWith("spark-") || n.startsWith("zstd-jni")
                    || n.startsWith("jackson-core")), "lib/ holds what Spark ships at its own versions: " + lib);
        }
    }

    @Test
    void localClusterThroughTheLauncherGivesSymdexIndexsAnswers() throws Exception {
        Path viaSpark = tmp.resolve("idx-spark");
        Path viaSymdex = tmp.resolve("idx-symdex");
        Path debs = SparkTestSupport.fixture("deb");
        Path rpms = SparkTestSupport.fixture("rpm");
        long t0 = System.nanoTime();
        List<String> cmd = new ArrayList<>(List.of(TARGET.resolve("symdex-spark").toString(), "--verbose",
                "--master", "local-cluster[2,1,1024]", "--partitions", "4", "--index", viaSpark.toString(),
                debs.toString(), rpms.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // One core per worker and two workers on a shared machine: the driver's own JVM stays small.
        pb.environment().put("SYMDEX_JAVA_OPTS", "-Xmx512m");
        pb.environment().put("SYMDEX_SPARK_OPTS", "--conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1");
        Process p = pb.start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "symdex-spark on local-cluster did not end in 150 s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out + err);
        assertTrue(seconds < 120, "local-cluster run took " + seconds + " s");

        SparkTestSupport.Run want = SparkTestSupport.symdex("index", "--index", viaSymdex.toString(), "--jobs", "2",
                debs.toString(), rpms.toString());
        assertEquals(0, want.code(), want.err());
        assertEquals(SparkTestSupport.untimed(want.out()), SparkTestSupport.untimed(out));
        Map<String, String> a = SparkTestSupport.answers(viaSymdex, false);
        Map<String, String> b = SparkTestSupport.answers(viaSpark, false);
        for (String q : a.keySet()) {
            assertEquals(a.get(q), b.get(q), q);
        }
        // The zstd and xz payloads were read (no failure above, their packages answer) in executors, not
        // the driver, with the zstd-jni of Spark's jars: symdex's lib/ has none (item 5).
        assertTrue(a.get("provides --index INDEX --format tsv *").contains("symdex-fixture-zstd"), a.toString());
        List<String> zstd = err.lines().filter(l -> l.contains("com.github.luben.zstd.Zstd from")).toList();
        assertTrue(!zstd.isEmpty(), err);
        for (String l : zstd) {
            assertTrue(!l.contains("executor driver"), l);
            assertTrue(l.matches(".*from file:.*/spark/target/spark/jars/zstd-jni-1\\.5\\.7-7\\.jar"), l);
        }
        assertTrue(err.lines().anyMatch(l -> l.matches(".*org.tukaani.xz.XZInputStream from file:.*xz-1\\.12\\.jar")),
                err);
        System.out.printf("local-cluster[2,1,1024] through the launcher: %.1f s%n", seconds);
    }
}
