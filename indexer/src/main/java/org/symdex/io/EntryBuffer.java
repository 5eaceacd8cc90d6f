package org.symdex.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One job's reusable buffer for whole archive entries (issue 3, item 4). An entry is loaded into a
 * heap array that is kept for the next entry; the array's bytes are accounted against the shared
 * {@link ByteBudget}. When the budget cannot cover an entry, the entry is spooled to a temporary
 * file and memory-mapped instead, so no job count and no entry size can exhaust the heap.
 * Entries above {@link Limits#maxEntryBytes()} raise {@link EntryTooLargeException}.
 *
 * <p>Not thread-safe: one instance per job. The buffer returned by {@link #load} is valid until
 * the next call of {@link #load} or {@link #release}.
 */
public final class EntryBuffer implements AutoCloseable {
    /** An array above this is given back to the budget after use rather than kept for reuse. */
    static final int RETAIN_BYTES = 64 << 20;
    /**
     * The array grows as bytes arrive: first to this much (or the entry's size if smaller), then
     * fourfold. A lying size then costs at most this much, while a 100 MB library is copied
     * 40 MB rather than 127 MB on its way up (fresh arrays are also zeroed and page-faulted in).
     */
    private static final int FIRST_CHUNK = 8 << 20;

    private final ByteBudget budget;
    private final Limits limits;
    private final Path spoolDir;
    private byte[] array = new byte[0];
    /** Bytes taken from the budget; always >= array.length. */
    private long reserved;

    public EntryBuffer(ByteBudget budget, Limits limits, Path spoolDir) {
        this.budget = budget;
        this.limits = limits;
        this.spoolDir = spoolDir;
    }

    /**
     * Loads one entry of {@code size} bytes: the first {@code headLength} bytes are in
     * {@code head}, the rest is read from {@code rest}. The result has position 0 and limit size.
     */
    public ByteBuffer load(byte[] head, int headLength, InputStream rest, long size) throws IOException {
        if (size < headLength || headLength < 0) {
            throw new IllegalArgumentException("head " + headLength + " larger than entry " + size);
        }
        if (size > limits.maxEntryBytes()) {
            throw new EntryTooLargeException(size + " bytes is over the entry cap of "
                    + limits.maxEntryBytes() + " bytes; skipped");
        }
        if (size > Limits.MAX_BUFFER_BYTES) {
            throw new EntryTooLargeException(size + " bytes is over the 2 GiB a single buffer can address; skipped");
        }
        int n = (int) size;
        if (n > reserved && !budget.tryReserve(n - reserved)) {
            return spool(head, headLength, rest, n);
        }
        reserved = Math.max(reserved, n);
        if (array.length < headLength) {
            array = Arrays.copyOf(array, Math.max(headLength, Math.min(n, FIRST_CHUNK)));
        }
        System.arraycopy(head, 0, array, 0, headLength);
        int done = headLength;
        // Grow only as bytes arrive: a lying size then costs accounting, not memory.
        while (done < n) {
            if (done == array.length) {
                array = Arrays.copyOf(array, (int) Math.min(n, Math.max(FIRST_CHUNK, 4L * array.length)));
            }
            int k = rest.read(array, done, Math.min(array.length, n) - done);
            if (k < 0) {
                throw new java.io.EOFException("entry ends after " + done + " of " + n + " bytes");
            }
            done += k;
        }
        return ByteBuffer.wrap(array, 0, n).slice();
    }

    private ByteBuffer spool(byte[] head, int headLength, InputStream rest, int n) throws IOException {
        Path tmp = Files.createTempFile(spoolDir, "symdex-entry-", ".bin");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(head, 0, headLength);
                byte[] chunk = new byte[64 * 1024];
                long left = (long) n - headLength;
                while (left > 0) {
                    int k = rest.read(chunk, 0, (int) Math.min(chunk.length, left));
                    if (k < 0) {
                        throw new java.io.EOFException("entry ends " + left + " bytes early");
                    }
                    out.write(chunk, 0, k);
                    left -= k;
                }
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
                // The mapping outlives the channel and, on Linux, the deleted file.
                return ch.map(FileChannel.MapMode.READ_ONLY, 0, n);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Call after each entry: a big array goes back to the budget instead of being kept. */
    public void release() {
        if (array.length > RETAIN_BYTES || reserved > RETAIN_BYTES) {
            array = new byte[0];
            budget.release(reserved);
            reserved = 0;
        }
    }

    @Override
    public void close() {
        array = new byte[0];
        budget.release(reserved);
        reserved = 0;
    }
}
