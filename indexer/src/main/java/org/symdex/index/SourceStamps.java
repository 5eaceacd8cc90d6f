package org.symdex.index;

import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Schema#DATA_SOURCES} commit entry: for each source a run read, the checksum of the metadata
 * it indexed. One line per source, {@code KEY<TAB>STAMP}, sorted by key; a key or stamp never holds a tab
 * or a newline (they are escaped as \t, \n and \\).
 */
public final class SourceStamps {
    private SourceStamps() {
    }

    /** The entry as a map, empty for null or "". */
    public static Map<String, String> parse(String data) {
        Map<String, String> out = new TreeMap<>();
        if (data == null || data.isEmpty()) {
            return out;
        }
        for (String line : data.split("\n", -1)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                out.put(unescape(line.substring(0, tab)), unescape(line.substring(tab + 1)));
            }
        }
        return out;
    }

    /** The entry for {@code stamps}. */
    public static String format(Map<String, String> stamps) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(stamps).entrySet()) {
            if (b.length() > 0) {
                b.append('\n');
            }
            b.append(escape(e.getKey())).append('\t').append(escape(e.getValue()));
        }
        return b.toString();
    }

    /** How many sources the entry names. */
    public static long count(String data) {
        return parse(data).size();
    }


    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
