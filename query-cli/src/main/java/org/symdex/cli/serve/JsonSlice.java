package org.symdex.cli.serve;

/**
 * Pages the {@code results} of a symdex/1 document by splicing its text: the elements of the top-level
 * {@code results} array are found by a scanner that tracks strings and nesting, and the chosen ones are
 * copied byte for byte. Nothing is re-serialised, so a sliced element is exactly what the CLI wrote.
 */
final class JsonSlice {
    private JsonSlice() {
    }

    /** The number of elements of the top-level {@code results} array (0 when there is none). */
    static int count(String json) {
        int[] r = results(json);
        return r == null ? 0 : elements(json, r[0], r[1]).length / 2;
    }

    /** {@code results} cut to {@code [offset, offset + limit)}, and {@code "page":{offset,limit,total}} added last. */
    static String slice(String json, int offset, int limit, int total) {
        int[] r = results(json);
        if (r == null) {
            return json;
        }
        int[] el = elements(json, r[0], r[1]);
        StringBuilder sb = new StringBuilder(json.length() / 2 + 64);
        sb.append(json, 0, r[0] + 1);
        int n = el.length / 2;
        for (int i = offset; i < Math.min(n, (long) offset + limit); i++) {
            if (i > offset) {
                sb.append(',');
            }
            sb.append(json, el[2 * i], el[2 * i + 1]);
        }
        sb.append(']');
        int end = json.lastIndexOf('}');
        sb.append(json, r[1] + 1, end);
        sb.append(",\"page\":{\"offset\":").append(offset).append(",\"limit\":").append(limit)
                .append(",\"total\":").append(total).append("}}");
        sb.append(json, end + 1, json.length());
        return sb.toString();
    }

    /** The offsets of the '[' and ']' of the top-level "results" value, or null. */
    private static int[] results(String s) {
        int depth = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '"') {
                int end = stringEnd(s, i);
                if (depth == 1 && s.startsWith("\"results\"", i) && end == i + 9) {
                    int j = end;
                    while (j < n && (s.charAt(j) == ':' || Character.isWhitespace(s.charAt(j)))) {
                        j++;
                    }
                    if (j < n && s.charAt(j) == '[') {
                        return new int[] {j, valueEnd(s, j) - 1};
                    }
                }
                i = end;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            }
            i++;
        }
        return null;
    }

    /** Start and end offsets of each element of the array whose '[' is at {@code open} and ']' at {@code close}. */
    private static int[] elements(String s, int open, int close) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        int i = open + 1;
        while (i < close) {
            char c = s.charAt(i);
            if (c == ',' || Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int end = valueEnd(s, i);
            out.add(i);
            out.add(end);
            i = end;
        }
        int[] a = new int[out.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = out.get(k);
        }
        return a;
    }

    /** The offset just past the JSON value starting at {@code i}. */
    private static int valueEnd(String s, int i) {
        char c = s.charAt(i);
        if (c == '"') {
            return stringEnd(s, i);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            while (i < s.length()) {
                char d = s.charAt(i);
                if (d == '"') {
                    i = stringEnd(s, i);
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            return i;
        }
        while (i < s.length() && ",]} \n\t\r".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    /** The offset just past the string whose opening quote is at {@code i}. */
    private static int stringEnd(String s, int i) {
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
        return s.length();
    }

    /** A JSON string as symdex writes them: ASCII, every other char as a \\u00XX escape. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
