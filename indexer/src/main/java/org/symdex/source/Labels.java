package org.symdex.source;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The labels a package carries: which source lists it, as the index stores and the queries
 * filter it (issue item 3). Debian: {@code ORIGIN/SUITE/COMPONENT/ARCH}; rpm-md: {@code ID/BASEARCH}
 * or {@code ID}. Each segment is percent-encoded so that '/' and ',' separate and glob characters
 * in a {@code --label} filter stay literal.
 */
public final class Labels {
    /** The component segment of a flat repository's label (it has none). */
    public static final String FLAT_COMPONENT = "-";
    /** The origin of a {@code file:} source whose Release gives none. */
    public static final String LOCAL_ORIGIN = "local";

    private Labels() {
    }

    /** {@code ORIGIN/SUITE/COMPONENT/ARCH}, each segment {@linkplain #encode encoded}. */
    public static String debian(String origin, String suite, String component, String arch) {
        return encode(origin) + "/" + encode(suite) + "/" + encode(component) + "/" + encode(arch);
    }

    /** {@code ID/BASEARCH}, or {@code ID} without a basearch. */
    public static String rpm(String id, Optional<String> basearch) {
        return encode(id) + basearch.map(a -> "/" + encode(a)).orElse("");
    }

    /**
     * The SUITE segment: Release's Codename ({@code bookworm}, {@code bookworm-updates}, whose
     * Suite is the moving {@code stable-updates}), unless Suite starts with Codename + "-"
     * (Ubuntu's pockets: Suite {@code noble-updates}, Codename {@code noble}), then Suite. With
     * neither field, the suite of the source line (a flat repository's path without its
     * trailing '/').
     */
    public static String debianSuite(Optional<String> suite, Optional<String> codename, String lineSuite) {
        if (codename.isPresent() && !codename.get().isEmpty()) {
            String c = codename.get();
            if (suite.isPresent() && suite.get().startsWith(c + "-")) {
                return suite.get();
            }
            return c;
        }
        if (suite.isPresent() && !suite.get().isEmpty()) {
            return suite.get();
        }
        String s = lineSuite;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Release's Origin, else the URI's host, else {@value #LOCAL_ORIGIN} (a {@code file:} URI has none). */
    public static String debianOrigin(Optional<String> origin, URI uri) {
        if (origin.isPresent() && !origin.get().isEmpty()) {
            return origin.get();
        }
        String host = uri.getHost();
        return host == null || host.isEmpty() ? LOCAL_ORIGIN : host;
    }

    /**
     * Percent-encodes '%', '/', ',', space, the glob characters {@code *?[]{}\} and every UTF-8 byte
     * outside 0x21-0x7e, as {@code %XX} with upper-case hex.
     */
    public static String encode(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c < 0x21 || c > 0x7e || "%/, *?[]{}\\".indexOf(c) >= 0) {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
