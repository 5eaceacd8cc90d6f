package org.symdex.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Text output bound for a terminal (issue "One clear line", item 7): names are bytes, and a symbol,
 * soname or path may hold ESC or other control bytes that would drive the terminal. Each byte
 * 0x00-0x1f (but the newline that ends a line) and 0x7f is written {@code \xNN}. Only for text on a
 * terminal: tsv and json have escapes of their own and go to programs unchanged.
 */
final class TerminalText extends FilterWriter {
    private TerminalText(Writer out) {
        super(out);
    }

    /** {@code out} itself, or {@code out} behind the escaping filter when text goes to a terminal. */
    static PrintWriter wrap(PrintWriter out, OutputFormat format) {
        if (format != OutputFormat.text || !Symdex.stdoutIsTerminal()) {
            return out;
        }
        return new PrintWriter(new TerminalText(out), false);
    }

    @Override
    public void write(int c) throws IOException {
        if (c < 0x20 && c != '\n' || c == 0x7f) {
            out.write(String.format("\\x%02x", c));
        } else {
            out.write(c);
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(cbuf[i]);
        }
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(str.charAt(i));
        }
    }
}
