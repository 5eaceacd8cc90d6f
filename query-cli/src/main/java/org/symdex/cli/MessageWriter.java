package org.symdex.cli;

import java.io.Writer;
import java.io.PrintWriter;

/**
 * Standard error, one line per message, made safe to print on a terminal whatever the input held
 * (issue "One clear line", item 7). Names are bytes (a symbol, a soname, a payload format read from a
 * damaged header) and used to reach the terminal raw, so a hostile package could send it escape
 * sequences. Each line: control bytes 0x00-0x1f and 0x7f, and bytes 0x80-0xff that are not part of
 * valid UTF-8, are written {@code \xNN}; a quoted run of input ({@code '...'}) longer than 80 bytes is
 * cut there, with {@code ...}. Characters are bytes here (ISO-8859-1, as the stream writes them);
 * a character above 0xff is Unicode from a file name and is written as its UTF-8 bytes.
 */
final class MessageWriter extends PrintWriter {
    static final int MAX_QUOTED = 80;

    MessageWriter(Writer out) {
        super(out, true);
    }

    @Override
    public void println(String x) {
        super.println(safe(x));
    }

    @Override
    public void println(Object x) {
        println(String.valueOf(x));
    }

    static String safe(String line) {
        String s = cutQuoted(line == null ? "null" : line);
        StringBuilder sb = null;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int valid = c >= 0x80 && c <= 0xff ? utf8Run(s, i) : 0;
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0xff && valid == 0)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(String.format("\\x%02x", (int) c));
                i++;
            } else if (c > 0xff) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                int cp = s.codePointAt(i);
                for (byte b : new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    sb.append((char) (b & 0xff));
                }
                i += Character.charCount(cp);
            } else {
                int n = Math.max(valid, 1);
                if (sb != null) {
                    sb.append(s, i, i + n);
                }
                i += n;
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Length of the valid UTF-8 sequence of bytes (chars 0x80-0xff) starting at {@code i}, or 0. */
    private static int utf8Run(String s, int i) {
        int c = s.charAt(i);
        int len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (len == 0 || i + len > s.length()) {
            return 0;
        }
        for (int k = 1; k < len; k++) {
            int b = s.charAt(i + k);
            if (b < 0x80 || b > 0xbf) {
                return 0;
            }
        }
        int b1 = s.charAt(i + 1);
        if (c == 0xe0 && b1 < 0xa0 || c == 0xed && b1 > 0x9f || c == 0xf0 && b1 < 0x90 || c == 0xf4 && b1 > 0x8f) {
            return 0; // overlong, surrogate, or beyond U+10FFFF
        }
        return len;
    }

    /** {@code 'xxxx...'} longer than {@link #MAX_QUOTED}: the first 80 characters, then {@code ...'}. */
    static String cutQuoted(String s) {
        int open = s.indexOf('\'');
        if (open < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        int from = 0;
        while (open >= 0) {
            int close = s.indexOf('\'', open + 1);
            if (close < 0) {
                // An unterminated quote runs to the end of the line: cut it the same way.
                close = s.length();
            }
            sb.append(s, from, open + 1);
            if (close - open - 1 > MAX_QUOTED) {
                sb.append(s, open + 1, open + 1 + MAX_QUOTED).append("...");
            } else {
                sb.append(s, open + 1, close);
            }
            if (close < s.length()) {
                sb.append('\'');
            }
            from = Math.min(close + 1, s.length());
            open = from < s.length() ? s.indexOf('\'', from) : -1;
        }
        sb.append(s, from, s.length());
        return sb.toString();
    }
}
