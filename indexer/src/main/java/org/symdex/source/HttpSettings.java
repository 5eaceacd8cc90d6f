package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * How {@link HttpFetcher} behaves on a real network (issue 14 item 2). The defaults are the issue's;
 * tests shorten the waits, and {@code --timeout} sets {@link #stallWindow}.
 *
 * @param connectTimeout how long a TCP (and TLS) connection may take: 30 s
 * @param stallWindow a transfer that brings fewer than {@code minBytesPerSecond} per second over this
 *     long, counted while the reader waits for data, is aborted (and retried): 60 s, as curl's
 *     {@code --speed-time 60 --speed-limit 1024}
 * @param minBytesPerSecond the rate under which a window counts as stalled: 1 KiB/s
 * @param maxRedirects redirects followed for one request: 5
 * @param backoff the waits before each retry of a reset, a timeout or a 5xx, in order: 1, 4 and 16 s
 *     (three retries; an empty list retries nothing)
 * @param connectionsPerHost requests open at once to one scheme, host and port: 4
 * @param userAgent the {@code User-Agent} header: {@code symdex/VERSION}
 * @param proxies which proxy each URI goes through ({@link Proxies#fromEnvironment})
 * @param sslContext the trust for https: empty for the JDK's default (its cacerts); tests give one
 *     trusting their own certificate
 * @param listener told of every byte read ({@link TransferListener#NONE} for none)
 */
public record HttpSettings(Duration connectTimeout, Duration stallWindow, long minBytesPerSecond, int maxRedirects,
        List<Duration> backoff, int connectionsPerHost, String userAgent, Proxies proxies,
        Optional<SSLContext> sslContext, TransferListener listener) {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration STALL_WINDOW = Duration.ofSeconds(60);
    public static final long MIN_BYTES_PER_SECOND = 1024;
    public static final int MAX_REDIRECTS = 5;
    public static final List<Duration> BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(4),
            Duration.ofSeconds(16));
    public static final int CONNECTIONS_PER_HOST = 4;

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(stallWindow, "stallWindow");
        backoff = List.copyOf(backoff);
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(proxies, "proxies");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(listener, "listener");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || stallWindow.isNegative() || stallWindow.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (minBytesPerSecond < 1 || maxRedirects < 0 || connectionsPerHost < 1) {
            throw new IllegalArgumentException("minBytesPerSecond, maxRedirects or connectionsPerHost out of range");
        }
        for (Duration d : backoff) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative backoff " + d);
            }
        }
    }

    /**
     * The issue's defaults, with proxies read from {@code env} as curl reads them.
     *
     * @throws SourceException (USAGE) for a proxy variable symdex cannot use
     */
    public static HttpSettings defaults(Map<String, String> env) throws SourceException {
        return new HttpSettings(CONNECT_TIMEOUT, STALL_WINDOW, MIN_BYTES_PER_SECOND, MAX_REDIRECTS, BACKOFF,
                CONNECTIONS_PER_HOST, "symdex/" + version(), Proxies.fromEnvironment(env), Optional.empty(),
                TransferListener.NONE);
    }

    /** {@code --timeout}: the stall window. */
    public HttpSettings withStallWindow(Duration window) {
        return new HttpSettings(connectTimeout, window, minBytesPerSecond, maxRedirects, backoff, connectionsPerHost,
                userAgent, proxies, sslContext, listener);
    }

    public HttpSettings withConnectTimeout(Duration timeout) {
        return new HttpSettings(timeout, stallWindow, minBytesPerSecond, maxRedirects, backoff, connectionsPerHost,
                userAgent, proxies, sslContext, listener);
    }

    /** The progress bar's byte counter. */
    public HttpSettings withListener(TransferListener l) {
        return new HttpSettings(connectTimeout, stallWindow, minBytesPerSecond, maxRedirects, backoff,
                connectionsPerHost, userAgent, proxies, sslContext, l);
    }

    public HttpSettings withBackoff(List<Duration> waits) {
        return new HttpSettings(connectTimeout, stallWindow, minBytesPerSecond, maxRedirects, waits,
                connectionsPerHost, userAgent, proxies, sslContext, listener);
    }

    public HttpSettings withProxies(Proxies p) {
        return new HttpSettings(connectTimeout, stallWindow, minBytesPerSecond, maxRedirects, backoff,
                connectionsPerHost, userAgent, p, sslContext, listener);
    }

    public HttpSettings withSslContext(SSLContext context) {
        return new HttpSettings(connectTimeout, stallWindow, minBytesPerSecond, maxRedirects, backoff,
                connectionsPerHost, userAgent, proxies, Optional.of(context), listener);
    }

    /**
     * symdex's version: what the build wrote into {@code symdex-version.properties} (the pom's
     * version, by resource filtering), else the jar manifest's Implementation-Version, else "dev".
     */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = HttpSettings.class.getResourceAsStream("symdex-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build information: the fallbacks below
        }
        String v = p.getProperty("version", "").strip();
        if (!v.isEmpty() && !v.startsWith("${")) {
            return v;
        }
        String manifest = HttpSettings.class.getPackage().getImplementationVersion();
        return manifest == null ? "dev" : manifest;
    }
}
