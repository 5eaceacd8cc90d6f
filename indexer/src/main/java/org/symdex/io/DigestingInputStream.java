package org.symdex.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes every byte read from the underlying stream through a {@link MessageDigest}, skipped bytes
 * included: {@link #skip} reads (and digests) what it skips, so the digest is of the whole stream no
 * matter how the readers above it move. Used at the bottom of a package read, on the file itself,
 * so the package's sha256 costs no second read of the file (issue 4).
 *
 * <p>Not thread-safe; a reader that hands the stream to another thread (the xz feeding thread of
 * ProcessDecoder) must join that thread before reading again, which it does.
 */
public final class DigestingInputStream extends FilterInputStream {
    private static final int SKIP_CHUNK = 64 * 1024;
    private final MessageDigest digest;
    private byte[] skipBuffer;

    public DigestingInputStream(InputStream in, MessageDigest digest) {
        super(in);
        this.digest = digest;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            digest.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            digest.update(b, off, n);
        }
        return n;
    }

    /** Reads what it skips, so skipped bytes are digested too. */
    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (skipBuffer == null) {
            skipBuffer = new byte[SKIP_CHUNK];
        }
        long left = n;
        while (left > 0) {
            int k = read(skipBuffer, 0, (int) Math.min(skipBuffer.length, left));
            if (k < 0) {
                break;
            }
            left -= k;
        }
        return n - left;
    }

    /** Reads the rest of the stream into the digest. */
    public void drain() throws IOException {
        while (skip(Long.MAX_VALUE) > 0) {
            // skip reads until end of stream
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: a reset would digest bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
