package org.symdex.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code symdex serve} as a process (issue 18, item 1): the first line, refusals in one line with exit 2,
 * IPv6, the 0.0.0.0 warning, SIGTERM finishing a request in flight within 5 s with exit 0, and a new
 * night picked up within the 10 s re-check while an index run writes beside the server (which holds no
 * write lock: the run would fail to take it otherwise).
 */
class ServeCommandTest {
    static Path idx;

    @BeforeAll
    static void fixture() throws Exception {
        idx = ServeFixture.index();
    }

    @Test
    void noIndexOrABadListenIsOneLineAndExitTwo() throws Exception {
        Path none = ServeFixture.root().resolve("query-cli/target/serve-no-index");
        Files.createDirectories(none);
        for (String[] args : new String[][] {
                {"serve", "--index", none.toString(), "--listen", "127.0.0.1:0"},
                {"serve", "--index", none.resolve("missing").toString(), "--listen", "127.0.0.1:0"},
                {"serve", "--index", idx.toString(), "--listen", "127.0.0.1"},
                {"serve", "--index", idx.toString(), "--listen", "127.0.0.1:99999"},
                {"serve", "--index", idx.toString(), "--listen", "::1:0"},
                {"serve", "--index", idx + "@99999", "--listen", "127.0.0.1:0"}}) {
            ServeFixture.Cli c = ServeFixture.cli(args);
            String what = String.join(" ", args) + ": " + c.err();
            assertEquals(2, c.code(), what);
            assertEquals("", c.out(), what);
            // One line; a usage error adds picocli's pointer to the help, as every command does.
            java.util.List<String> lines = c.err().lines().toList();
            assertTrue(lines.size() == 1 || lines.size() == 2 && lines.get(1).startsWith("try 'symdex serve --help'"), what);
            assertTrue(c.err().startsWith("symdex: "), what);
            assertFalse(c.err().contains("Exception"), what);
        }
    }

    @Test
    void firstLineIpv6AndTheEveryNetworkWarning() throws Exception {
        try (ServeFixture.ServerProcess s = new ServeFixture.ServerProcess("--index", idx.toString(), "--listen", "[::1]:0")) {
            assertTrue(Pattern.matches("symdex: serving " + Pattern.quote(idx.toString()) + " on http://\\[::1\\]:[0-9]+/",
                    s.firstLine), s.firstLine);
            try (Socket sock = new Socket("::1", s.port)) {
                OutputStream o = sock.getOutputStream();
                o.write(("GET /api/v1/info HTTP/1.1\r\nHost: [::1]:" + s.port + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String r = new String(sock.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(r.startsWith("HTTP/1.1 200 "), r);
            }
            assertEquals(0, s.stop(), s.stderr());
        }
        try (ServeFixture.ServerProcess s = new ServeFixture.ServerProcess("--index", idx.toString(), "--listen", "0.0.0.0:0")) {
            assertTrue(s.firstLine.matches("symdex: serving .* on http://0\\.0\\.0\\.0:[0-9]+/"), s.firstLine);
            assertEquals(200, ServeFixture.get(s.port, "/api/v1/info", "127.0.0.1:" + s.port).status());
            assertEquals(421, ServeFixture.get(s.port, "/api/v1/info", "rebind.example:" + s.port).status());
            assertEquals(0, s.stop());
            assertTrue(s.stderr().contains("no authentication"), s.stderr());
        }
    }

    @Test
    void sigtermFinishesTheRequestInFlightAndExitsZero() throws Exception {
        ServeFixture.ServerProcess s = new ServeFixture.ServerProcess("--index", idx.toString(), "--listen", "127.0.0.1:0");
        try (Socket idle = new Socket("127.0.0.1", s.port); Socket busy = new Socket("127.0.0.1", s.port)) {
            busy.setSoTimeout(10_000);
            idle.setSoTimeout(10_000);
            // The broken closure over both nights' fixtures is the longest answer here: asked, then SIGTERM at once.
            OutputStream o = busy.getOutputStream();
            o.write(("GET /api/v1/broken HTTP/1.1\r\nHost: 127.0.0.1:" + s.port + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            long t0 = System.nanoTime();
            s.process.destroy();
            String r = new String(busy.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(r.startsWith("HTTP/1.1 200 "), r);
            assertTrue(r.contains("\"command\":\"broken\""), r);
            // The idle connection is closed, not answered.
            InputStream in = idle.getInputStream();
            assertEquals(-1, in.read());
            assertTrue(s.process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "not stopped within 5 s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(0, s.process.exitValue(), s.stderr());
            assertTrue(ms < 5_000, ms + " ms");
        } finally {
            s.close();
        }
    }

    @Test
    void aNewNightIsServedWithinTheRecheckAndTheIndexRunIsNotBlocked() throws Exception {
        Path copy = ServeFixture.root().resolve("query-cli/target/serve-nights");
        ServeFixture.deleteTree(copy);
        Files.createDirectories(copy);
        try (var files = Files.list(idx)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("write.lock")) {
                    Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        try (ServeFixture.ServerProcess s = new ServeFixture.ServerProcess("--index", copy.toString(), "--listen", "127.0.0.1:0")) {
            long looked = System.nanoTime();
            String before = ServeFixture.get(s, "/api/v1/info").headers().get("symdex-night");
            // A run beside the server: it takes the write lock, so the server must not hold it.
            ServeFixture.Cli run = ServeFixture.cli("index", "--index", copy.toString(), "--label", "Debian/sid/main/amd64",
                    ServeFixture.root().resolve("fixtures/scenarios/node-removed/deb").toString());
            assertEquals(0, run.code(), run.err());
            long t0 = System.nanoTime();
            if (t0 - looked < 8_000_000_000L) {
                // At most every 10 s: right after the run the server still answers from the night it looked up.
                assertEquals(before, ServeFixture.get(s, "/api/v1/info").headers().get("symdex-night"));
            }
            String now = before;
            while (now.equals(before) && System.nanoTime() - t0 < 20_000_000_000L) {
                Thread.sleep(250);
                ServeFixture.Http h = ServeFixture.get(s, "/api/v1/info");
                assertEquals(200, h.status());
                now = h.headers().get("symdex-night");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(Long.parseLong(now) > Long.parseLong(before), before + " -> " + now);
            // At most every 10 s: the change is seen within the re-check, plus the poll's step and a loaded machine's latency.
            assertTrue(ms <= NightWatch.RECHECK_MILLIS + 5_000, ms + " ms");
            // The new night answers as the CLI on the directory does.
            ServeFixture.Cli want = ServeFixture.cli("whatprovides", "--index", copy.toString(), "--format", "json",
                    "libfoo.so.1");
            assertEquals(want.out(), ServeFixture.get(s, "/api/v1/whatprovides?cap=libfoo.so.1").text());
            assertEquals(0, s.stop(), s.stderr());
        }
    }

    /** An index that can no longer be read (here: its files gone under the server) is a 503 with the envelope. */
    @Test
    void anUnreadableIndexIs503() throws Exception {
        Path copy = ServeFixture.root().resolve("query-cli/target/serve-gone");
        ServeFixture.deleteTree(copy);
        Files.createDirectories(copy);
        try (var files = Files.list(idx)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("write.lock")) {
                    Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        try (ServeFixture.ServerProcess s = new ServeFixture.ServerProcess("--index", copy.toString(), "--listen", "127.0.0.1:0")) {
            assertEquals(200, ServeFixture.get(s, "/api/v1/info").status());
            try (var files = Files.list(copy)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            // The older night was never opened: naming it reads the (gone) commits.
            ServeFixture.Http h = ServeFixture.get(s, "/api/v1/whatprovides?cap=libfoo.so.1&at=-1");
            assertEquals(503, h.status(), h.text());
            assertEquals("2", h.headers().get("symdex-exit"), h.text());
            assertTrue(h.text().startsWith("{\"schema\":\"symdex/1\",\"command\":\"whatprovides\",\"results\":[],\"errors\":[{"),
                    h.text());
            assertEquals(503, ServeFixture.get(s, "/search?q=libfoo.so.1&at=-1").status());
            assertEquals(0, s.stop(), s.stderr());
        }
    }

    /**
     * A killed run's commit (it holds part of the run) is never served: a server started after it serves the
     * night before, and a running one stays there past its re-check.
     */
    @Test
    void anUnfinishedCommitIsNeverServed() throws Exception {
        Path copy = ServeFixture.root().resolve("query-cli/target/serve-unfinished");
        ServeFixture.deleteTree(copy);
        Files.createDirectories(copy);
        try (var files = Files.list(idx)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("write.lock")) {
                    Files.copy(f, copy.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        try (ServeFixture.ServerProcess before = new ServeFixture.ServerProcess("--index", copy.toString(), "--listen",
                "127.0.0.1:0")) {
            String night = ServeFixture.get(before, "/api/v1/info").headers().get("symdex-night");
            Path scenarios = ServeFixture.root().resolve("fixtures/scenarios");
            // Two packages, a commit after each, killed after the first: the index's newest commit is unfinished.
            org.junit.jupiter.api.Assertions.assertThrows(org.symdex.batch.IndexRun.InjectedCrash.class, () ->
                    new org.symdex.batch.IndexRun(org.symdex.batch.RunOptions.defaults(copy).withJobs(1).withCommitEvery(1)
                            .withCrashAfterCommits(1), org.symdex.batch.RunListener.NONE)
                            .run(List.of(scenarios.resolve("node-removed/deb"), scenarios.resolve("dpdk-kept-old/deb"))));
            try (ServeFixture.ServerProcess after = new ServeFixture.ServerProcess("--index", copy.toString(), "--listen",
                    "127.0.0.1:0")) {
                assertEquals(night, ServeFixture.get(after, "/api/v1/info").headers().get("symdex-night"));
                ServeFixture.Cli want = ServeFixture.cli("whatprovides", "--index", copy + "@" + night, "--format", "json",
                        "libfoo.so.1");
                assertEquals(want.out(), ServeFixture.get(after, "/api/v1/whatprovides?cap=libfoo.so.1").text());
                assertEquals(0, after.stop(), after.stderr());
            }
            Thread.sleep(NightWatch.RECHECK_MILLIS + 500);
            assertEquals(night, ServeFixture.get(before, "/api/v1/info").headers().get("symdex-night"));
            assertEquals(0, before.stop(), before.stderr());
        }
    }
}
