package org.symdex.pkg;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.symdex.io.Limits;
import org.symdex.io.NonClosingInputStream;
import org.symdex.io.SkippingBufferedInputStream;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMAInputStream;
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
            case XZ:
                if (options.xzThroughCommand(compressedBytes)) {
                    return new ProcessDecoder(options.xzCommand().get(), shielded);
                }
                return new XZInputStream(new BufferedInputStream(shielded, BUFFER), Limits.XZ_MEMORY_LIMIT_KIB, XZ_ARRAYS);
            case ZSTD:
                // zstd-jni's decoder: native libzstd, window limited to 2^27 by default, so garbage
                // cannot make it allocate gigabytes.
                return new ZstdInputStreamNoFinalizer(new BufferedInputStream(shielded, BUFFER));
            case BZIP2:
                return new BZip2CompressorInputStream(new BufferedInputStream(shielded, BUFFER), true);
            case LZMA:
                return new LZMAInputStream(new BufferedInputStream(shielded, BUFFER), Limits.XZ_MEMORY_LIMIT_KIB, XZ_ARRAYS);
            default:
                throw new IllegalStateException("unhandled codec " + this);
        }
    }
}
