package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * A small streaming JSON writer, enough for the symdex envelope (docs/json-schema.md). Strings are symdex
 * byte strings: each char U+0000..U+00FF stands for one byte of the ELF or archive name.
 */
final class Json {
    private final PrintWriter out;
    /** Per open container: whether it already holds an element. */
    private final Deque<boolean[]> stack = new ArrayDeque<>();
    private boolean afterName;

    Json(PrintWriter out) {
        this.out = out;
    }

    Json beginObject() {
        value();
        out.print('{');
        stack.push(new boolean[1]);
        return this;
    }

    Json endObject() {
        stack.pop();
        out.print('}');
        return this;
    }

    Json beginArray() {
        value();
        out.print('[');
        stack.push(new boolean[1]);
        return this;
    }

    Json endArray() {
        stack.pop();
        out.print(']');
        return this;
    }

    Json name(String name) {
        separator();
        string(name);
        out.print(':');
        afterName = true;
        return this;
    }

    Json value(String s) {
        value();
        if (s == null) {
            out.print("null");
        } else {
            string(s);
        }
        return this;
    }

    Json value(long n) {
        value();
        out.print(n);
        return this;
    }

    /** A finite number as Java prints it ({@code 1.25}); JSON has no NaN or infinity. */
    Json value(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not a JSON number: " + d);
        }
        value();
        out.print(d);
        return this;
    }

    Json field(String name, double value) {
        return name(name).value(value);
    }

    Json value(boolean b) {
        value();
        out.print(b);
        return this;
    }

    Json field(String name, String value) {
        return name(name).value(value);
    }

    Json field(String name, long value) {
        return name(name).value(value);
    }

    Json field(String name, boolean value) {
        return name(name).value(value);
    }

    Json field(String name, Collection<String> values) {
        name(name).beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    /**
     * A value written elsewhere by another Json (a worker thread renders one result while this writer
     * is busy with the one before): written as it is, with the separator it needs here.
     */
    Json raw(String renderedValue) {
        value();
        out.print(renderedValue);
        return this;
    }

    /** Ends the document with a newline. */
    void end() {
        out.println();
        out.flush();
    }

    private void value() {
        if (afterName) {
            afterName = false;
            return;
        }
        separator();
    }

    private void separator() {
        boolean[] top = stack.peek();
        if (top != null) {
            if (top[0]) {
                out.print(',');
            }
            top[0] = true;
        }
    }

    private void string(String s) {
        out.print('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.print("\\\"");
                case '\\' -> out.print("\\\\");
                case '\n' -> out.print("\\n");
                case '\r' -> out.print("\\r");
                case '\t' -> out.print("\\t");
                default -> {
                    // Escaping everything outside printable ASCII keeps the document ASCII, so it is the
                    // same bytes whatever the stream's encoding, and U+0080..U+00FF keep meaning "that byte".
                    if (c < 0x20 || c >= 0x7f) {
                        out.printf("\\u%04x", (int) c);
                    } else {
                        out.print(c);
                    }
                }
            }
        }
        out.print('"');
    }
}
