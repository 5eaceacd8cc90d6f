package org.symdex.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stanza of a deb822 {@code .sources} file, read as apt's {@code pkgTagFile} with
 * {@code SUPPORT_COMMENTS} reads it (apt-pkg/tagfile.cc, apt 2.6):
 * <ul>
 * <li>a line whose first character is '#' is removed before anything else, so a comment between
 *     two fields, or between the lines of one value, does not end the stanza
 *     ({@code RemoveCommentsFromBuffer}); a '#' anywhere else is data;</li>
 * <li>an empty line (only '\r' allowed on it) ends a stanza; a line of spaces does not: it starts
 *     with white space, so it continues the previous value ({@code pkgTagSection::Scan});</li>
 * <li>field names are case-insensitive and the last of two equal names wins (the tag hash
 *     buckets keep the newest first);</li>
 * <li>a value runs from the first non-blank after ':' to the end of its last continuation line,
 *     trailing white space dropped ({@code FindS}).</li>
 * </ul>
 * Small files only (a sources file): the streaming reader for Packages is {@link ControlReader}.
 */
final class Deb822Stanza {
    private final int line;
    private final Map<String, String> fields;

    private Deb822Stanza(int line, Map<String, String> fields) {
        this.line = line;
        this.fields = fields;
    }

    /** The line (1-based) the stanza starts on, for messages. */
    int line() {
        return line;
    }

    boolean has(String name) {
        return fields.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** The raw value, or null. */
    String value(String name) {
        return fields.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * sourcelist.cc {@code FindMultiValue}: every white-space character becomes a space, then the
     * value splits at spaces, empty words dropped.
     */
    List<String> multi(String name) {
        String v = value(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        StringBuilder w = new StringBuilder();
        for (int i = 0; i <= v.length(); i++) {
            char c = i < v.length() ? v.charAt(i) : ' ';
            if (AptSourcesParser.isSpace(c)) {
                if (w.length() > 0) {
                    out.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        return out;
    }

    static List<Deb822Stanza> parseSourcesFile(String name, String text) throws SourceException {
        List<Deb822Stanza> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        Map<String, String> fields = null;
        int start = 0;
        String key = null;
        StringBuilder value = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("#")) {
                continue;
            }
            if (AptSourcesParser.trim(l, "\r").isEmpty()) {
                if (key != null) {
                    fields.put(key, rtrim(value));
                }
                if (fields != null && !fields.isEmpty()) {
                    out.add(new Deb822Stanza(start, fields));
                }
                fields = null;
                key = null;
                continue;
            }
            if (fields == null) {
                fields = new TreeMap<>();
                start = i + 1;
            }
            if (AptSourcesParser.isSpace(l.charAt(0))) {
                // A continuation; one before any field is skipped, as apt's scanner does.
                if (key != null) {
                    value.append('\n').append(l);
                }
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new SourceException(SourceException.Kind.USAGE, name + ":" + (i + 1),
                        "malformed line (no 'Field:'): '" + l + "'");
            }
            if (key != null) {
                fields.put(key, rtrim(value));
            }
            key = AptSourcesParser.trim(l.substring(0, colon), " \t\r\u000b\f").toLowerCase(Locale.ROOT);
            value = new StringBuilder(AptSourcesParser.trim(l.substring(colon + 1), " \t\r\u000b\f"));
        }
        if (key != null) {
            fields.put(key, rtrim(value));
        }
        if (fields != null && !fields.isEmpty()) {
            out.add(new Deb822Stanza(start, fields));
        }
        return out;
    }

    private static String rtrim(StringBuilder b) {
        int e = b.length();
        while (e > 0 && AptSourcesParser.isSpace(b.charAt(e - 1))) {
            e--;
        }
        return b.substring(0, e);
    }
}
