package org.symdex.pkg;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.symdex.io.NonClosingInputStream;
import org.symdex.io.SkippingBufferedInputStream;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2InputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/**
 * The compressions a .deb member or an rpm payload can use. Closed set, so an enum (style.md §6.3).
 * {@link #decode} never closes the stream it is given: the caller owns it.
 */
public enum Codec {
    NONE("none", ""),
    GZIP("gzip", ".gz"),
    XZ("xz", ".xz"),
    ZSTD("zstd", ".zst"),
    BZIP2("bzip2", ".bz2"),
    LZMA("lzma", ".lzma");

    private static final int BUFFER = 64 * 1024;

    /**
     * tukaani allocates the whole LZ dictionary named in the stream header (8 MiB for xz -6) for
     * every stream, control.tar.xz included, and Java zeroes it: on the libs sample that was 12 of the
     * 16 GB a run allocated, which made G1 grow the heap and cost CPU in zeroing and GC. The
     * thread-safe cache hands a closed stream's arrays to the next stream of the same dictionary
     * size, unzeroed (the decoder never reads a byte it has not written); soft references, so the
     * GC can still reclaim them.
     */
    private static final ArrayCache XZ_ARRAYS = BasicArrayCache.getInstance();

    private final String rpmName;
    private final String debSuffix;

    Codec(String rpmName, String debSuffix) {
        this.rpmName = rpmName;
        this.debSuffix = debSuffix;
    }

    /** The PAYLOADCOMPRESSOR value rpm writes for this codec. */
    public String rpmName() {
        return rpmName;
    }

    /** The suffix after "data.tar" / "control.tar" in a .deb. */
    public String debSuffix() {
        return debSuffix;
    }

    /** dpkg picks the decompressor by member name suffix (dpkg-deb/extract.c), so do we. */
    public static Optional<Codec> fromDebSuffix(String suffix) {
        for (Codec c : values()) {
            if (c.debSuffix.equals(suffix)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The codec named by rpm's PAYLOADCOMPRESSOR tag (build/pack.c maps w*.gzdio to "gzip",
     * bzdio "bzip2", xzdio "xz", lzdio "lzma", zstdio "zstd"; ufdio writes no compressor).
     */
    public static Optional<Codec> fromRpmName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("identity") || n.equals("none")) {
            return Optional.of(NONE);
        }
        for (Codec c : values()) {
            if (c.rpmName.equals(n)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Recognises a stream by its first bytes; lzma (alone) has no magic, only its usual props byte. */
    public static Optional<Codec> fromMagic(byte[] b, int n) {
        if (n >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            return Optional.of(GZIP);
        }
        if (n >= 6 && (b[0] & 0xff) == 0xfd && b[1] == '7' && b[2] == 'z' && b[3] == 'X' && b[4] == 'Z' && b[5] == 0) {
            return Optional.of(XZ);
        }
        if (n >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) {
            return Optional.of(ZSTD);
        }
        if (n >= 3 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h') {
            return Optional.of(BZIP2);
        }
        if (n >= 5 && b[0] == '0' && b[1] == '7' && b[2] == '0' && b[3] == '7' && b[4] == '0') {
            return Optional.of(NONE);
        }
        // xz-utils and rpm's lzdio write "lc=3 lp=0 pb=2", i.e. props 0x5d, then a dictionary size.
        if (n >= 3 && (b[0] & 0xff) == 0x5d && b[1] == 0) {
            return Optional.of(LZMA);
        }
        return Optional.empty();
    }

    /**
     * A decompressing view of {@code in}, holding {@code compressedBytes} (-1 if unknown). Closing
     * the result releases the decoder (and any xz process) but leaves {@code in} open.
     */
    InputStream decode(InputStream in, long compressedBytes, ReaderOptions options) throws IOException {
        InputStream shielded = new NonClosingInputStream(in);
        if (this == NONE) {
            return shielded;
        }
        // tar and cpio read 512- and 110-byte headers; without a buffer each would be a JNI call
        // into zlib/zstd or a read(2) on xz's pipe.
        return new SkippingBufferedInputStream(decoder(shielded, compressedBytes, options), BUFFER);
    }

    private InputStream decoder(InputStream shielded, long compressedBytes, ReaderOptions options) throws IOException {
        switch (this) {
            case NONE:
                return shielded;
            case GZIP:
                // The JDK's GZIPInputStream runs the native zlib and reads concatenated members.
                return new GZIPInputStream(shielded, BUFFER);
            case XZ: {
                long limit = options.dictionaryLimitBytes();
                if (options.xzThroughCommand(compressedBytes)) {
                    List<String> command = new ArrayList<>(options.xzCommand().get());
                    command.add("--memlimit-decompress=" + xzMemoryLimitKiB(limit) + "KiB");
                    return new ProcessDecoder(command, shielded, dictionaryLimitMessage(limit));
                }
                return new XzDictionaryLimit(new XZInputStream(new BufferedInputStream(shielded, BUFFER),
                        (int) xzMemoryLimitKiB(limit), XZ_ARRAYS), limit);
            }
            case ZSTD:
                // zstd-jni's decoder: native libzstd, window limited to 2^27 by default, so garbage
                // cannot make it allocate gigabytes.
                return new ZstdInputStreamNoFinalizer(new BufferedInputStream(shielded, BUFFER));
            case BZIP2:
                return new BZip2CompressorInputStream(new BufferedInputStream(shielded, BUFFER), true);
            case LZMA:
                return lzma(new BufferedInputStream(shielded, BUFFER), options.dictionaryLimitBytes());
            default:
                throw new IllegalStateException("unhandled codec " + this);
        }
    }

    /**
     * The memory limit, in KiB, that lets an xz stream have a dictionary of up to {@code dictionaryBytes}
     * and no more. Both decoders need a little beyond the dictionary (tukaani: 104 KiB for LZMA2, its
     * {@code LZMA2InputStream.getMemoryUsage}, plus 5 KiB per BCJ filter; liblzma 5.4.1: 84 KiB, found by
     * bisecting {@code --memlimit-decompress} on a 64 MiB stream). LZMA2 dictionaries are 2^n or 3 * 2^(n-1)
     * bytes, so above 2 MiB the next size past any limit is at least 1 MiB further: a 1 MiB headroom
     * admits the limit and stops everything above it (64 MiB passes, 96 MiB fails).
     */
    static long xzMemoryLimitKiB(long dictionaryBytes) {
        return dictionaryBytes / 1024 + 1024;
    }

    /** "needs a 1536 MiB dictionary, over the 64 MiB limit": the one line a package fails with. */
    static String dictionaryLimitMessage(long dictionaryBytes, long limitBytes) {
        return "needs a " + mib(dictionaryBytes) + " dictionary, over the " + mib(limitBytes) + " limit";
    }

    /** When xz cannot say how large (see ProcessDecoder): "needs a dictionary over the 64 MiB limit". */
    private static String dictionaryLimitMessage(long limitBytes) {
        return "needs a dictionary over the " + mib(limitBytes) + " limit";
    }

    /** Exact: a .lzma header can hold any size, and a rounded figure would hide what it said. */
    private static String mib(long bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + "-byte";
    }

    /**
     * A .lzma stream (xz-utils' "LZMA_Alone"): a 13-byte header of the properties byte, the dictionary
     * size (uint32, little-endian) and the uncompressed size, then the data (xz's
     * doc/lzma-file-format.txt). Its dictionary can be any 32-bit value, so we read the header first
     * and refuse a dictionary over the limit by its exact size; tukaani would report a dictionary of
     * 2 GiB or more only as "too big for this implementation".
     */
    private static InputStream lzma(BufferedInputStream in, long limitBytes) throws IOException {
        in.mark(13);
        byte[] header = in.readNBytes(13);
        in.reset();
        if (header.length < 5) {
            // tukaani meets the end of the stream in the header, before it allocates anything.
            return new LZMAInputStream(in, 0, XZ_ARRAYS);
        }
        long dictionary = (header[1] & 0xffL) | (header[2] & 0xffL) << 8 | (header[3] & 0xffL) << 16
                | (header[4] & 0xffL) << 24;
        if (dictionary > limitBytes) {
            throw new IOException(dictionaryLimitMessage(dictionary, limitBytes));
        }
        // The limit in tukaani's own terms for this stream's lc and lp, so that its check (which also
        // counts the literal coders, up to 6 MiB for lc + lp = 12) agrees with ours.
        return new LZMAInputStream(in, LZMAInputStream.getMemoryUsage((int) limitBytes, header[0]), XZ_ARRAYS);
    }

    /**
     * Turns tukaani's MemoryLimitException, thrown when it reads a block header whose dictionary is over
     * the limit (at the first read, or in the middle of a stream of several blocks), into the package's
     * one line. The exception gives the memory needed in KiB: the dictionary plus LZMA2's fixed 104 KiB,
     * plus a few KiB per BCJ or delta filter; the LZMA2 size at or below what remains is the dictionary.
     */
    private static final class XzDictionaryLimit extends FilterInputStream {
        private static final long LZMA2_OVERHEAD_KIB = LZMA2InputStream.getMemoryUsage(1 << 20) - 1024;
        private final long limitBytes;

        XzDictionaryLimit(InputStream in, long limitBytes) {
            super(in);
            this.limitBytes = limitBytes;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (MemoryLimitException e) {
                throw translate(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (MemoryLimitException e) {
                throw translate(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (MemoryLimitException e) {
                throw translate(e);
            }
        }

        /**
         * tukaani keeps the exception of a read that had already returned some bytes and throws it from
         * the next read or available(); BufferedInputStream calls available() after a short read.
         */
        @Override
        public int available() throws IOException {
            try {
                return in.available();
            } catch (MemoryLimitException e) {
                throw translate(e);
            }
        }

        private IOException translate(MemoryLimitException e) {
            long bytes = (e.getMemoryNeeded() - LZMA2_OVERHEAD_KIB) * 1024;
            long p = Long.highestOneBit(Math.max(bytes, 1));
            long dictionary = bytes >= p + p / 2 ? p + p / 2 : p;
            return new IOException(dictionaryLimitMessage(dictionary, limitBytes), e);
        }
    }
}
