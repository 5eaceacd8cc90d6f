package org.symdex.cli.serve;

import java.io.Writer;

/**
 * Where a command run for a request writes its answer (issue 18, item 4): in memory, as the API sends it
 * whole or sliced, but at most {@link #limit} chars, so that one question ({@code whatrequires '*'} on a
 * section is over 100 MB of JSON) cannot take a 512 MB heap from the others; and it stops the command at
 * its next write once the request's worker is interrupted (the answer's 10 s are over, a 503 was sent),
 * which a Lucene search alone would not notice. Either way it throws {@link Stopped}, which ends the
 * command as an internal error whose output is thrown away.
 */
final class AnswerWriter extends Writer {
    /** Thrown from a write: the answer is over the limit, or nobody waits for it any more. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String message) {
            super(message, null, false, false);
        }
    }

    private final StringBuilder sb = new StringBuilder(4096);
    private final int limit;
    private boolean overflowed;

    AnswerWriter(int limit) {
        this.limit = limit;
    }

    /** Whether a write went past the limit (the answer is incomplete). */
    boolean overflowed() {
        return overflowed;
    }

    private void room(int len) {
        if (Thread.currentThread().isInterrupted()) {
            throw new Stopped("the request timed out");
        }
        if (len > limit - sb.length()) {
            overflowed = true;
            throw new Stopped("the answer is over " + limit + " bytes");
        }
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
        room(len);
        sb.append(cbuf, off, len);
    }

    @Override
    public void write(String str, int off, int len) {
        room(len);
        sb.append(str, off, off + len);
    }

    @Override
    public void write(int c) {
        room(1);
        sb.append((char) c);
    }

    @Override
    public void flush() {
        // in memory: nothing to flush
    }

    @Override
    public void close() {
        // in memory: nothing to release
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
