package org.symdex.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A BufferedInputStream whose skip() refills its own buffer instead of calling skip() on the
 * stream below. Decoders skip badly: InflaterInputStream inflates 512 bytes per call, the default
 * InputStream.skip allocates a fresh scratch array; archives skip most of their bytes.
 */
public final class SkippingBufferedInputStream extends BufferedInputStream {
    public SkippingBufferedInputStream(InputStream in, int size) {
        super(in, size);
    }

    @Override
    public synchronized long skip(long n) throws IOException {
        if (markpos >= 0) {
            return super.skip(n);
        }
        long done = 0;
        while (done < n) {
            int avail = count - pos;
            if (avail <= 0) {
                pos = 0;
                count = 0;
                int r = in.read(buf, 0, buf.length);
                if (r <= 0) {
                    break;
                }
                count = r;
                avail = r;
            }
            int k = (int) Math.min(avail, n - done);
            pos += k;
            done += k;
        }
        return done;
    }
}
