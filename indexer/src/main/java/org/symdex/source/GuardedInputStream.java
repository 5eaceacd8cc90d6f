package org.symdex.source;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Limits on a decompressed index stream, so that hostile metadata fails as its source's failure
 * instead of costing memory or time (issue item 2):
 * <ul>
 * <li>never more bytes than declared (Release's size of the plain Packages, repomd's open-size),
 *     and with {@code exact}, not fewer either; without a declared size, a default cap;</li>
 * <li>optionally, no run of more than {@code maxRun} bytes without a '<': an XML text or tag
 *     longer than a field may be, which a StAX parser would otherwise buffer whole.</li>
 * </ul>
 * A violation is an {@link IOException} whose cause is the {@link SourceException}.
 */
final class GuardedInputStream extends FilterInputStream {
    private final String where;
    private final long max;
    private final boolean exact;
    private final long maxRun;
    private long count;
    private long run;

    GuardedInputStream(InputStream in, String where, long max, boolean exact, long maxRun) {
        super(in);
        this.where = where;
        this.max = max;
        this.exact = exact;
        this.maxRun = maxRun;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            if (exact && count != max) {
                throw fail("decompresses to " + count + " bytes, " + max + " declared");
            }
            return n;
        }
        count += n;
        if (count > max) {
            throw fail("decompresses past the declared size (" + max + " bytes)");
        }
        if (maxRun > 0) {
            for (int i = off; i < off + n; i++) {
                if (b[i] == '<') {
                    run = 0;
                } else if (++run > maxRun) {
                    throw fail("a field over " + (maxRun >> 20) + " MiB");
                }
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(n, 1))];
        long done = 0;
        while (done < n) {
            int k = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (k < 0) {
                break;
            }
            done += k;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private IOException fail(String reason) {
        SourceException e = new SourceException(SourceException.Kind.SOURCE, where, reason);
        return new IOException(e.getMessage(), e);
    }
}
