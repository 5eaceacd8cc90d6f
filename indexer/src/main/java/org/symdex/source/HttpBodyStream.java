package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of one HTTP download, read by one thread. Two rules live here:
 * <ul>
 * <li><b>Stall.</b> The time this stream's reader spends waiting for data is counted in windows of
 *     {@link HttpSettings#stallWindow}; a window that brought fewer than
 *     {@link HttpSettings#minBytesPerSecond} per second aborts the transfer. Time the reader spends
 *     elsewhere (decompressing, indexing) is not the server's fault and is not counted. A stall is
 *     a timeout: it is retried like one.</li>
 * <li><b>Resume.</b> A transfer that breaks off (reset, stall, the server closing early) is asked
 *     for again from the first byte the reader has not had, with {@code Range} (and
 *     {@code If-Range} when the first response gave a validator), after the next backoff; the
 *     answer must be 206 for exactly that offset and the same total length, else the download
 *     fails. Without a Content-Length there is no length to check, and nothing is resumed.</li>
 * </ul>
 * The reader's own checks (size, checksum: {@link VerifyingInputStream}) sit above this stream.
 */
final class HttpBodyStream extends InputStream {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+)");

    private final HttpFetcher fetcher;
    private final URI uri;
    private final HttpFetcher.Retries retries;
    private final long total;
    private final String validator;
    private final long windowNanos;
    private final long minWindowBytes;
    private HttpFetcher.Response response;
    private Iterator<ByteBuffer> buffers;
    private ByteBuffer current;
    private long delivered;
    private long waitedNanos;
    private long windowBytes;
    private boolean eof;
    private boolean closed;

    HttpBodyStream(HttpFetcher fetcher, URI uri, HttpFetcher.Response first, HttpFetcher.Retries retries) {
        this.fetcher = fetcher;
        this.uri = uri;
        this.response = first;
        this.retries = retries;
        this.total = first.length();
        this.validator = first.validator();
        HttpSettings s = fetcher.settings();
        this.windowNanos = s.stallWindow().toNanos();
        long windowMillis = Math.max(1, s.stallWindow().toMillis());
        this.minWindowBytes = Math.max(1, s.minBytesPerSecond() * windowMillis / 1000);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (eof) {
                return -1;
            }
            if (current != null && current.hasRemaining()) {
                int n = Math.min(len, current.remaining());
                current.get(b, off, n);
                delivered += n;
                fetcher.listener().received(n);
                return n;
            }
            if (buffers != null && buffers.hasNext()) {
                current = buffers.next();
                continue;
            }
            next();
        }
    }

    /** Waits for the next buffers, the end, or a failure (then resumes or throws). */
    private void next() throws IOException {
        Object item;
        long start = System.nanoTime();
        try {
            item = response.body().poll(windowNanos - waitedNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        waitedNanos += System.nanoTime() - start;
        if (item instanceof List<?> list) {
            @SuppressWarnings("unchecked")
            List<ByteBuffer> bufs = (List<ByteBuffer>) list;
            for (ByteBuffer bb : bufs) {
                windowBytes += bb.remaining();
            }
            buffers = bufs.iterator();
        } else if (item == BodyQueue.END) {
            response.release();
            eof = true;
            return;
        } else if (item instanceof Throwable t) {
            resume(HttpFetcher.classify(t instanceof IOException io ? io : new IOException(t), uri));
            return;
        }
        if (waitedNanos >= windowNanos) {
            if (windowBytes < minWindowBytes) {
                resume(new HttpFetcher.RetryableException("transfer below " + fetcher.settings().minBytesPerSecond()
                        + " B/s for " + describe(fetcher.settings().stallWindow()), null));
                return;
            }
            waitedNanos = 0;
            windowBytes = 0;
        }
    }

    /** After a failure at {@link #delivered}: the same bytes on from there, or the failure. */
    private void resume(IOException failure) throws IOException {
        response.release();
        buffers = null;
        current = null;
        waitedNanos = 0;
        windowBytes = 0;
        String at = " after " + delivered + " of " + (total >= 0 ? total + " bytes" : "? bytes");
        if (!(failure instanceof HttpFetcher.RetryableException) || total < 0) {
            throw new IOException(failure.getMessage() + at, failure.getCause());
        }
        if (!retries.backoff()) {
            throw new IOException(failure.getMessage() + at + " (" + retries.tries() + " tries)", failure.getCause());
        }
        HttpFetcher.Response r = fetcher.request(uri, delivered, validator, retries);
        if (r == null || r.status() != 206) {
            if (r != null) {
                r.release();
            }
            throw new IOException(failure.getMessage() + at + "; not resumed (the server answered "
                    + (r == null ? "404" : r.status()) + " to a Range request)");
        }
        Matcher m = CONTENT_RANGE.matcher(r.contentRange());
        if (!m.matches() || Long.parseLong(m.group(1)) != delivered || Long.parseLong(m.group(3)) != total) {
            r.release();
            throw new IOException(failure.getMessage() + at + "; not resumed (Content-Range '" + r.contentRange()
                    + "' is not bytes " + delivered + "-" + (total - 1) + "/" + total + ")");
        }
        response = r;
    }

    private static String describe(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    /** Bytes handed to the reader. */
    long delivered() {
        return delivered;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            response.release();
        }
    }
}
