package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Streams the stanzas of a Debian control-format index (Packages, Release), keeping only the
 * fields asked for: the rest (Description, Depends, ...) is scanned and dropped without becoming
 * strings, which is what lets bookworm's 63,440-stanza Packages parse in a bounded heap.
 *
 * <p>Syntax as dpkg and apt read it (deb822(5)): "Name: value" starts a field (names
 * case-insensitive), a line starting with space or tab continues it, an empty line ends a stanza
 * (a lone '\r' counts as empty: CRLF files). A field longer than {@code maxField} bytes, name and
 * continuation lines included, is refused (issue item 2: "a field over 1 MiB"), as are a line
 * without ':', a continuation before any field, and a field given twice (dpkg refuses duplicates;
 * apt would take the last, and hostile metadata should not get to choose which one we trust).
 */
final class ControlReader {
    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final String where;
    private final int maxField;
    private final byte[][] names;
    private final String[] values;
    private final StringBuilder[] longValues;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    private byte[] line = new byte[256];
    private long lineNumber;
    private long stanzaLine;

    /** Fields kept, by index in {@code fields}; -1: a dropped field is being continued. */
    private int current = -2;
    private long currentBytes;

    /**
     * @param fields the field names to keep; {@link #next} returns their values in this order
     */
    ControlReader(InputStream in, String where, int maxField, List<String> fields) {
        this.in = in;
        this.where = where;
        this.maxField = maxField;
        this.names = new byte[fields.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = fields.get(i).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        this.values = new String[names.length];
        this.longValues = new StringBuilder[names.length];
    }

    /** The line on which the last stanza returned by {@link #next} started. */
    long stanzaLine() {
        return stanzaLine;
    }

    /**
     * The next stanza's kept values, in the order of the constructor's list; null for an absent
     * field. Null at the end of the input. The array is reused by the next call.
     */
    String[] next() throws IOException, SourceException {
        Arrays.fill(values, null);
        Arrays.fill(longValues, null);
        current = -2;
        boolean any = false;
        int len;
        while ((len = readLine()) >= 0) {
            if (len == 0) {
                if (any) {
                    break;
                }
                continue;
            }
            if (!any) {
                stanzaLine = lineNumber;
                any = true;
            }
            byte first = line[0];
            if (first == ' ' || first == '\t') {
                if (current == -2) {
                    throw fail("line " + lineNumber + ": continuation line before any field");
                }
                currentBytes += len + 1;
                checkField();
                if (current >= 0) {
                    if (longValues[current] == null) {
                        longValues[current] = new StringBuilder(values[current]);
                    }
                    longValues[current].append('\n').append(new String(line, 0, len, StandardCharsets.UTF_8));
                }
                continue;
            }
            finishField();
            int colon = indexOf(line, len, (byte) ':');
            if (colon <= 0) {
                throw fail("line " + lineNumber + ": not a 'Field: value' line");
            }
            currentBytes = len;
            checkField();
            current = match(colon);
            if (current >= 0) {
                if (values[current] != null || longValues[current] != null) {
                    throw fail("line " + lineNumber + ": field " + new String(names[current], StandardCharsets.US_ASCII)
                            + " given twice in one stanza");
                }
                int s = colon + 1;
                int e = len;
                while (s < e && (line[s] == ' ' || line[s] == '\t')) {
                    s++;
                }
                while (e > s && (line[e - 1] == ' ' || line[e - 1] == '\t')) {
                    e--;
                }
                values[current] = new String(line, s, e - s, StandardCharsets.UTF_8);
            } else {
                current = -1;
            }
        }
        if (!any) {
            return null;
        }
        finishField();
        return values;
    }

    private void finishField() {
        if (current >= 0 && longValues[current] != null) {
            values[current] = longValues[current].toString();
            longValues[current] = null;
        }
    }

    private void checkField() throws SourceException {
        if (currentBytes > maxField) {
            throw fail("line " + lineNumber + ": a field over " + (maxField >> 20) + " MiB");
        }
    }

    /** Index of the kept field named by line[0..colon) (case-insensitive, trailing blanks ignored), or -1. */
    private int match(int colon) {
        int end = colon;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
            end--;
        }
        outer:
        for (int i = 0; i < names.length; i++) {
            byte[] n = names[i];
            if (n.length != end) {
                continue;
            }
            for (int k = 0; k < end; k++) {
                int c = line[k];
                if (c >= 'A' && c <= 'Z') {
                    c += 'a' - 'A';
                }
                if (c != n[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * Copies the next line (without '\n' and a trailing '\r') into {@link #line}; its length, or
     * -1 at the end. A line longer than a field may be is refused before it is copied whole.
     */
    private int readLine() throws IOException, SourceException {
        int len = 0;
        boolean partial = false;
        while (true) {
            if (pos == lim) {
                if (eof || !fill()) {
                    if (!partial) {
                        return -1;
                    }
                    break;
                }
            }
            int i = pos;
            while (i < lim && buf[i] != '\n') {
                i++;
            }
            int chunk = i - pos;
            if ((long) len + chunk > maxField + 256L) {
                lineNumber++;
                throw fail("line " + lineNumber + ": a field over " + (maxField >> 20) + " MiB");
            }
            if (len + chunk > line.length) {
                line = Arrays.copyOf(line, Math.max(len + chunk, Math.min(2 * line.length, maxField + 256)));
            }
            System.arraycopy(buf, pos, line, len, chunk);
            len += chunk;
            partial = true;
            pos = i;
            if (i < lim) {
                pos++;
                break;
            }
        }
        lineNumber++;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        return len;
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = n < 0;
            if (n == 0) {
                // InputStream contract: 0 only for a 0-byte request; treat a broken stream as the end.
                eof = true;
            }
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    private static int indexOf(byte[] b, int len, byte x) {
        for (int i = 0; i < len; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private SourceException fail(String reason) {
        return new SourceException(SourceException.Kind.SOURCE, where, reason);
    }
}
