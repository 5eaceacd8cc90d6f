package org.symdex.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PackageFormatTest {
    private static Optional<PackageFormat> detect(byte[] b) {
        return PackageFormat.detect(b, b.length);
    }

    @Test
    void detectsByMagicNotName() throws Exception {
        assertEquals(Optional.of(PackageFormat.DEB), PackageFormat.detect(Fixtures.deb("symdex-fixture-xz.deb")));
        assertEquals(Optional.of(PackageFormat.RPM),
                PackageFormat.detect(Fixtures.rpm("symdex-fixture-xz-1.2.3-1.x86_64.rpm")));
        assertEquals(Optional.of(PackageFormat.RPM), detect(new byte[] {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb}));
        // A plain ar archive (a static library) is not a .deb.
        assertEquals(Optional.empty(), detect("!<arch>\n/               ".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(Optional.empty(), detect(new byte[0]));
        assertEquals(Optional.empty(), detect("\u007fELF".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void codecMagic() {
        assertEquals(Optional.of(Codec.GZIP), Codec.fromMagic(new byte[] {0x1f, (byte) 0x8b, 8}, 3));
        assertEquals(Optional.of(Codec.ZSTD), Codec.fromMagic(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, 4));
        assertEquals(Optional.of(Codec.NONE), Codec.fromMagic("070701".getBytes(StandardCharsets.ISO_8859_1), 6));
        assertEquals(Optional.of(Codec.BZIP2), Codec.fromMagic("BZh9".getBytes(StandardCharsets.ISO_8859_1), 4));
        assertEquals(Optional.empty(), Codec.fromMagic(new byte[] {1, 2, 3, 4}, 4));
        assertEquals(Optional.of(Codec.XZ), Codec.fromRpmName("xz"));
        assertEquals(Optional.empty(), Codec.fromRpmName("lzip"));
        assertEquals(Optional.of(Codec.ZSTD), Codec.fromDebSuffix(".zst"));
    }

    @Test
    void xzCommandOnlyForBigStreams() {
        ReaderOptions o = new ReaderOptions(java.util.Optional.of(java.util.List.of("xz", "-dc")), 1000,
                org.symdex.io.Limits.XZ_MAX_DICTIONARY_BYTES);
        assertEquals(false, o.xzThroughCommand(999));
        assertEquals(true, o.xzThroughCommand(1000));
        assertEquals(true, o.xzThroughCommand(-1));
        assertEquals(false, ReaderOptions.pureJava().xzThroughCommand(-1));
    }

    @Test
    void debRelations() {
        assertEquals(java.util.List.of(
                        new Dependency("libc6", Dependency.GREATER | Dependency.EQUAL, "2.34"),
                        new Dependency("libfoo1", Dependency.EQUAL, "1.2.3"),
                        new Dependency("libbar1", Dependency.DEB_ALTERNATIVE, ""),
                        new Dependency("base", Dependency.LESS, "2")),
                DebControl.relations("libc6 (>= 2.34), libfoo1 (= 1.2.3) | libbar1 [amd64], base (<< 2)"));
    }
}
