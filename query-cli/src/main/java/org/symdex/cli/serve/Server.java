package org.symdex.cli.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.symdex.index.IndexException;
import org.symdex.index.Nights;

/**
 * Routes a request of {@code symdex serve}: the Host check first (against DNS rebinding, issue 18
 * item 4), then {@code /api/v1/...} to {@link Api}, {@code /static/...} to the two files shipped in the
 * jar, and every other path to {@link Pages}.
 */
final class Server implements HttpFront.Handler {
    private final NightWatch watch;
    private final String shown;
    private final List<String> allowHosts;
    private final Set<String> hosts = new HashSet<>();
    private final Api api;
    private final Pages pages;

    Server(NightWatch watch, String shown, List<String> allowHosts) {
        this.watch = watch;
        this.shown = shown;
        this.allowHosts = List.copyOf(allowHosts);
        this.api = new Api(watch);
        this.pages = new Pages(watch, shown, api);
    }

    /** {@code http://HOST:PORT}, an IPv6 address in brackets. */
    static String origin(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress().replaceAll("%.*", "") + "]" : ip.getHostAddress();
        if (ip instanceof Inet6Address && ip.isLoopbackAddress()) {
            host = "[::1]";
        } else if (ip instanceof Inet6Address && ip.isAnyLocalAddress()) {
            host = "[::]";
        }
        return "http://" + host + ":" + a.getPort();
    }

    /** Fixes the Host headers answered, now that the port is known. */
    void listening(InetSocketAddress bound) {
        int port = bound.getPort();
        String origin = origin(bound);
        hosts.add(origin.substring("http://".length()).toLowerCase(Locale.ROOT));
        InetAddress ip = bound.getAddress();
        if (ip.isLoopbackAddress()) {
            hosts.add("localhost:" + port);
        }
        if (ip.isAnyLocalAddress()) {
            try {
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                        hosts.add(origin(new InetSocketAddress(a, port)).substring("http://".length()).toLowerCase(Locale.ROOT));
                    }
                }
            } catch (SocketException e) {
                // no interface list: only --allow-host names and the loopback below are answered
            }
            hosts.add("localhost:" + port);
            hosts.add("127.0.0.1:" + port);
        }
        for (String h : allowHosts) {
            String l = h.toLowerCase(Locale.ROOT);
            hosts.add(l.contains(":") && !l.startsWith("[") || l.contains("]:") ? l : l + ":" + port);
        }
    }

    @Override
    public HttpFront.Response handle(HttpFront.Request req) throws Exception {
        String host = req.header("host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return HttpFront.Response.text(421, "symdex serve answers only for " + String.join(", ", new java.util.TreeSet<>(hosts))
                    + " (--allow-host NAME adds one)\n");
        }
        Query q;
        try {
            q = Query.parse(req.target());
        } catch (IllegalArgumentException e) {
            return HttpFront.Response.text(400, e.getMessage() + "\n");
        }
        String path = q.path();
        if (path.startsWith("/api/")) {
            return api.handle(q);
        }
        if (path.startsWith("/static/")) {
            return asset(path.substring("/static/".length()));
        }
        if (path.equals("/favicon.ico")) {
            return HttpFront.Response.text(404, "no icon\n");
        }
        return pages.handle(q);
    }

    /** An API request's 503 is the CLI's JSON error envelope, without Symdex-Exit: no command finished. */
    @Override
    public HttpFront.Response timedOut(HttpFront.Request req, String message) {
        try {
            List<String> seg = Query.parse(req.target()).segments();
            if (seg.size() == 3 && seg.get(0).equals("api")) {
                return HttpFront.Response.of(503, "application/json",
                        Api.envelope(seg.get(2), message).getBytes(StandardCharsets.ISO_8859_1));
            }
        } catch (IllegalArgumentException e) {
            // not a target of ours: the plain text below
        }
        return HttpFront.Response.text(503, "symdex: " + message + "\n");
    }

    private static HttpFront.Response asset(String name) throws IOException {
        String type = switch (name) {
            case "style.css" -> "text/css; charset=utf-8";
            case "enhance.js" -> "text/javascript; charset=utf-8";
            default -> null;
        };
        if (type == null) {
            return HttpFront.Response.text(404, "no such file\n");
        }
        try (InputStream in = Server.class.getResourceAsStream(name)) {
            if (in == null) {
                return HttpFront.Response.text(404, "no such file\n");
            }
            return HttpFront.Response.of(200, type, in.readAllBytes()).with("Cache-Control", "max-age=3600");
        }
    }

    /** The night a request is answered from: {@code at=REF} counted from the served night, or the served night. */
    static Nights.Night night(NightWatch watch, Query q) throws IOException, IndexException, NoNight {
        Optional<Nights.Night> current = watch.current();
        if (current.isEmpty()) {
            throw new NoNight(watch.dir() + ": no run has finished yet; nothing is served until one does");
        }
        String at = q.one("at");
        if (at == null || at.isEmpty()) {
            return current.get();
        }
        Optional<Nights.Night> n = watch.resolve(at, current.get());
        if (n.isEmpty()) {
            List<String> kept = new ArrayList<>();
            for (Nights.Night k : watch.nights()) {
                kept.add(k.generation() + " (" + k.day() + ")");
            }
            throw new IndexException("at=" + at + ": no kept night matches (kept: " + String.join(", ", kept) + ")");
        }
        return n.get();
    }

    /** No night to answer from: a 503. */
    static final class NoNight extends Exception {
        private static final long serialVersionUID = 1L;

        NoNight(String message) {
            super(message);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
