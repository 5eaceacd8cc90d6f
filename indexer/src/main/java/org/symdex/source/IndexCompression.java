package org.symdex.source;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.symdex.io.Limits;
import org.tukaani.xz.XZInputStream;

/**
 * How an index file (Packages, primary.xml) is compressed, told by its name as apt and dnf tell
 * it. {@code org.symdex.pkg.Codec} does the same for package members but its decoder is
 * package-private and tied to ReaderOptions, so the few lines needed are repeated here, with the
 * same decoders and limits; bzip2 needs commons-compress (docs/sources.md says why this package
 * imports it too).
 */
enum IndexCompression {
    XZ(".xz"),
    GZIP(".gz"),
    ZSTD(".zst"),
    BZIP2(".bz2"),
    NONE("");

    private static final int BUFFER = 64 * 1024;

    // No BasicArrayCache here, unlike org.symdex.pkg.Codec: an index file is one stream per source,
    // and the cache keeps the last 8 MiB dictionary softly reachable, which in the 64 MiB
    // heap raised the retained heap from 29 to 38 MiB and made the bookworm parse slower.
    private final String suffix;

    IndexCompression(String suffix) {
        this.suffix = suffix;
    }

    String suffix() {
        return suffix;
    }

    /** Debian: the forms of a Packages file we read, best first (never an unlisted one). */
    static final IndexCompression[] DEBIAN_PREFERENCE = {XZ, GZIP, NONE};

    /**
     * rpm-md: by the location's suffix; a plain ".xml" is NONE; anything else (zchunk's ".zck")
     * is not supported.
     */
    static Optional<IndexCompression> forRpmLocation(String href) {
        for (IndexCompression c : new IndexCompression[] {XZ, GZIP, ZSTD, BZIP2}) {
            if (href.endsWith(c.suffix)) {
                return Optional.of(c);
            }
        }
        return href.endsWith(".xml") ? Optional.of(NONE) : Optional.empty();
    }

    /** A decompressing view of {@code in}; closing it closes {@code in}. */
    InputStream decode(InputStream in) throws IOException {
        switch (this) {
            case XZ:
                return new XZInputStream(new BufferedInputStream(in, BUFFER),
                        org.tukaani.xz.LZMA2InputStream.getMemoryUsage((int) Limits.XZ_MAX_DICTIONARY_BYTES));
            case GZIP:
                // Reads concatenated members, as gzip -d does.
                return new GZIPInputStream(in, BUFFER);
            case ZSTD:
                // zstd-jni limits the window to 2^27 by default: garbage cannot make it allocate gigabytes.
                return new ZstdInputStreamNoFinalizer(new BufferedInputStream(in, BUFFER));
            case BZIP2:
                return new BZip2CompressorInputStream(new BufferedInputStream(in, BUFFER), true);
            case NONE:
                return in;
            default:
                throw new IllegalStateException("unhandled " + this);
        }
    }
}
