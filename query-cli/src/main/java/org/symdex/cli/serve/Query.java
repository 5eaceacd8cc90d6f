package org.symdex.cli.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request target, decoded: the path's segments and the query's parameters, each a symdex byte string
 * (every char U+0000..U+00FF one byte, as ByteStrings has them), so that {@code %E2%80%AE} is the three
 * bytes a package name holds, whatever they mean in UTF-8.
 */
record Query(String path, List<String> segments, Map<String, List<String>> params) {
    /** The longest value taken (q and every other parameter): 4 KiB, issue 18 item 4. */
    static final int MAX_VALUE = 4096;

    static Query parse(String target) {
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("the request target is a path");
        }
        int qm = target.indexOf('?');
        String rawPath = qm < 0 ? target : target.substring(0, qm);
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.substring(1).split("/", -1)) {
            segments.add(decode(s, false));
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (qm >= 0) {
            for (String pair : target.substring(qm + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
                if (value.length() > MAX_VALUE) {
                    throw new IllegalArgumentException("parameter '" + name + "' is over " + MAX_VALUE + " bytes");
                }
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new Query(decode(rawPath, false), List.copyOf(segments), params);
    }

    /** The one value of {@code name}, null when absent; given twice is an IllegalArgumentException. */
    String one(String name) {
        List<String> v = params.get(name);
        if (v == null) {
            return null;
        }
        if (v.size() > 1) {
            throw new IllegalArgumentException("parameter '" + name + "' is given " + v.size() + " times");
        }
        return v.get(0);
    }

    List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /** Percent-decoding to bytes (as chars); '+' is a space in the query. A bad escape is an error. */
    static String decode(String s, boolean plus) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("bad percent escape in the request target");
                }
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && plus) {
                sb.append(' ');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A byte string as one URL path segment or query value: every byte but the unreserved
     * {@code A-Z a-z 0-9 - . _ ~} (and ':', '@', '(', ')' and ',' for readability of capabilities) as %XX.
     * The result is ASCII, starts with no scheme and never holds a quote or a space.
     */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            int b = s.charAt(i) & 0xff;
            if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || "-._~:@(),".indexOf(b) >= 0) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
            }
        }
        return sb.toString();
    }
}
