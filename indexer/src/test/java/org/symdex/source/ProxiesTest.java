package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy variables read as curl reads them, and requests routed through a real forward proxy: a JDK
 * HttpServer on 127.0.0.1 that takes absolute-form requests and forwards them. The archive is asked
 * for under a host name that does not resolve ({@code .invalid}), so only a proxy can answer.
 */
class ProxiesTest {
    @TempDir
    Path repo;

    private static Optional<String> via(Map<String, String> env, String uri) throws SourceException {
        return Proxies.fromEnvironment(env).proxyFor(URI.create(uri)).map(a -> a.getHostString() + ":" + a.getPort());
    }

    @Test
    void variablesAsCurlReadsThem() throws Exception {
        // http_proxy in lower case only; HTTP_PROXY is ignored (httpoxy).
        assertEquals(Optional.of("p:3128"), via(Map.of("http_proxy", "http://p:3128"), "http://deb.debian.org/x"));
        assertEquals(Optional.empty(), via(Map.of("HTTP_PROXY", "http://p:3128"), "http://deb.debian.org/x"));
        // https_proxy, else HTTPS_PROXY; the lower case wins.
        assertEquals(Optional.of("s:3128"), via(Map.of("HTTPS_PROXY", "s:3128"), "https://deb.debian.org/x"));
        assertEquals(Optional.of("l:1"), via(Map.of("https_proxy", "l:1", "HTTPS_PROXY", "u:2"), "https://a/x"));
        // Each scheme its own variable.
        assertEquals(Optional.empty(), via(Map.of("https_proxy", "s:3128"), "http://deb.debian.org/x"));
        assertEquals(Optional.empty(), via(Map.of("http_proxy", "p:3128"), "https://deb.debian.org/x"));
        // all_proxy / ALL_PROXY when the scheme's own is unset; curl's port 1080 when none is given.
        assertEquals(Optional.of("a:1080"), via(Map.of("ALL_PROXY", "a"), "https://deb.debian.org/x"));
        assertEquals(Optional.of("p:8080"), via(Map.of("all_proxy", "a", "http_proxy", "http://p:8080/"), "http://d/x"));
        // An empty variable is unset.
        assertEquals(Optional.empty(), via(Map.of("http_proxy", ""), "http://deb.debian.org/x"));
    }

    @Test
    void noProxyTakesHostSuffixesAddressesAndStar() throws Exception {
        Map<String, String> env = Map.of("http_proxy", "p:3128", "no_proxy", ".debian.org, localhost,10.0.0.0/8 ::1");
        assertEquals(Optional.empty(), via(env, "http://deb.debian.org/x"));
        assertEquals(Optional.empty(), via(env, "http://debian.org/x"));
        assertEquals(Optional.empty(), via(env, "http://DEB.Debian.ORG./x"));
        assertEquals(Optional.of("p:3128"), via(env, "http://notdebian.org/x"), "a suffix matches at a dot only");
        assertEquals(Optional.empty(), via(env, "http://localhost:8080/x"));
        assertEquals(Optional.empty(), via(env, "http://10.1.2.3/x"));
        assertEquals(Optional.of("p:3128"), via(env, "http://11.1.2.3/x"));
        assertEquals(Optional.empty(), via(env, "http://[::1]:80/x"));
        assertEquals(Optional.empty(), via(Map.of("http_proxy", "p", "NO_PROXY", "*"), "http://any.where/x"));
        assertEquals(Optional.of("p:1080"), via(Map.of("http_proxy", "p", "no_proxy", "a.b", "NO_PROXY", "*"),
                "http://any.where/x"), "no_proxy wins over NO_PROXY");
    }

    @Test
    void proxiesSymdexCannotUseAreUsageErrors() {
        SourceException socks = assertThrows(SourceException.class,
                () -> Proxies.fromEnvironment(Map.of("https_proxy", "socks5h://127.0.0.1:9050")));
        assertEquals(SourceException.Kind.USAGE, socks.kind());
        assertEquals("https_proxy=socks5h://127.0.0.1:9050: socks5h:// proxies are not supported (http:// only)",
                socks.getMessage());
        SourceException creds = assertThrows(SourceException.class,
                () -> Proxies.fromEnvironment(Map.of("http_proxy", "http://user:secret@proxy:3128")));
        assertEquals("http_proxy=http://user:secret@proxy:3128: proxy credentials are not supported",
                creds.getMessage());
        assertThrows(SourceException.class, () -> Proxies.fromEnvironment(Map.of("http_proxy", "http://p:3128/path")));
    }

    /** A forward proxy for plain http: it answers absolute-form requests by asking 127.0.0.1:PORT. */
    static final class ForwardProxy implements AutoCloseable {
        final HttpServer server;
        final ExecutorService pool = Executors.newFixedThreadPool(8);
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        final int originPort;

        ForwardProxy(int originPort) throws IOException {
            this.originPort = originPort;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.setExecutor(pool);
            server.createContext("/", this::forward);
            server.start();
        }

        private void forward(HttpExchange ex) throws IOException {
            try (ex) {
                URI asked = ex.getRequestURI();
                seen.add(asked.toString());
                // Only this machine is ever reached, whatever host the request names.
                URI to = URI.create("http://127.0.0.1:" + originPort + asked.getRawPath());
                HttpURLConnection c = (HttpURLConnection) to.toURL().openConnection(Proxy.NO_PROXY);
                c.setInstanceFollowRedirects(false);
                for (String h : List.of("Range", "If-Range", "User-Agent")) {
                    String v = ex.getRequestHeaders().getFirst(h);
                    if (v != null) {
                        c.setRequestProperty(h, v);
                    }
                }
                int status = c.getResponseCode();
                for (String h : List.of("Content-Range", "ETag", "Location")) {
                    String v = c.getHeaderField(h);
                    if (v != null) {
                        ex.getResponseHeaders().set(h, v);
                    }
                }
                ex.getResponseHeaders().set("Via", "1.1 symdex-test-proxy");
                long length = c.getContentLengthLong();
                InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
                ex.sendResponseHeaders(status, body == null ? -1 : length < 0 ? 0 : length);
                if (body != null) {
                    try (body; OutputStream o = ex.getResponseBody()) {
                        body.transferTo(o);
                    }
                }
            }
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    @Test
    void requestsGoThroughTheProxyUnlessNoProxyNamesTheHost() throws Exception {
        TestRepos.debianArchive(repo);
        try (TestHttpServer origin = TestHttpServer.http(repo); ForwardProxy proxy = new ForwardProxy(origin.port())) {
            String host = "archive.symdex.invalid:" + origin.port();
            Map<String, String> env = Map.of("http_proxy", "http://127.0.0.1:" + proxy.port(), "no_proxy", "127.0.0.1");
            HttpSettings settings = HttpFetcherTest.fast().withProxies(Proxies.fromEnvironment(env));
            SourceReader reader = new SourceReader(Fetchers.standard(settings), SourceFilter.none());
            SourceSpec spec = SourceParser.parseLine("deb [arch=amd64] http://" + host + "/ bookworm main",
                    SourceDefaults.of("amd64")).specs().get(0);
            List<ListedPackage> ps = reader.read(spec).packages();
            assertEquals(7, ps.size());
            for (ListedPackage p : ps) {
                try (VerifyingInputStream in = VerifyingInputStream.open(Fetchers.standard(settings), p)) {
                    in.verify();
                }
            }
            // Absolute-form requests naming the unresolvable host: only the proxy could have answered.
            assertEquals("http://" + host + "/dists/bookworm/InRelease", proxy.seen.get(0));
            assertEquals(3 + 7, proxy.seen.size());
            assertTrue(proxy.seen.stream().allMatch(u -> u.startsWith("http://" + host + "/")), proxy.seen.toString());

            // no_proxy names 127.0.0.1: straight to the origin, the proxy sees nothing.
            proxy.seen.clear();
            int before = origin.requests().size();
            SourceSpec direct = SourceParser.parseLine("deb [arch=amd64] " + origin.uri("") + " bookworm main",
                    SourceDefaults.of("amd64")).specs().get(0);
            assertEquals(7, reader.read(direct).packages().size());
            assertEquals(List.of(), proxy.seen);
            assertEquals(before + 3, origin.requests().size());
        }
    }
}
