package org.symdex.source;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * {@link Fetcher} for {@code http:} and {@code https:}, on the JDK's {@link HttpClient} (HTTP/1.1,
 * connections kept alive and reused by the client's pool). What it does on a real network is the
 * issue's item 2, and each rule is in one place here or in {@link HttpBodyStream}:
 * <ul>
 * <li>at most {@link HttpSettings#connectionsPerHost} requests open at once per scheme, host and
 *     port: a request holds its host's permit until its body is closed, so the client never opens
 *     more connections than that to one host;</li>
 * <li>redirects are followed here, not by the client, at most {@link HttpSettings#maxRedirects},
 *     never from https to http, never to anything but http and https ({@link #redirect});</li>
 * <li>a reset, a timeout or a 5xx is retried after each wait of {@link HttpSettings#backoff};
 *     a refused connection, an unknown host or a failed TLS handshake is not (the source is
 *     unreachable, and saying so at once is better than after 21 s); a body that breaks off is
 *     resumed with {@code Range} by {@link HttpBodyStream};</li>
 * <li>404 and 410 are "nothing there" ({@link Optional#empty}); any other status is an
 *     {@link IOException} naming it.</li>
 * </ul>
 * Every wait is bounded: connecting by {@link HttpSettings#connectTimeout}, the response headers by
 * that plus {@link HttpSettings#stallWindow}, the body by the stall rule.
 *
 * <p>Thread-safe; one instance serves the whole run.
 */
public final class HttpFetcher implements Fetcher {
    private final HttpSettings settings;
    private final HttpClient client;
    private final ConcurrentHashMap<String, Semaphore> hosts = new ConcurrentHashMap<>();

    public HttpFetcher(HttpSettings settings) {
        this.settings = settings;
        HttpClient.Builder b = HttpClient.newBuilder()
                // HTTP/1.1: cleartext HTTP/2 would send an Upgrade: h2c probe to every server and proxy,
                // and one connection per request is what the per-host limit counts.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .proxy(settings.proxies().selector());
        settings.sslContext().ifPresent(b::sslContext);
        this.client = b.build();
    }

    public HttpSettings settings() {
        return settings;
    }

    @Override
    public Optional<Fetched> open(URI uri) throws IOException {
        String scheme = scheme(uri);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException(scheme + ": URIs are not read over HTTP");
        }
        Retries retries = new Retries();
        Response r = request(uri, 0, null, retries);
        if (r == null) {
            return Optional.empty();
        }
        HttpBodyStream body = new HttpBodyStream(this, uri, r, retries);
        return Optional.of(new Fetched(body, r.length()));
    }

    /** The retries one download has left: a resume spends from the same three. */
    final class Retries {
        private int used;

        /** Waits before the next try, or returns false when none is left. */
        boolean backoff() throws IOException {
            if (used >= settings.backoff().size()) {
                return false;
            }
            Duration d = settings.backoff().get(used++);
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            return true;
        }

        int tries() {
            return used + 1;
        }
    }

    /** A failure that another try may not have: a reset, a timeout, a 5xx. */
    static final class RetryableException extends IOException {
        private static final long serialVersionUID = 1L;

        RetryableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * A response whose status is 200 or 206, its body not read yet; it holds its host's permit
     * until {@link #release}.
     *
     * @param status 200 or 206
     * @param length Content-Length, or -1 if the server sent none
     * @param contentRange for 206: the Content-Range header, else ""
     * @param validator for a later If-Range: a strong ETag, else Last-Modified, else ""
     */
    record Response(int status, long length, String contentRange, String validator, BodyQueue body, Permit permit) {
        void release() {
            body.cancel();
            permit.release();
        }
    }

    /** One host's permit, released once however often it is asked to be. */
    static final class Permit {
        private final Semaphore semaphore;
        private final AtomicBoolean released = new AtomicBoolean();

        Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                semaphore.release();
            }
        }
    }

    /**
     * GETs {@code uri} from byte {@code offset} on (with Range and, when given, If-Range), following
     * redirects and retrying what may pass.
     *
     * @return the response, or null for 404/410 at offset 0
     */
    Response request(URI uri, long offset, String validator, Retries retries) throws IOException {
        while (true) {
            try {
                return exchange(uri, offset, validator);
            } catch (RetryableException e) {
                if (!retries.backoff()) {
                    throw new IOException(e.getMessage() + " (" + retries.tries() + " tries)", e.getCause());
                }
            }
        }
    }

    private Response exchange(URI start, long offset, String validator) throws IOException {
        URI current = start;
        Set<URI> seen = new HashSet<>();
        for (int hop = 0; ; hop++) {
            seen.add(current);
            Permit permit = acquire(current);
            HttpResponse<BodyQueue> resp;
            try {
                resp = client.send(get(current, offset, validator), info -> new BodyQueue());
            } catch (IOException e) {
                permit.release();
                throw classify(e, current);
            } catch (InterruptedException e) {
                permit.release();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            int status = resp.statusCode();
            BodyQueue body = resp.body();
            if (status == 200 || status == 206) {
                long length = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                String range = resp.headers().firstValue("Content-Range").orElse("");
                return new Response(status, length, range, validator(resp), body, permit);
            }
            body.cancel();
            permit.release();
            if (isRedirect(status)) {
                String location = resp.headers().firstValue("Location")
                        .orElseThrow(() -> new IOException("HTTP " + status + " without Location"));
                URI next = redirect(current, location);
                if (seen.contains(next)) {
                    throw new IOException("redirect loop (" + next + " again)");
                }
                if (hop + 1 > settings.maxRedirects()) {
                    throw new IOException("more than " + settings.maxRedirects() + " redirects (last to " + next + ")");
                }
                current = next;
            } else if ((status == 404 || status == 410) && offset == 0) {
                return null;
            } else if (status >= 500 && status <= 599) {
                throw new RetryableException("HTTP " + status + " from " + current, null);
            } else {
                throw new IOException("HTTP " + status + " from " + current);
            }
        }
    }

    private HttpRequest get(URI uri, long offset, String validator) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET()
                .timeout(settings.connectTimeout().plus(settings.stallWindow()))
                .header("User-Agent", settings.userAgent());
        if (offset > 0) {
            b.header("Range", "bytes=" + offset + "-");
            if (validator != null && !validator.isEmpty()) {
                b.header("If-Range", validator);
            }
        }
        return b.build();
    }

    private Permit acquire(URI uri) throws IOException {
        String key = scheme(uri) + "://" + uri.getHost() + ":" + port(uri);
        Semaphore s = hosts.computeIfAbsent(key, k -> new Semaphore(settings.connectionsPerHost(), true));
        try {
            // Bounded by the requests ahead of it: each ends when its reader closes it or stalls.
            s.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return new Permit(s);
    }

    /** A strong ETag, else Last-Modified: what If-Range may carry (RFC 9110 13.1.5). */
    private static String validator(HttpResponse<?> resp) {
        Optional<String> etag = resp.headers().firstValue("ETag");
        if (etag.isPresent() && !etag.get().startsWith("W/")) {
            return etag.get();
        }
        return resp.headers().firstValue("Last-Modified").orElse("");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Where a redirect from {@code from} to {@code location} leads, or why it is refused: only http
     * and https are followed (never {@code file:}, which would read this machine's files on a
     * server's word), and never from https to http (a downgrade anyone on the path could then
     * forge).
     */
    static URI redirect(URI from, String location) throws IOException {
        URI next;
        try {
            next = from.resolve(new URI(location.strip()));
            next = new URI(next.getScheme(), next.getRawAuthority() == null ? null : next.getAuthority(),
                    next.getPath(), next.getQuery(), null);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("redirect to a malformed Location '" + location + "'");
        }
        String to = scheme(next);
        if (!to.equals("http") && !to.equals("https")) {
            throw new IOException("refused a redirect to " + to + ": (" + next + ")");
        }
        if (scheme(from).equals("https") && to.equals("http")) {
            throw new IOException("refused a redirect from https to http (" + next + ")");
        }
        if (next.getHost() == null) {
            throw new IOException("redirect to a Location without a host '" + location + "'");
        }
        return next;
    }

    /**
     * One line for a failed exchange, retryable or not: a refused connection, an unknown host and a
     * failed TLS handshake will not pass by trying again; resets and timeouts may.
     */
    static IOException classify(IOException e, URI uri) {
        String hostPort = uri.getHost() + ":" + port(uri);
        if (e instanceof HttpConnectTimeoutException) {
            return new RetryableException("cannot connect to " + hostPort + " (timed out)", e);
        }
        if (e instanceof HttpTimeoutException) {
            return new RetryableException("no response from " + hostPort + " (timed out)", e);
        }
        if (e instanceof ConnectException) {
            Throwable c = e;
            while (c != null) {
                if (c instanceof UnresolvedAddressException) {
                    return new IOException("unknown host " + uri.getHost(), e);
                }
                c = c.getCause();
            }
            return new IOException("cannot connect to " + hostPort + " (" + message(e, "connection refused") + ")", e);
        }
        if (e instanceof SSLException) {
            return new IOException("TLS with " + hostPort + " failed (" + message(e, "handshake") + ")", e);
        }
        return new RetryableException("connection to " + hostPort + " failed (" + message(e, "reset") + ")", e);
    }

    static String message(Throwable e, String fallback) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getCause() != null && e.getCause() != e ? message(e.getCause(), fallback) : fallback;
        }
        return m;
    }

    static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return scheme(uri).equals("https") ? 443 : 80;
    }

    TransferListener listener() {
        return settings.listener();
    }
}
