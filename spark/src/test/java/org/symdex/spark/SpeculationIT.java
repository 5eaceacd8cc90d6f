package org.symdex.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speculation (issue 17, item 4): with spark.speculation on and one slow task, Spark runs a second
 * attempt of it and both copy a shard; the index holds the partition once. Spark never runs a
 * speculative copy on the host of the first attempt, so this needs two hosts: a standalone master on
 * 127.0.0.1 and two workers, one on 127.0.0.1 and one on 127.0.0.2 (the loopback answers on all of
 * 127/8), each its own JVM, from the Spark jars the build resolved.
 */
class SpeculationIT {
    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aSlowTasksSpeculativeCopyAddsOneShardPerPartition() throws Exception {
        int port = freePort();
        int ui = freePort();
        start("master", "127.0.0.1", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--webui-port", Integer.toString(ui));
        String master = "spark://127.0.0.1:" + port;
        for (String host : List.of("127.0.0.1", "127.0.0.2")) {
            start("worker-" + host, host, "org.apache.spark.deploy.worker.Worker", "--host", host, "--cores", "1",
                    "--memory", "768m", "--webui-port", Integer.toString(freePort()), "--work-dir",
                    tmp.resolve("work-" + host).toString(), master);
        }
        awaitWorkers(ui, 2);

        Path idx = tmp.resolve("idx-spark");
        String[] inputs = {SparkTestSupport.fixture("deb").toString(), SparkTestSupport.fixture("rpm").toString()};
        List<String> cmd = new ArrayList<>(List.of(SparkSubmitIT.TARGET.resolve("symdex-spark").toString(), "--verbose",
                "--master", master, "--partitions", "4", "--test-fault", "slow:0:25000", "--index", idx.toString()));
        cmd.addAll(List.of(inputs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SYMDEX_JAVA_OPTS", "-Xmx512m");
        pb.environment().put("SYMDEX_SPARK_OPTS", "--conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1"
                + " --conf spark.executor.memory=512m --conf spark.speculation=true --conf spark.speculation.interval=200ms"
                + " --conf spark.speculation.quantile=0.5 --conf spark.speculation.multiplier=1.5"
                + " --conf spark.speculation.minTaskRuntime=1s");
        Process p = pb.start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "symdex-spark on the standalone cluster did not end in 150 s");
        String out = Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out + err);

        // One shard per partition was added; partition 0's from the speculative attempt.
        List<String> added = err.lines().filter(l -> l.contains(": shard p")).map(l -> l.replaceAll(".*shard (p\\d+)-a(\\d+).*",
                "$1 $2")).sorted().toList();
        assertEquals(4, added.size(), err);
        assertEquals(List.of("p0", "p1", "p2", "p3"), added.stream().map(s -> s.split(" ")[0]).toList(), err);
        assertTrue(added.get(0).equals("p0 1"), "partition 0's shard should be the speculative copy's: " + added);

        Path ref = tmp.resolve("idx-symdex");
        SparkTestSupport.Run want = SparkTestSupport.symdex("index", "--index", ref.toString(), "--jobs", "2",
                inputs[0], inputs[1]);
        assertEquals(0, want.code(), want.err());
        assertEquals(SparkTestSupport.untimed(want.out()), SparkTestSupport.untimed(out));
        Map<String, String> a = SparkTestSupport.answers(ref, false);
        Map<String, String> b = SparkTestSupport.answers(idx, false);
        for (String q : a.keySet()) {
            assertEquals(a.get(q), b.get(q), q);
        }
    }

    private void start(String name, String host, String... mainAndArgs) throws IOException {
        Path home = SparkSubmitIT.TARGET.resolve("spark");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", home.resolve("conf") + ":" + home.resolve("jars") + "/*"));
        cmd.addAll(List.of(mainAndArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", host);
        started.add(pb.start());
    }

    private void awaitWorkers(int ui, int n) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui + "/json/")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (last.replaceAll("\\s", "").contains("\"aliveworkers\":" + n)) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the standalone cluster did not get " + n + " workers in 60 s: " + last + "\n"
                + Files.readString(tmp.resolve("master.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
