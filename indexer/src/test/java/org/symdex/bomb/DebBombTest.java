package org.symdex.bomb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.io.Limits;
import org.symdex.pkg.Fixtures;
import org.symdex.pkg.PackageTools;
import org.symdex.pkg.ReaderOptions;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;

/**
 * Packages built to cost far more than their size (item 9 of "Nothing lost, nothing hidden"): a .deb of
 * 100,000 tiny entries, and a .deb whose data.tar.xz inflates to 3 GiB of zeros, part of it an ELF
 * candidate the scanner must spool. Each must be read in bounded time and memory: the time bound is a
 * hang guard (60 s), not a benchmark; the allocation bound is on the scanning thread, with a 32 MiB
 * entry budget. Each test prints what it measured.
 */
class DebBombTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);
    private static final long BUDGET = 32L << 20;
    private static final Path XZ_DEB = Fixtures.deb("symdex-fixture-xz.deb");

    @TempDir
    Path tmp;

    private record Figures(PackageScan scan, long millis, long allocated) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d ms, %d MiB allocated on the scanning thread, %d ELF files, %d warnings",
                    millis, allocated >> 20, scan.files().size(), scan.warnings().size());
        }
    }

    /** Scans under the hang guard, on the guard's thread, measuring that thread. */
    private Figures scan(Path deb) {
        PackageScanner scanner = new PackageScanner(ReaderOptions.pureJava(),
                new Limits(Limits.DEFAULT_MAX_ENTRY_BYTES, BUDGET), false, tmp);
        return assertTimeoutPreemptively(HANG_GUARD, () -> {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            PackageScan scan = scanner.scan(deb);
            return new Figures(scan, (System.nanoTime() - t0) / 1_000_000,
                    threads.getCurrentThreadAllocatedBytes() - bytes);
        }, deb.getFileName().toString());
    }

    /**
     * 100,000 regular files in 100 directories, a third each: 2 bytes (under the 6 bytes an ELF check
     * needs), 8 bytes of text (read and rejected), and 8 bytes starting like an ELF64 file (loaded, parsed,
     * and reported as a warning each: too short for an ELF header).
     */
    @Test
    void hundredThousandTinyEntries() throws Exception {
        int n = 100_000;
        Path tar = tmp.resolve("tiny.tar");
        try (OutputStream f = Files.newOutputStream(tar);
             TarArchiveOutputStream out = new TarArchiveOutputStream(f)) {
            for (int d = 0; d < 100; d++) {
                TarArchiveEntry dir = new TarArchiveEntry(String.format(Locale.ROOT, "./usr/share/tiny/%02d/", d));
                out.putArchiveEntry(dir);
                out.closeArchiveEntry();
            }
            byte[][] kinds = {"x\n".getBytes(StandardCharsets.ISO_8859_1), "tinytext".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}};
            for (int i = 0; i < n; i++) {
                byte[] data = kinds[i % 3];
                TarArchiveEntry e = new TarArchiveEntry(String.format(Locale.ROOT, "./usr/share/tiny/%02d/f%06d", i % 100, i));
                e.setSize(data.length);
                e.setMode(0755);
                out.putArchiveEntry(e);
                out.write(data);
                out.closeArchiveEntry();
            }
        }
        byte[] xz = PackageTools.run(Files.readAllBytes(tar), "xz", "-c", "-T1", "-6");
        Path deb = PackageTools.debWithData(tmp, "tiny.deb", XZ_DEB, "data.tar.xz", xz);
        // dpkg-deb reads it as such: every entry listed.
        String listing = new String(PackageTools.run(new byte[0], "dpkg-deb", "-c", deb.toString()), StandardCharsets.UTF_8);
        assertEquals(n + 100, listing.lines().count());

        Figures f = scan(deb);
        System.out.println("DebBombTest: " + n + " tiny entries, " + Files.size(deb) + "-byte .deb: " + f);
        assertEquals(0, f.scan.files().size());
        // i % 3 == 2 are broken ELF entries: 33,333 of them, the first 100 kept and the rest counted.
        assertEquals(101, f.scan.warnings().size());
        assertEquals("and " + (n / 3 - 100) + " more ELF entries that could not be read",
                f.scan.warnings().get(100).message());
        assertTrue(f.scan.warnings().get(0).message().contains("too short"), f.scan.warnings().get(0).toString());
        // Measured 2026-12-02: 1,765 MiB in 3 to 4 s, 18 KB an entry, all garbage but the 33,333 warnings.
        // 16 KiB of it is commons-compress 1.28.0: TarArchiveInputStream skips the rest of each entry and
        // its padding through IOUtils.skip, which hands commons-io a supplier of fresh 8 KiB arrays
        // (IOUtils::byteArray), so every entry costs two. Linear in the entries and never retained; the
        // bound is 24 KiB an entry.
        assertTrue(f.allocated < n * 24L * 1024, f.toString());
    }

    /**
     * data.tar.xz of about 500 KB that inflates to 3 GiB: a 2 GiB file of zeros, then a 1 GiB file that
     * starts with the ELF magic, which the scanner loads as an ELF candidate (over the budget: spooled to a
     * temporary file and mapped). So that no test has to compress 3 GiB (xz -0 takes 6 s a GiB here), one
     * stream is built from blocks xz compressed once: 64 MiB of zeros, repeated (PackageTools.xzJoin).
     * xz --list reads it back here; dpkg-deb -c lists both files (checked by hand, 2026-12-02: 9 s).
     */
    @Test
    void threeGibibytesOfZeros() throws Exception {
        long zeros = 2L << 30;
        long elf = 1L << 30;
        int block = 64 << 20;
        byte[] zeroBlock = PackageTools.xz(new byte[block], "-6");
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(PackageTools.xz(header("./usr/share/bomb/zeros", zeros), "-6"));
        for (long done = 0; done < zeros; done += block) {
            pieces.add(zeroBlock);
        }
        // The ELF candidate's first block carries its header and magic; the rest are the zero block.
        byte[] first = Arrays.copyOf(header("./usr/lib/libbomb.so.1", elf), 512 + block);
        System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, 0, first, 512, 7);
        pieces.add(PackageTools.xz(first, "-6"));
        for (long done = block; done < elf; done += block) {
            pieces.add(zeroBlock);
        }
        pieces.add(PackageTools.xz(new byte[1024], "-6")); // tar's end: two zero records
        byte[] xz = PackageTools.xzJoin(pieces);
        Path data = tmp.resolve("data.tar.xz");
        Files.write(data, xz);
        // xz itself reads the joined stream's index: one stream, 50 blocks, the 3 GiB.
        String totals = new String(PackageTools.run(new byte[0], "xz", "--robot", "--list", data.toString()),
                StandardCharsets.US_ASCII).lines().filter(l -> l.startsWith("totals")).findFirst().orElseThrow();
        assertEquals(List.of("totals", "1", "50"), Arrays.asList(totals.split("\t")).subList(0, 3), totals);
        assertEquals(String.valueOf(512 + zeros + 512 + elf + 1024), totals.split("\t")[4], totals);
        Path deb = PackageTools.debWithData(tmp, "zeros.deb", XZ_DEB, "data.tar.xz", xz);

        Figures f = scan(deb);
        System.out.println("DebBombTest: 3 GiB of zeros in a " + Files.size(deb) + "-byte .deb: " + f);
        // The candidate is all zeros past its magic: ET_NONE, no sections, so no capabilities and no warning.
        assertEquals(1, f.scan.files().size(), f.scan.files().toString());
        ScannedFile bomb = f.scan.files().get(0);
        assertEquals("/usr/lib/libbomb.so.1", bomb.path());
        assertTrue(bomb.caps().isEmpty(), bomb.caps().toString());
        // Nothing but buffers: the spool copies through 64 KiB, the decoder's dictionary is 8 MiB.
        assertTrue(f.allocated < 64L << 20, f.toString());
        try (var s = Files.list(tmp)) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith("symdex-entry-")).count(),
                    "the spool file is deleted");
        }
    }

    /** A ustar header for a regular file of {@code size} bytes (octal fits up to 8 GiB). */
    private static byte[] header(String name, long size) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(size);
        e.setMode(0755);
        byte[] h = new byte[512];
        e.writeEntryHeader(h);
        return h;
    }
}
