package org.symdex.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.symdex.io.Limits;
import org.symdex.pkg.Fixtures;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.ReaderOptions;

/**
 * Bad packages (issue 3, item 6), all with fixed seeds: each must give PackageFormatException
 * with a one-line message, or a scan (possibly with warnings) — never another exception, never a
 * hang, never an OOM.
 */
class BadInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private PackageScanner scanner(ReaderOptions o) {
        // A small budget keeps a lying size from costing memory even if a cap were missed.
        return new PackageScanner(o, new Limits(64L << 20, 32L << 20), false, tmp);
    }

    /** Scans bytes written to a temp file; returns the exception (null when the scan succeeded). */
    private PackageFormatException outcome(byte[] bytes, String name, ReaderOptions o) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return assertTimeoutPreemptively(LIMIT, () -> {
            try {
                scanner(o).scan(p);
                return null;
            } catch (PackageFormatException e) {
                assertFalse(e.getMessage().isBlank());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                return e;
            } catch (Throwable t) {
                throw new AssertionError(name + ": not a PackageFormatException", t);
            }
        }, name);
    }

    private static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    private static final String[] SAMPLES = {
        "deb/real/zlib1g_1.2.13.dfsg-1_amd64.deb", "deb/symdex-fixture-gzip.deb", "deb/symdex-fixture-zstd.deb",
        "deb/symdex-fixture-none.deb", "deb/symdex-fixture-bzip2.deb", "deb/symdex-fixture-lzma.deb",
        "rpm/symdex-fixture-gzip-1.2.3-1.x86_64.rpm", "rpm/symdex-fixture-xz-1.2.3-1.x86_64.rpm",
        "rpm/symdex-fixture-zstd-1.2.3-1.x86_64.rpm", "rpm/symdex-fixture-none-1.2.3-1.x86_64.rpm",
        "rpm/symdex-fixture-bzip2-1.2.3-1.x86_64.rpm", "rpm/symdex-fixture-lzma-1.2.3-1.x86_64.rpm"};

    /** Every truncation of a package cuts its last member or payload, so every one must fail. */
    @ParameterizedTest
    @ValueSource(strings = {
        "deb/real/zlib1g_1.2.13.dfsg-1_amd64.deb", "deb/symdex-fixture-gzip.deb", "deb/symdex-fixture-zstd.deb",
        "deb/symdex-fixture-none.deb", "deb/symdex-fixture-bzip2.deb", "deb/symdex-fixture-lzma.deb",
        "rpm/symdex-fixture-gzip-1.2.3-1.x86_64.rpm", "rpm/symdex-fixture-xz-1.2.3-1.x86_64.rpm",
        "rpm/symdex-fixture-zstd-1.2.3-1.x86_64.rpm", "rpm/symdex-fixture-none-1.2.3-1.x86_64.rpm",
        "rpm/symdex-fixture-bzip2-1.2.3-1.x86_64.rpm", "rpm/symdex-fixture-lzma-1.2.3-1.x86_64.rpm"})
    void truncationsFail(String fixture) throws Exception {
        byte[] whole = bytes(Fixtures.root().resolve("fixtures").resolve(fixture));
        Random rnd = new Random(fixture.hashCode() ^ 0x5eed);
        List<Integer> cuts = new ArrayList<>(List.of(0, 1, 7, 8, 20, 60, 68, 95, 96, 100, 111, 112, 200,
                whole.length / 2, whole.length - 64, whole.length - 17, whole.length - 8, whole.length - 1));
        for (int i = 0; i < 40; i++) {
            cuts.add(rnd.nextInt(whole.length));
        }
        // An odd-sized last ar member is followed by one padding byte that carries nothing.
        int essential = fixture.endsWith(".deb") ? arDataEnd(whole) : whole.length;
        for (ReaderOptions o : List.of(ReaderOptions.systemXzAlways(), ReaderOptions.pureJava())) {
            for (int cut : cuts) {
                byte[] part = java.util.Arrays.copyOf(whole, Math.max(0, Math.min(cut, essential - 1)));
                if (outcome(part, "cut", o) == null) {
                    fail(fixture + " cut at " + part.length + " of " + whole.length + " was read as complete");
                }
            }
        }
    }

    /** Flips in the container headers: either a clean PackageFormatException or a readable package. */
    @Test
    void byteFlipsInHeaders() throws Exception {
        Random rnd = new Random(42);
        int failures = 0;
        int total = 0;
        for (String fixture : SAMPLES) {
            byte[] whole = bytes(Fixtures.root().resolve("fixtures").resolve(fixture));
            List<int[]> regions = fixture.endsWith(".rpm") ? rpmRegions(whole) : arRegions(whole);
            for (int[] region : regions) {
                for (int i = 0; i < 25; i++) {
                    byte[] m = whole.clone();
                    int at = region[0] + rnd.nextInt(Math.max(1, region[1] - region[0]));
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                    if (rnd.nextInt(4) == 0) {
                        m[at] = (byte) 0xff;
                    }
                    total++;
                    if (outcome(m, "flip", ReaderOptions.systemXzAlways()) != null) {
                        failures++;
                    }
                }
            }
        }
        assertTrue(failures > total / 4, failures + " of " + total + " flips rejected: checks are missing");
    }

    /** [start, end) of the ar global header, each member header and the first bytes of each member. */
    private static List<int[]> arRegions(byte[] b) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {0, 8});
        int pos = 8;
        while (pos + 60 <= b.length) {
            out.add(new int[] {pos, pos + 60});
            long size = Long.parseLong(new String(b, pos + 48, 10, StandardCharsets.ISO_8859_1).strip());
            out.add(new int[] {pos + 60, (int) Math.min(b.length, pos + 60 + Math.min(size, 512))});
            pos += 60 + (int) size + (int) (size & 1);
        }
        return out;
    }

    private static int arDataEnd(byte[] b) {
        int[] last = arRegions(b).get(arRegions(b).size() - 2);
        int size = Integer.parseInt(new String(b, last[0] + 48, 10, StandardCharsets.ISO_8859_1).strip());
        return last[1] + size;
    }

    /** Lead, signature header (intro, index, store), main header (intro, index, store), payload start. */
    private static List<int[]> rpmRegions(byte[] b) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {0, 96});
        int pos = 96;
        for (int h = 0; h < 2; h++) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            int il = bb.getInt(pos + 8);
            int dl = bb.getInt(pos + 12);
            out.add(new int[] {pos, pos + 16});
            out.add(new int[] {pos + 16, pos + 16 + il * 16});
            out.add(new int[] {pos + 16 + il * 16, pos + 16 + il * 16 + dl});
            pos += 16 + il * 16 + dl;
            if (h == 0) {
                pos += (8 - pos % 8) % 8;
            }
        }
        out.add(new int[] {pos, Math.min(b.length, pos + 64)});
        return out;
    }

    @Test
    void zeroByteFile() throws Exception {
        assertTrue(outcome(new byte[0], "empty.deb", ReaderOptions.defaults()).getMessage().contains("empty"));
    }

    @Test
    void notAPackage() throws Exception {
        assertTrue(outcome("hello\n".getBytes(StandardCharsets.ISO_8859_1), "x.deb", ReaderOptions.defaults())
                .getMessage().contains("unknown magic"));
    }

    /** A minimal ar writer, to assemble .debs with missing or odd members. */
    private static byte[] ar(List<String> names, List<byte[]> datas) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("!<arch>\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < names.size(); i++) {
            byte[] d = datas.get(i);
            String h = String.format("%-16s%-12s%-6s%-6s%-8s%-10s`\n", names.get(i), "0", "0", "0", "100644", d.length);
            out.write(h.getBytes(StandardCharsets.ISO_8859_1));
            out.write(d);
            if ((d.length & 1) != 0) {
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static byte[] member(byte[] deb, String prefix) {
        int pos = 8;
        while (pos + 60 <= deb.length) {
            String name = new String(deb, pos, 16, StandardCharsets.ISO_8859_1).strip();
            int size = Integer.parseInt(new String(deb, pos + 48, 10, StandardCharsets.ISO_8859_1).strip());
            if (name.startsWith(prefix)) {
                return java.util.Arrays.copyOfRange(deb, pos + 60, pos + 60 + size);
            }
            pos += 60 + size + (size & 1);
        }
        throw new AssertionError("no member " + prefix);
    }

    @Test
    void debWithoutDataMember() throws Exception {
        byte[] deb = bytes(Fixtures.deb("symdex-fixture-gzip.deb"));
        byte[] noData = ar(List.of("debian-binary", "control.tar.gz"), List.of(member(deb, "debian-binary"),
                member(deb, "control.tar")));
        assertEquals("no data.tar member", outcome(noData, "nodata.deb", ReaderOptions.defaults()).getMessage());
    }

    @Test
    void debDataThatDecompressesToGarbage() throws Exception {
        byte[] deb = bytes(Fixtures.deb("symdex-fixture-gzip.deb"));
        byte[] noise = new byte[100_000];
        new Random(7).nextBytes(noise);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(noise);
        }
        byte[] bad = ar(List.of("debian-binary", "control.tar.gz", "data.tar.gz"),
                List.of(member(deb, "debian-binary"), member(deb, "control.tar"), gz.toByteArray()));
        String m = outcome(bad, "garbage.deb", ReaderOptions.defaults()).getMessage();
        assertTrue(m.startsWith("data.tar.gz: "), m);
    }

    @Test
    void rpmPayloadThatDecompressesToGarbage() throws Exception {
        byte[] rpm = bytes(Fixtures.rpm("symdex-fixture-gzip-1.2.3-1.x86_64.rpm"));
        int payload = rpmRegions(rpm).get(7)[0];
        byte[] noise = new byte[50_000];
        new Random(8).nextBytes(noise);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(rpm, 0, payload);
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(noise);
        }
        String m = outcome(out.toByteArray(), "garbage.rpm", ReaderOptions.defaults()).getMessage();
        assertTrue(m.contains("cpio") && m.contains("bad magic"), m);
    }

    @Test
    void rpmWithAbsurdHeaderCount() throws Exception {
        byte[] rpm = bytes(Fixtures.rpm("symdex-fixture-xz-1.2.3-1.x86_64.rpm"));
        int main = rpmRegions(rpm).get(4)[0];
        for (int count : new int[] {0x7fffffff, 0xffffffff, 0x10000, 0}) {
            byte[] m = rpm.clone();
            ByteBuffer.wrap(m).putInt(main + 8, count);
            String msg = outcome(m, "absurd.rpm", ReaderOptions.defaults()).getMessage();
            assertTrue(msg.startsWith("header @0x") && msg.contains("absurd tag count"), msg);
            m = rpm.clone();
            ByteBuffer.wrap(m).putInt(96 + 12, count == 0 ? 0x7fffffff : count); // signature data size
            assertTrue(outcome(m, "absurd-sig.rpm", ReaderOptions.defaults()).getMessage().startsWith("signature @0x60"));
        }
    }

    /** A broken ELF inside a readable package is a warning; the package's other files still count. */
    @Test
    void badElfInsideIsAWarning() throws Exception {
        byte[] deb = bytes(Fixtures.deb("symdex-fixture-none.deb"));
        // The uncompressed tar holds each ELF file verbatim; break the first one's e_shoff/e_shnum.
        int at = indexOf(deb, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        assertTrue(at > 0);
        for (int i = 0x28; i < 0x30; i++) {
            deb[at + i] = (byte) 0x7f;
        }
        Path p = tmp.resolve("badelf.deb");
        Files.write(p, deb);
        PackageScan scan = scanner(ReaderOptions.defaults()).scan(p);
        assertEquals(1, scan.warnings().size(), scan.warnings().toString());
        String w = scan.warnings().get(0).format("badelf.deb");
        assertTrue(w.startsWith("badelf.deb!/usr/"), w);
        assertEquals(5, scan.files().size(), scan.files().toString());
    }

    @Test
    void unknownFileIsNotAPackage() {
        assertThrows(PackageFormatException.class, () -> scanner(ReaderOptions.defaults()).scan(tmp.resolve("missing.deb")));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
