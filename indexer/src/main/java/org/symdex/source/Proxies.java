package org.symdex.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which proxy a URI goes through, from the environment as curl reads it (lib/url.c
 * {@code detect_proxy}, lib/noproxy.c {@code Curl_check_noproxy}):
 * <ul>
 * <li>{@code http:} uses {@code http_proxy}, lower case only (curl ignores {@code HTTP_PROXY}: a CGI
 *     program gets the request's {@code Proxy:} header under that name, "httpoxy");</li>
 * <li>{@code https:} uses {@code https_proxy}, else {@code HTTPS_PROXY};</li>
 * <li>either falls back to {@code all_proxy}, else {@code ALL_PROXY}, as curl does;</li>
 * <li>{@code no_proxy}, else {@code NO_PROXY}: a list (commas or spaces) of host names, each matching
 *     itself and its subdomains (a leading dot is ignored), IP addresses or CIDR ranges matching
 *     literal addresses, or {@code *} alone for every host.</li>
 * </ul>
 * An empty variable is unset. A proxy is {@code [http://]HOST[:PORT]} (port 1080 when none, as curl
 * assumes); other proxy schemes and credentials are refused when read, as a usage error naming the
 * variable, rather than ignored.
 */
public final class Proxies {
    /** curl's port for a proxy given without one. */
    static final int DEFAULT_PORT = 1080;

    private final Optional<InetSocketAddress> http;
    private final Optional<InetSocketAddress> https;
    private final List<String> noProxy;

    private Proxies(Optional<InetSocketAddress> http, Optional<InetSocketAddress> https, List<String> noProxy) {
        this.http = http;
        this.https = https;
        this.noProxy = List.copyOf(noProxy);
    }

    /** No proxy for anything. */
    public static Proxies none() {
        return new Proxies(Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * Reads the proxy variables from {@code env} (pass {@code System.getenv()}).
     *
     * @throws SourceException (USAGE) naming the variable, for a proxy that is not {@code http://},
     *     carries credentials or does not parse
     */
    public static Proxies fromEnvironment(Map<String, String> env) throws SourceException {
        Optional<String> all = first(env, "all_proxy", "ALL_PROXY");
        Optional<String> httpVar = first(env, "http_proxy").or(() -> all);
        Optional<String> httpsVar = first(env, "https_proxy", "HTTPS_PROXY").or(() -> all);
        String no = first(env, "no_proxy", "NO_PROXY").map(v -> v.substring(v.indexOf('=') + 1)).orElse("");
        List<String> tokens = new ArrayList<>();
        for (String t : no.split("[,\\s]+")) {
            String s = t.strip().toLowerCase(Locale.ROOT);
            if (s.startsWith(".")) {
                s = s.substring(1);
            }
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
            if (!s.isEmpty()) {
                tokens.add(s);
            }
        }
        return new Proxies(parse(httpVar), parse(httpsVar), tokens);
    }

    /** The first of {@code names} set to a non-empty value, as "name=value". */
    private static Optional<String> first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) {
                return Optional.of(n + "=" + v.strip());
            }
        }
        return Optional.empty();
    }

    private static Optional<InetSocketAddress> parse(Optional<String> var) throws SourceException {
        if (var.isEmpty()) {
            return Optional.empty();
        }
        String nameValue = var.get();
        int eq = nameValue.indexOf('=');
        String name = nameValue.substring(0, eq);
        String value = nameValue.substring(eq + 1);
        String withScheme = value.contains("://") ? value : "http://" + value;
        URI u;
        try {
            u = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw usage(name, value, "not a proxy URL ([http://]HOST[:PORT])");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw usage(name, value, scheme + ":// proxies are not supported (http:// only)");
        }
        if (u.getRawUserInfo() != null) {
            throw usage(name, value, "proxy credentials are not supported");
        }
        if (u.getHost() == null || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))
                || u.getRawQuery() != null) {
            throw usage(name, value, "not a proxy URL ([http://]HOST[:PORT])");
        }
        String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        return Optional.of(InetSocketAddress.createUnresolved(host, u.getPort() < 0 ? DEFAULT_PORT : u.getPort()));
    }

    private static SourceException usage(String name, String value, String reason) {
        return new SourceException(SourceException.Kind.USAGE, name + "=" + value, reason);
    }

    /** The proxy {@code target} goes through, or empty for a direct connection. */
    public Optional<InetSocketAddress> proxyFor(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        Optional<InetSocketAddress> p = switch (scheme) {
            case "http" -> http;
            case "https" -> https;
            default -> Optional.empty();
        };
        if (p.isEmpty() || target.getHost() == null || bypassed(target.getHost())) {
            return Optional.empty();
        }
        return p;
    }

    /** Whether {@code no_proxy} names {@code host} (curl's matching, see the class comment). */
    boolean bypassed(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        byte[] ip = IpLiteral.parse(h);
        for (String t : noProxy) {
            if (t.equals("*")) {
                return true;
            }
            if (ip != null) {
                if (IpLiteral.inRange(ip, t)) {
                    return true;
                }
            } else if (h.equals(t) || h.endsWith("." + t)) {
                return true;
            }
        }
        return false;
    }

    /** For {@link java.net.http.HttpClient}: the proxy per request URI. */
    ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                Optional<InetSocketAddress> p = proxyFor(uri);
                return List.of(p.isPresent() ? new Proxy(Proxy.Type.HTTP, p.get()) : Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // the fetcher reports the failure; there is no other proxy to try
            }
        };
    }

    @Override
    public String toString() {
        return "Proxies[http=" + http.map(Objects::toString).orElse("-") + ", https="
                + https.map(Objects::toString).orElse("-") + ", no_proxy=" + noProxy + "]";
    }

    /** IP address literals and CIDR ranges, parsed without any name lookup. */
    static final class IpLiteral {
        private IpLiteral() {
        }

        /** The address bytes of an IPv4 or IPv6 literal, or null for a host name. */
        static byte[] parse(String s) {
            if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                byte[] b = new byte[4];
                String[] parts = s.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[i]);
                    if (v > 255) {
                        return null;
                    }
                    b[i] = (byte) v;
                }
                return b;
            }
            if (s.indexOf(':') >= 0 && s.matches("[0-9a-fA-F:.]+")) {
                try {
                    // A literal with ':' is never looked up by name.
                    return java.net.InetAddress.getByName(s).getAddress();
                } catch (java.net.UnknownHostException e) {
                    return null;
                }
            }
            return null;
        }

        /** Whether {@code ip} is the address {@code token} or in its CIDR range. */
        static boolean inRange(byte[] ip, String token) {
            int slash = token.indexOf('/');
            byte[] net = parse(slash < 0 ? token : token.substring(0, slash));
            if (net == null || net.length != ip.length) {
                return false;
            }
            int bits = net.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(token.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return false;
                }
                if (bits < 0 || bits > net.length * 8) {
                    return false;
                }
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((ip[i / 8] & mask) != (net[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
