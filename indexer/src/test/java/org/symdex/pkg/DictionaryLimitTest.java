package org.symdex.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xz and lzma streams that declare a dictionary over the limit (64 MiB, what xz -9 uses) fail their
 * package with one line, before the decoder allocates the dictionary. The streams are real: xz writes
 * a 1536 MiB dictionary into the headers of a small stream without needing that memory (liblzma
 * allocates the encoder's dictionary lazily; `xz --lzma2=dict=1536MiB` of a few KB takes milliseconds),
 * and the packages around them are built by ar and checked by dpkg-deb, or are fixture rpms with the
 * payload replaced.
 */
class DictionaryLimitTest {
    private static final Path XZ_DEB = Fixtures.deb("symdex-fixture-xz.deb");
    private static final Path XZ_RPM = Fixtures.rpm("symdex-fixture-xz-1.2.3-1.x86_64.rpm");
    private static final Path LZMA_RPM = Fixtures.rpm("symdex-fixture-lzma-1.2.3-1.x86_64.rpm");
    private static final String OVER = "needs a 1536 MiB dictionary, over the 64 MiB limit";
    private static final ReaderOptions SYSTEM = ReaderOptions.systemXzAlways();

    @TempDir
    static Path tmp;
    private static byte[] tar;
    private static byte[] cpio;

    @BeforeAll
    static void payloads() throws IOException {
        tar = PackageTools.fsysTarfile(XZ_DEB);
        cpio = PackageTools.rpm2cpio(XZ_RPM);
        assertTrue(SYSTEM.xzCommand().isPresent(), "xz is not on PATH (CI installs xz-utils)");
    }

    /** What the reader said, and what it allocated on this thread on the way. */
    private record Outcome(String message, long allocated) {
    }

    private static Outcome fail(Path pkg, ReaderOptions options) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> read(pkg, options));
        return new Outcome(e.getMessage(), threads.getCurrentThreadAllocatedBytes() - before);
    }

    private static int read(Path pkg, ReaderOptions options) throws Exception {
        int[] files = new int[1];
        new PackageReader(options).read(pkg, new PackageVisitor() {
            @Override
            public boolean onInfo(PackageInfo info) {
                return true;
            }

            @Override
            public void onEntry(PackageEntry e, InputStream data) throws IOException {
                data.transferTo(OutputStream.nullOutputStream());
                files[0]++;
            }
        });
        return files[0];
    }

    @Test
    void debDataTarXz() throws Exception {
        Path deb = PackageTools.debWithData(tmp, "xz1536.deb", XZ_DEB, "data.tar.xz",
                PackageTools.xz(tar, "--lzma2=dict=1536MiB"));
        Outcome java = fail(deb, ReaderOptions.pureJava());
        assertEquals("data.tar.xz: " + OVER, java.message);
        // The point of the limit: the 1.5 GiB were never asked for (the fixture reads in about 1 MiB).
        assertTrue(java.allocated < 16 << 20, java.allocated + " bytes allocated");
        // xz 5.4.1 does not tell the size it needed for .xz (see ProcessDecoder).
        assertEquals("data.tar.xz: needs a dictionary over the 64 MiB limit (xz: Memory usage limit reached)",
                fail(deb, SYSTEM).message);
    }

    @Test
    void debDataTarLzma() throws Exception {
        Path deb = PackageTools.debWithData(tmp, "lzma1536.deb", XZ_DEB, "data.tar.lzma",
                PackageTools.xz(tar, "--format=lzma", "--lzma1=dict=1536MiB"));
        Outcome java = fail(deb, ReaderOptions.pureJava());
        assertEquals("data.tar.lzma: " + OVER, java.message);
        assertTrue(java.allocated < 16 << 20, java.allocated + " bytes allocated");
    }

    @Test
    void debControlTarXz() throws Exception {
        byte[] control = PackageTools.run(PackageTools.arMember(XZ_DEB, "control.tar.xz"), "xz", "-dc");
        Path deb = PackageTools.deb(tmp, "control1536.deb", "debian-binary", PackageTools.arMember(XZ_DEB, "debian-binary"),
                "control.tar.xz", PackageTools.xz(control, "--lzma2=dict=1536MiB"),
                "data.tar.xz", PackageTools.arMember(XZ_DEB, "data.tar.xz"));
        // control.tar always goes through tukaani, whatever the xz decoder, and under the same limit.
        assertEquals("control.tar.xz: " + OVER, fail(deb, SYSTEM).message);
    }

    @Test
    void rpmPayloads() throws Exception {
        Path xz = PackageTools.rpmWithPayload(tmp, "xz1536.rpm", XZ_RPM, PackageTools.xz(cpio, "--lzma2=dict=1536MiB"));
        String at = "payload (xz) @0x" + Long.toHexString(PackageTools.rpmHeaders(XZ_RPM).length) + ": ";
        assertEquals(at + OVER, fail(xz, ReaderOptions.pureJava()).message);
        assertEquals(at + "needs a dictionary over the 64 MiB limit (xz: Memory usage limit reached)",
                fail(xz, SYSTEM).message);

        Path lzma = PackageTools.rpmWithPayload(tmp, "lzma1536.rpm", LZMA_RPM,
                PackageTools.xz(cpio, "--format=lzma", "--lzma1=dict=1536MiB"));
        at = "payload (lzma) @0x" + Long.toHexString(PackageTools.rpmHeaders(LZMA_RPM).length) + ": ";
        assertEquals(at + OVER, fail(lzma, ReaderOptions.pureJava()).message);
        // rpm itself still reads the headers: only the payload was replaced.
        assertEquals("symdex-fixture-lzma", new String(PackageTools.run(new byte[0], "rpm", "-qp", "--nosignature",
                "--nodigest", "--qf", "%{NAME}", lzma.toString())));
    }

    /** 64 MiB (xz -9) is the limit and reads; the next LZMA2 size, 96 MiB, does not. */
    @Test
    void theLimitItself() throws Exception {
        int want = read(XZ_DEB, ReaderOptions.pureJava());
        Path at64 = PackageTools.debWithData(tmp, "xz64.deb", XZ_DEB, "data.tar.xz", PackageTools.xz(tar, "--lzma2=dict=64MiB"));
        Path at96 = PackageTools.debWithData(tmp, "xz96.deb", XZ_DEB, "data.tar.xz", PackageTools.xz(tar, "--lzma2=dict=96MiB"));
        for (ReaderOptions o : List.of(ReaderOptions.pureJava(), SYSTEM)) {
            assertEquals(want, read(at64, o));
        }
        assertEquals("data.tar.xz: needs a 96 MiB dictionary, over the 64 MiB limit", fail(at96, ReaderOptions.pureJava()).message);
        assertTrue(fail(at96, SYSTEM).message.startsWith("data.tar.xz: needs a dictionary over the 64 MiB limit"));

        Path lzma64 = PackageTools.debWithData(tmp, "lzma64.deb", XZ_DEB, "data.tar.lzma",
                PackageTools.xz(tar, "--format=lzma", "--lzma1=dict=64MiB"));
        Path lzma65 = PackageTools.debWithData(tmp, "lzma65.deb", XZ_DEB, "data.tar.lzma",
                PackageTools.xz(tar, "--format=lzma", "--lzma1=dict=65MiB"));
        assertEquals(want, read(lzma64, ReaderOptions.pureJava()));
        // xz writes a .lzma dictionary rounded up to 2^n or 2^n + 2^(n-1) (liblzma's alone_encoder.c,
        // for LZMA SDK's sake), so 65 MiB goes into the header as 96 MiB.
        assertEquals("data.tar.lzma: needs a 96 MiB dictionary, over the 64 MiB limit",
                fail(lzma65, ReaderOptions.pureJava()).message);
        // Other writers store any 32-bit size, and the message gives it as it is: the header (bytes 1-4,
        // little-endian; no checksum covers it) patched to 64 MiB + 4 KiB.
        byte[] odd = PackageTools.xz(tar, "--format=lzma", "--lzma1=dict=64MiB");
        odd[2] = 0x10;
        Path lzmaOdd = PackageTools.debWithData(tmp, "lzma64+4k.deb", XZ_DEB, "data.tar.lzma", odd);
        assertEquals("data.tar.lzma: needs a 65540 KiB dictionary, over the 64 MiB limit",
                fail(lzmaOdd, ReaderOptions.pureJava()).message);
    }

    /**
     * A second xz stream, concatenated after a good one (xz and tukaani decode concatenated streams), whose
     * block declares 1536 MiB: the limit is met in the middle of the tar, here inside an ELF file's data.
     */
    @Test
    void overTheLimitInTheMiddle() throws Exception {
        int cut = tar.length / 2;
        byte[] first = PackageTools.xz(Arrays.copyOfRange(tar, 0, cut), "--lzma2=dict=8MiB");
        byte[] second = PackageTools.xz(Arrays.copyOfRange(tar, cut, tar.length), "--lzma2=dict=1536MiB");
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Path deb = PackageTools.debWithData(tmp, "xz-then-1536.deb", XZ_DEB, "data.tar.xz", both);
        assertEquals("data.tar.xz: " + OVER, fail(deb, ReaderOptions.pureJava()).message);
        assertTrue(fail(deb, SYSTEM).message.startsWith("data.tar.xz: needs a dictionary over the 64 MiB limit"));
    }

    /** A smaller limit is honoured the same way (the fuzz targets read under 8 MiB). */
    @Test
    void aSmallerLimit() throws Exception {
        Path deb = PackageTools.debWithData(tmp, "xz12.deb", XZ_DEB, "data.tar.xz", PackageTools.xz(tar, "--lzma2=dict=12MiB"));
        assertEquals("data.tar.xz: needs a 12 MiB dictionary, over the 8 MiB limit",
                fail(deb, ReaderOptions.pureJava().withDictionaryLimit(8 << 20)).message);
        assertEquals(read(XZ_DEB, ReaderOptions.pureJava()), read(deb, ReaderOptions.pureJava()));
        assertThrows(IllegalArgumentException.class, () -> ReaderOptions.pureJava().withDictionaryLimit(1 << 20));
    }
}
