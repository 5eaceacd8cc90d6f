package org.symdex.pkg;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The data stream a {@link PackageVisitor} gets for one entry. Reading it can fail because the
 * package is bad (truncated, corrupt payload); such failures are re-thrown as {@link PayloadException}
 * so the reader reports them as a bad package rather than as the visitor's own I/O failure. It also
 * insists on exactly the entry's size: a stream that ends early is a truncated package.
 */
final class EntryData extends InputStream {
    private final InputStream in;
    private long remaining;

    EntryData(InputStream in, long size) {
        this.in = in;
        this.remaining = size;
    }

    /** A package-level failure met while a visitor was reading entry data. */
    static final class PayloadException extends IOException {
        private static final long serialVersionUID = 1L;

        PayloadException(IOException cause) {
            super(VisitorFailure.describe(cause), cause);
        }

        PayloadException(RuntimeException cause) {
            super(VisitorFailure.describe(cause), cause);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (remaining <= 0) {
            return -1;
        }
        int n;
        try {
            n = in.read(b, off, (int) Math.min(len, remaining));
        } catch (IOException e) {
            throw new PayloadException(e);
        } catch (RuntimeException e) {
            throw new PayloadException(e);
        }
        if (n < 0) {
            throw new PayloadException(new EOFException("entry data ends " + remaining + " bytes early"));
        }
        remaining -= n;
        return n;
    }

    @Override
    public void close() {
        // The reader owns the stream and skips what the visitor left.
    }
}
