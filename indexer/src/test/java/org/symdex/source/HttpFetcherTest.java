package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP fetcher against a real server on 127.0.0.1 serving a real archive (apt-ftparchive over
 * the fixture .debs), made to misbehave one way per test: stop mid-body, drip, drop a connection,
 * redirect in a loop, send more than the Size, send an HTML page, 404, 5xx. Waits are shortened
 * (backoff 10 ms, stall window 400 ms) so that the whole class runs in seconds.
 */
class HttpFetcherTest {
    @TempDir
    Path repo;

    private TestHttpServer server;
    private final LongAdder bytes = new LongAdder();

    static HttpSettings fast() throws SourceException {
        return HttpSettings.defaults(Map.of())
                .withBackoff(List.of(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofMillis(10)))
                .withStallWindow(Duration.ofMillis(400))
                .withConnectTimeout(Duration.ofSeconds(5));
    }

    private HttpSettings settings() throws SourceException {
        return fast().withListener(bytes::add);
    }

    @BeforeEach
    void serve() throws Exception {
        TestRepos.debianArchive(repo);
        server = TestHttpServer.http(repo);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private SourceSpec spec() throws SourceException {
        String line = "deb [arch=amd64] " + server.uri("") + " bookworm main";
        return SourceParser.parseLine(line, SourceDefaults.of("amd64")).specs().get(0);
    }

    private List<ListedPackage> listed(Fetcher f) throws SourceException {
        return new SourceReader(f, SourceFilter.none()).read(spec()).packages();
    }

    private static ListedPackage named(List<ListedPackage> ps, String name) {
        return ps.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** Reads a package through the verifying stream: its failure, or null when it verified. */
    private static SourceException read(Fetcher f, ListedPackage p) {
        try (VerifyingInputStream in = VerifyingInputStream.open(f, p)) {
            in.verify();
            return null;
        } catch (SourceException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsTheArchiveAsFileDoesWithUserAgentAndByteCount() throws Exception {
        Fetcher http = Fetchers.standard(settings());
        List<ListedPackage> overHttp = listed(http);
        List<ListedPackage> overFile = new SourceReader(new FileFetcher(), SourceFilter.none())
                .read(TestRepos.deb("arch=amd64", repo, "bookworm main")).packages();
        assertEquals(7, overHttp.size());
        assertEquals(overFile.size(), overHttp.size());
        for (int i = 0; i < overFile.size(); i++) {
            ListedPackage a = overFile.get(i);
            ListedPackage b = overHttp.get(i);
            assertEquals(List.of(a.name(), a.version(), a.path(), a.size(), a.checksum(), a.labels()),
                    List.of(b.name(), b.version(), b.path(), b.size(), b.checksum(), b.labels()));
            assertEquals(server.uri(a.path()), b.uri());
        }
        long metadata = bytes.sum();
        assertEquals(Files.size(repo.resolve("dists/bookworm/Release"))
                + Files.size(repo.resolve("dists/bookworm/main/binary-amd64/Packages.xz")), metadata);
        long packages = 0;
        for (ListedPackage p : overHttp) {
            assertNull(read(http, p));
            packages += p.size();
        }
        assertEquals(metadata + packages, bytes.sum(), "every byte downloaded is counted once");
        for (TestHttpServer.Request r : server.requests()) {
            assertEquals("symdex/" + HttpSettings.version(), r.userAgent());
        }
        assertTrue(HttpSettings.version().matches("\\d+\\.\\d+\\.\\d+.*"), HttpSettings.version());
        // InRelease is asked for first (404), then Release; Packages.xz, the form the Release lists first.
        assertEquals(List.of("/dists/bookworm/InRelease", "/dists/bookworm/Release",
                "/dists/bookworm/main/binary-amd64/Packages.xz"),
                server.requests().subList(0, 3).stream().map(TestHttpServer.Request::path).toList());
    }

    @Test
    void atMostFourRequestsPerHostAndConnectionsAreReused() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        List<ListedPackage> ps = listed(http);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> clientPorts = java.util.Collections.synchronizedSet(new HashSet<>());
        for (ListedPackage p : ps) {
            server.on(p.path(), (ex, s) -> {
                clientPorts.add(ex.getRemoteAddress().getPort());
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(150);
                    s.serveFile(ex, ex.getRequestURI().getPath());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
        ExecutorService jobs = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<SourceException>> fs = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    ListedPackage p = ps.get(i % ps.size());
                    fs.add(jobs.submit(() -> read(http, p)));
                }
                for (Future<SourceException> f : fs) {
                    assertNull(f.get(30, TimeUnit.SECONDS));
                }
            }
        } finally {
            jobs.shutdownNow();
        }
        assertEquals(4, most.get(), "eight jobs, one host: four requests at once");
        assertTrue(clientPorts.size() <= 5, "sixteen requests over at most four (five with the metadata's) "
                + "connections: " + clientPorts);
    }

    @Test
    void aServerThatStopsMidBodyFailsThatPackageAfterThreeResumes() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        ListedPackage p = named(listed(http), "libfoo1");
        server.on(p.path(), (ex, s) -> {
            byte[] data = s.bytes(p.path());
            int from = TestHttpServer.head(ex, data);
            OutputStream o = ex.getResponseBody();
            o.write(data, from, (data.length - from) / 2);
            o.flush();
            // returning closes the exchange short of its Content-Length: the server drops the connection
        });
        SourceException e = read(http, p);
        assertEquals(SourceException.Kind.PACKAGE, e.kind());
        assertTrue(e.getMessage().startsWith(server.uri(p.path()) + ": cannot read: connection to 127.0.0.1:"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(4 tries)"), e.getMessage());
        List<TestHttpServer.Request> rs = server.requests(p.path());
        assertEquals(4, rs.size());
        assertNull(rs.get(0).range());
        // Each response broke off after half of what it was asked for; each resume asked for the rest.
        long at = 0;
        for (int i = 1; i < 4; i++) {
            at += (p.size() - at) / 2;
            assertEquals("bytes=" + at + "-", rs.get(i).range());
        }
    }

    @Test
    void aConnectionDroppedOnceIsResumedWithRange() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        ListedPackage p = named(listed(http), "fooapp");
        AtomicInteger calls = new AtomicInteger();
        server.on(p.path(), (ex, s) -> {
            if (calls.getAndIncrement() > 0) {
                s.serveFile(ex, ex.getRequestURI().getPath());
                return;
            }
            byte[] data = s.bytes(p.path());
            ex.getResponseHeaders().set("ETag", etag(p));
            ex.sendResponseHeaders(200, data.length);
            OutputStream o = ex.getResponseBody();
            o.write(data, 0, 1000);
            o.flush();
        });
        long before = bytes.sum();
        assertNull(read(http, p));
        assertEquals(p.size(), bytes.sum() - before, "the resumed bytes are not counted twice");
        List<TestHttpServer.Request> rs = server.requests(p.path());
        assertEquals(2, rs.size());
        assertEquals("bytes=1000-", rs.get(1).range());
        assertEquals(etag(p), rs.get(1).ifRange());
    }

    /** TestHttpServer's ETag for a file: "SIZE-MTIME". */
    private String etag(ListedPackage p) throws IOException {
        return "\"" + p.size() + "-" + Files.getLastModifiedTime(repo.resolve(p.path())).toMillis() + "\"";
    }

    @Test
    void aTenBytePerSecondDripIsAbortedAfterTheStallWindowAndRetried() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        ListedPackage p = named(listed(http), "libbar1");
        server.on(p.path(), (ex, s) -> {
            byte[] data = s.bytes(p.path());
            int from = TestHttpServer.head(ex, data);
            OutputStream o = ex.getResponseBody();
            // 10 B/s, for at most 3 s: the client gives up well before
            for (int i = from; i < from + 30 && i < data.length; i++) {
                o.write(data[i]);
                o.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long t0 = System.nanoTime();
        SourceException e = read(http, p);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(SourceException.Kind.PACKAGE, e.kind());
        assertTrue(e.getMessage().contains("cannot read: transfer below 1024 B/s for 400 ms after "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(4 tries)"), e.getMessage());
        assertEquals(4, server.requests(p.path()).size());
        assertTrue(ms < 4 * 400 + 2000, "four windows of 400 ms and three 10 ms backoffs, not more: " + ms + " ms");
    }

    @Test
    void aRedirectLoopAndMoreThanFiveRedirectsFail() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        server.on("a", redirect("b"));
        server.on("b", redirect("a"));
        IOException loop = assertThrows(IOException.class, () -> http.open(server.uri("a")));
        assertEquals("redirect loop (" + server.uri("a") + " again)", loop.getMessage());
        for (int i = 0; i < 6; i++) {
            server.on("r" + i, redirect("r" + (i + 1)));
        }
        Files.writeString(repo.resolve("r6"), "end");
        Files.writeString(repo.resolve("r5"), "five");
        server.on("r5", (ex, s) -> s.serveFile(ex, "/r5"));
        // r0 -> r1 -> ... -> r5: five redirects, followed
        try (Fetched f = http.open(server.uri("r0")).orElseThrow()) {
            assertEquals("five", new String(f.stream().readAllBytes(), StandardCharsets.US_ASCII));
        }
        server.on("r5", redirect("r6"));
        IOException six = assertThrows(IOException.class, () -> http.open(server.uri("r0")));
        assertEquals("more than 5 redirects (last to " + server.uri("r6") + ")", six.getMessage());
    }

    @Test
    void aRedirectToFileIsRefused() throws Exception {
        Fetcher http = Fetchers.standard(settings());
        server.on("x", (ex, s) -> {
            ex.getResponseHeaders().set("Location", "file:///etc/passwd");
            ex.sendResponseHeaders(302, -1);
        });
        IOException e = assertThrows(IOException.class, () -> http.open(server.uri("x")));
        assertEquals("refused a redirect to file: (file:/etc/passwd)", e.getMessage());
    }

    static TestHttpServer.Behaviour redirect(String to) {
        return (ex, s) -> {
            ex.getResponseHeaders().set("Location", "/" + to);
            ex.sendResponseHeaders(302, -1);
        };
    }

    @Test
    void aBodyLongerThanTheSizeFailsAtSizePlusOne() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        ListedPackage p = named(listed(http), "librte1");
        byte[] longer = new byte[(int) p.size() + 100_000];
        System.arraycopy(Files.readAllBytes(repo.resolve(p.path())), 0, longer, 0, (int) p.size());
        // Declared: refused before reading.
        server.on(p.path(), (ex, s) -> {
            ex.sendResponseHeaders(200, longer.length);
            ex.getResponseBody().write(longer);
        });
        SourceException declared = read(http, p);
        assertEquals(server.uri(p.path()) + ": longer than the " + p.size() + " bytes listed (" + longer.length
                + " bytes)", declared.getMessage());
        // Chunked, no length: read up to Size+1 and no further.
        server.on(p.path(), (ex, s) -> {
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(longer);
        });
        VerifyingInputStream in = VerifyingInputStream.open(http, p);
        SourceException e = assertThrows(SourceException.class, in::verify);
        in.close();
        assertEquals(server.uri(p.path()) + ": longer than the " + p.size() + " bytes listed", e.getMessage());
        assertEquals(SourceException.Kind.PACKAGE, e.kind());
        assertEquals(p.size() + 1, in.count());
    }

    @Test
    void anHtmlPageWhereAPackageBelongsIsThatPackagesFailure() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        List<ListedPackage> ps = listed(http);
        ListedPackage p = named(ps, "barapp");
        byte[] html = "<!DOCTYPE html><html><body>Mirror maintenance</body></html>".getBytes(StandardCharsets.UTF_8);
        server.on(p.path(), (ex, s) -> {
            ex.getResponseHeaders().set("Content-Type", "text/html");
            ex.sendResponseHeaders(200, html.length);
            ex.getResponseBody().write(html);
        });
        SourceException e = read(http, p);
        assertEquals(SourceException.Kind.PACKAGE, e.kind());
        assertEquals(server.uri(p.path()) + ": short read (expected " + p.size() + " bytes, got " + html.length + ")",
                e.getMessage());
        // The same page padded to the listed size: the checksum tells.
        byte[] padded = new byte[(int) p.size()];
        System.arraycopy(html, 0, padded, 0, html.length);
        server.on(p.path(), (ex, s) -> {
            ex.sendResponseHeaders(200, padded.length);
            ex.getResponseBody().write(padded);
        });
        SourceException sum = read(http, p);
        assertTrue(sum.getMessage().startsWith(server.uri(p.path()) + ": SHA256 mismatch (expected "
                + p.checksum().hex() + ", got "), sum.getMessage());
        // The other packages are unaffected.
        assertNull(read(http, named(ps, "fooapp")));
    }

    @Test
    void aMissingPackageIsNotFoundAndA5xxIsRetried() throws Exception {
        Fetcher http = new HttpFetcher(settings());
        List<ListedPackage> ps = listed(http);
        ListedPackage p = named(ps, "libc6");
        Files.delete(repo.resolve(p.path()));
        SourceException e = read(http, p);
        assertEquals(server.uri(p.path()) + ": not found", e.getMessage());
        assertEquals(SourceException.Kind.PACKAGE, e.kind());
        assertEquals(1, server.requests(p.path()).size(), "a 404 is not retried");

        ListedPackage q = named(ps, "rteapp");
        AtomicInteger calls = new AtomicInteger();
        server.on(q.path(), (ex, s) -> {
            if (calls.getAndIncrement() < 2) {
                ex.sendResponseHeaders(503, -1);
            } else {
                s.serveFile(ex, ex.getRequestURI().getPath());
            }
        });
        assertNull(read(http, q));
        assertEquals(3, server.requests(q.path()).size());
        server.on(q.path(), (ex, s) -> ex.sendResponseHeaders(502, -1));
        SourceException gw = read(http, q);
        assertEquals(server.uri(q.path()) + ": cannot read: HTTP 502 from " + server.uri(q.path()) + " (4 tries)",
                gw.getMessage());
    }

    @Test
    void anUnreachableSourceIsOneSourceLineAtOnce() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String line = "deb [arch=amd64] http://127.0.0.1:" + closed + "/debian bookworm main";
        SourceSpec spec = SourceParser.parseLine(line, SourceDefaults.of("amd64")).specs().get(0);
        long t0 = System.nanoTime();
        SourceException e = assertThrows(SourceException.class,
                () -> new SourceReader(Fetchers.standard(HttpSettings.defaults(Map.of())), SourceFilter.none()).open(spec));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000, "no backoff for a refused connection");
        assertEquals(SourceException.Kind.SOURCE, e.kind());
        assertEquals("http://127.0.0.1:" + closed + "/debian/dists/bookworm/InRelease: cannot read: cannot connect to "
                + "127.0.0.1:" + closed + " (connection refused)", e.getMessage().replace("Connection refused",
                "connection refused"));
        assertFalse(e.getMessage().contains("\n"));

        SourceSpec unknown = SourceParser.parseLine("deb [arch=amd64] http://symdex-test.invalid/debian bookworm main",
                SourceDefaults.of("amd64")).specs().get(0);
        SourceException u = assertThrows(SourceException.class,
                () -> new SourceReader(Fetchers.standard(HttpSettings.defaults(Map.of())), SourceFilter.none())
                        .open(unknown));
        assertEquals("http://symdex-test.invalid/debian/dists/bookworm/InRelease: cannot read: unknown host "
                + "symdex-test.invalid", u.getMessage());
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        server.on("silent", (ex, s) -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpFetcher http = new HttpFetcher(settings().withConnectTimeout(Duration.ofMillis(300))
                .withBackoff(List.of(Duration.ofMillis(10))));
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> http.open(server.uri("silent")));
        assertEquals("no response from 127.0.0.1:" + server.port() + " (timed out) (2 tries)", e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 4000);
    }

    @Test
    void redirectRules() throws Exception {
        URI https = URI.create("https://a.example/debian/x");
        assertEquals(URI.create("https://b.example/y"), HttpFetcher.redirect(https, "https://b.example/y#frag"));
        assertEquals(URI.create("https://a.example/debian/z"), HttpFetcher.redirect(https, "z"));
        assertEquals(URI.create("https://b.example/y"),
                HttpFetcher.redirect(URI.create("http://a.example/"), "https://b.example/y"));
        assertEquals("refused a redirect from https to http (http://b.example/y)",
                assertThrows(IOException.class, () -> HttpFetcher.redirect(https, "http://b.example/y")).getMessage());
        assertEquals("refused a redirect to ftp: (ftp://b.example/y)",
                assertThrows(IOException.class, () -> HttpFetcher.redirect(https, "ftp://b.example/y")).getMessage());
    }

}
