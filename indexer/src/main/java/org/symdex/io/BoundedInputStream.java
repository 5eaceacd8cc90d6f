package org.symdex.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Exposes exactly the next {@code length} bytes of a stream; close() does not close the
 * underlying stream. Used to hand one archive entry to a consumer, which cannot read past it.
 */
public final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    public BoundedInputStream(InputStream in, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        this.in = in;
        this.remaining = length;
    }

    public long remaining() {
        return remaining;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            throw new java.io.EOFException("stream ends " + remaining + " bytes early");
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new java.io.EOFException("stream ends " + remaining + " bytes early");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0 || remaining <= 0) {
            return 0;
        }
        long k = Streams.skip(in, Math.min(n, remaining));
        remaining -= k;
        return k;
    }

    /** Reads and drops whatever the consumer left unread. */
    public void drain() throws IOException {
        Streams.skipFully(in, remaining);
        remaining = 0;
    }

    @Override
    public void close() {
        // The owner drains and closes the underlying stream.
    }
}
