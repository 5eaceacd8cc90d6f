package org.symdex.io;

/**
 * Caps applied to sizes read from untrusted files. A size above a cap is an error (or a skipped
 * entry), never an allocation.
 *
 * @param maxEntryBytes largest archive entry we analyse (hard cap; larger ones are reported and
 *     skipped). A {@link java.nio.ByteBuffer} is int-indexed, so entries above
 *     {@link #MAX_BUFFER_BYTES} are skipped too, whatever this is set to.
 * @param bufferBudgetBytes bytes that all jobs together may hold in heap entry buffers; an entry
 *     the budget cannot cover is spooled to a temporary file and memory-mapped instead.
 */
public record Limits(long maxEntryBytes, long bufferBudgetBytes) {

    /** 4 GiB: the default hard cap for one analysed entry (issue 3, item 4). */
    public static final long DEFAULT_MAX_ENTRY_BYTES = 4L << 30;

    /** The most one ByteBuffer can address. */
    public static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE - 8;

    /**
     * rpm's own header limits (lib/header.c hdrchkTags/hdrchkData): at most 0xffff index entries
     * and 256 MiB of data store. We read the store incrementally, so a lying size costs nothing.
     */
    public static final int RPM_MAX_HEADER_TAGS = 0xffff;
    public static final int RPM_MAX_HEADER_DATA = 0x0fffffff;

    /** Largest `control` file we parse; dpkg's are a few KiB, the biggest in Debian ~100 KiB. */
    public static final int MAX_CONTROL_BYTES = 4 << 20;

    /** Largest cpio name; PATH_MAX is 4096 and rpm refuses more. */
    public static final int MAX_CPIO_NAME = 4096 * 4;

    /**
     * Largest LZ dictionary an xz or lzma stream may declare: 64 MiB is what xz -9 and lzma -9 use, and
     * nothing real uses more (dpkg-deb and rpm default to 8 MiB, xz -6). The decoder allocates the whole
     * declared dictionary up front, so without a cap a 64-byte stream asks for 1.5 GiB (xz's LZMA2 maximum)
     * or, as .lzma, 4 GiB. A package whose stream declares more fails.
     */
    public static final long XZ_MAX_DICTIONARY_BYTES = 64L << 20;

    public Limits {
        if (maxEntryBytes <= 0) {
            throw new IllegalArgumentException("maxEntryBytes must be positive: " + maxEntryBytes);
        }
        if (bufferBudgetBytes < 0) {
            throw new IllegalArgumentException("bufferBudgetBytes must be >= 0: " + bufferBudgetBytes);
        }
    }

    /** 4 GiB entry cap, buffer budget a quarter of the maximum heap. */
    public static Limits defaults() {
        return new Limits(DEFAULT_MAX_ENTRY_BYTES, Runtime.getRuntime().maxMemory() / 4);
    }
}
