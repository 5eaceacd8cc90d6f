package org.symdex.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Exact reads and skips. A short stream is an {@link EOFException}, never silent truncation. */
public final class Streams {
    private static final int SKIP_CHUNK = 64 * 1024;
    private static final int GROW_CHUNK = 1 << 20;

    private Streams() {
    }

    /** Reads as many bytes as fit or the stream has; returns the count (less only at EOF). */
    public static int readUpTo(InputStream in, byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    public static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int n = readUpTo(in, b, off, len);
        if (n != len) {
            throw new EOFException("unexpected end of data after " + n + " of " + len + " bytes");
        }
    }

    public static byte[] readFully(InputStream in, int len) throws IOException {
        byte[] b = new byte[len];
        readFully(in, b, 0, len);
        return b;
    }

    /**
     * Reads exactly {@code len} bytes where len comes from the file itself: memory grows in 1 MiB
     * steps as the bytes really arrive, so a false size cannot allocate more than the stream holds
     * (the same idea as Go's internal/saferio).
     */
    public static byte[] readFullyUntrusted(InputStream in, int len) throws IOException {
        if (len <= GROW_CHUNK) {
            return readFully(in, len);
        }
        byte[] b = new byte[GROW_CHUNK];
        int done = 0;
        while (done < len) {
            if (done == b.length) {
                b = Arrays.copyOf(b, (int) Math.min(len, 2L * b.length));
            }
            int n = in.read(b, done, b.length - done);
            if (n < 0) {
                throw new EOFException("unexpected end of data after " + done + " of " + len + " bytes");
            }
            done += n;
        }
        return b;
    }

    /** Skips what it can; returns the count (less only at EOF). */
    public static long skip(InputStream in, long n) throws IOException {
        long done = 0;
        byte[] scratch = null;
        while (done < n) {
            long k = in.skip(n - done);
            if (k > 0) {
                done += k;
                continue;
            }
            // skip() may return 0 without EOF; read to tell the two apart.
            if (scratch == null) {
                scratch = new byte[(int) Math.min(SKIP_CHUNK, n - done)];
            }
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    public static void skipFully(InputStream in, long n) throws IOException {
        long k = skip(in, n);
        if (k != n) {
            throw new EOFException("unexpected end of data after " + k + " of " + n + " bytes");
        }
    }
}
