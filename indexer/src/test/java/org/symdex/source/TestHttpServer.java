package org.symdex.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server on 127.0.0.1, started by a test: the JDK's HttpServer on a pool of
 * threads, serving a directory with Content-Length, a strong ETag and single byte ranges (206 with
 * Content-Range), and logging every request. A test replaces what one path does with a
 * {@link Behaviour} to make the server misbehave (stop mid-body, drip, redirect, lie).
 */
public final class TestHttpServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** What the server does for one request. */
    @FunctionalInterface
    interface Behaviour {
        void handle(HttpExchange ex, TestHttpServer server) throws IOException;
    }

    /** One request as it arrived. */
    record Request(String method, String path, String range, String ifRange, String userAgent, String requestUri) {
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final Path root;
    private final String scheme;
    private final List<Request> log = new ArrayList<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

    private TestHttpServer(HttpServer server, Path root, String scheme) {
        this.server = server;
        this.root = root;
        this.scheme = scheme;
        this.pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** Serves {@code root} over http on 127.0.0.1, a free port. */
    public static TestHttpServer http(Path root) throws IOException {
        return new TestHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64),
                root, "http");
    }

    /** Serves {@code root} over https with {@code tls}'s certificate. */
    static TestHttpServer https(Path root, SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new TestHttpServer(s, root, "https");
    }

    /** {@code scheme://127.0.0.1:PORT/path}. */
    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/" + path);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Replaces what {@code /path} does. */
    void on(String path, Behaviour b) {
        behaviours.put("/" + path, b);
    }

    List<Request> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    List<Request> requests(String path) {
        return requests().stream().filter(r -> r.path().equals("/" + path)).toList();
    }

    private void dispatch(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        synchronized (log) {
            log.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Range"),
                    ex.getRequestHeaders().getFirst("If-Range"), ex.getRequestHeaders().getFirst("User-Agent"),
                    ex.getRequestURI().toString()));
        }
        try (ex) {
            ex.getRequestBody().readAllBytes();
            Behaviour b = behaviours.get(path);
            if (b != null) {
                b.handle(ex, this);
            } else {
                serveFile(ex, path);
            }
        } catch (IOException e) {
            // the client went away, or a behaviour broke the connection on purpose
        }
    }

    /** The file under the root at {@code path} ("/a/b"), with ranges; 404 when absent. */
    void serveFile(HttpExchange ex, String path) throws IOException {
        Path f = root.resolve(path.substring(1)).normalize();
        if (!f.startsWith(root) || !Files.isRegularFile(f)) {
            ex.sendResponseHeaders(404, -1);
            return;
        }
        byte[] data = Files.readAllBytes(f);
        String etag = "\"" + data.length + "-" + Files.getLastModifiedTime(f).toMillis() + "\"";
        ex.getResponseHeaders().set("ETag", etag);
        ex.getResponseHeaders().set("Accept-Ranges", "bytes");
        String range = ex.getRequestHeaders().getFirst("Range");
        String ifRange = ex.getRequestHeaders().getFirst("If-Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches() && (ifRange == null || ifRange.equals(etag))) {
            int from = (int) Math.min(Long.parseLong(m.group(1)), data.length);
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            ex.sendResponseHeaders(206, data.length - from);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(data, from, data.length - from);
            }
            return;
        }
        ex.sendResponseHeaders(200, data.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(data);
        }
    }

    /**
     * Sends the headers for {@code data} as {@link #serveFile} would (200, or 206 from a
     * {@code Range: bytes=N-}) and returns the offset the body starts at; the behaviour writes it.
     */
    static int head(HttpExchange ex, byte[] data) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            int from = (int) Math.min(Long.parseLong(m.group(1)), data.length);
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            ex.sendResponseHeaders(206, data.length - from);
            return from;
        }
        ex.sendResponseHeaders(200, data.length);
        return 0;
    }

    /** A file's bytes, for behaviours. */
    byte[] bytes(String path) throws IOException {
        return Files.readAllBytes(root.resolve(path));
    }

    /** Reads a response fully with the JDK's URL client, for checks outside the fetcher. */
    static byte[] get(URI uri) throws IOException {
        try (InputStream in = uri.toURL().openStream()) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
