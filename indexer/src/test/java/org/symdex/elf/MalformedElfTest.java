package org.symdex.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.cap.ElfdepsOracle;

/**
 * Bad input ends in a warning or the one exception, at once: truncations, byte flips (fixed seeds), chains
 * that point at themselves, counts of 2^31, absurd offsets. Where rpm 4.18's elfdeps survives the crafted
 * file, its answer is checked too (live, when installed).
 */
class MalformedElfTest {
    private static final Duration PER_CASE = Duration.ofSeconds(1);
    /** libmal.so.1: soname libmal.so.1, nodes MAL_1.0, MAL_1.1 (parent 1.0), MAL_2.0 (parent 1.1), needs libc. */
    private static byte[] lib;
    private static ElfFile parsed;

    @TempDir
    Path temp;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = MalformedElfTest.class.getResourceAsStream("libmal.so.1")) {
            lib = in.readAllBytes();
        }
        parsed = ElfFile.parse(ByteBuffer.wrap(lib));
    }

    /** Parses and derives; only ElfFormatException may escape, and both must finish within a second. */
    private static ElfCapabilities survive(byte[] bytes) {
        return assertTimeoutPreemptively(PER_CASE, () -> {
            try {
                ElfFile elf = ElfFile.parse(ByteBuffer.wrap(bytes));
                return CapabilityDeriver.derive(elf, "libmal.so.1", 0644);
            } catch (ElfFormatException e) {
                assertNotNull(e.getMessage());
                assertTrue(e.getMessage().contains("@0x"), "message names the offset: " + e.getMessage());
                return null;
            }
        });
    }

    @Test
    void intactLibraryGivesElfdepsAnswer() {
        ElfCapabilities caps = survive(lib);
        assertEquals(List.of("libmal.so.1(MAL_1.0)(64bit)", "libmal.so.1(MAL_1.1)(64bit)",
                "libmal.so.1(MAL_1.1)(64bit)", "libmal.so.1(MAL_2.0)(64bit)", "libmal.so.1(MAL_2.0)(64bit)",
                "libmal.so.1()(64bit)"), caps.rawProvides());
        assertEquals(List.of("libc.so.6(GLIBC_2.2.5)(64bit)", "libc.so.6()(64bit)", "rtld(GNU_HASH)"),
                caps.rawRequires());
        assertEquals(List.of(), caps.warnings());
    }

    /**
     * A file whose symbols would cost more heap than the budget allows (a "huge entry": deal.II's debug
     * library exports 930,858 symbols) keeps its capabilities and loses only its symbols, with a warning.
     */
    @Test
    void symbolsOverTheBudgetAreLeftOutWithAWarning() throws Exception {
        int symbols = parsed.dynamicSymbols().size();
        assertTrue(symbols > 5, "libmal has symbols: " + symbols);
        ElfFile within = ElfFile.parse(ByteBuffer.wrap(lib), true, Long.MAX_VALUE);
        assertEquals(symbols, within.dynamicSymbols().size());
        ElfFile over = ElfFile.parse(ByteBuffer.wrap(lib), true, ElfFile.symbolCost(symbols, 1) - 1);
        assertEquals(List.of(), over.dynamicSymbols());
        assertEquals(1, over.warnings().size(), over.warnings().toString());
        assertTrue(over.warnings().get(0).contains("symbols left out, capabilities kept"), over.warnings().toString());
        ElfCapabilities a = CapabilityDeriver.derive(within, "libmal.so.1", 0644);
        ElfCapabilities b = CapabilityDeriver.derive(over, "libmal.so.1", 0644);
        assertEquals(a.rawProvides(), b.rawProvides());
        assertEquals(a.rawRequires(), b.rawRequires());
    }

    @Test
    void truncatedAtEvery64thByte() {
        int exceptions = 0;
        int warned = 0;
        for (int cut = 0; cut < lib.length; cut += 64) {
            ElfCapabilities caps = survive(Arrays.copyOf(lib, cut));
            if (caps == null) {
                exceptions++;
            } else if (!caps.warnings().isEmpty()) {
                warned++;
            }
        }
        // The section header table sits at the end, so every cut before it loses the table.
        assertEquals((lib.length + 63) / 64, exceptions + warned, "every truncation is noticed");
        assertTrue(exceptions > 0);
    }

    @Test
    void byteFlipsInHeadersAndTables() {
        Random random = new Random(20261123L);
        List<long[]> regions = new ArrayList<>();
        regions.add(new long[] {0, 64});
        regions.add(new long[] {parsed.header().phoff(), (long) parsed.header().phnum() * 56});
        regions.add(new long[] {parsed.header().shoff(), (long) parsed.header().shnum() * 64});
        for (Section s : parsed.sections()) {
            if (s.type() == ElfConstants.SHT_DYNAMIC || s.type() == ElfConstants.SHT_GNU_VERDEF
                    || s.type() == ElfConstants.SHT_GNU_VERNEED || s.type() == ElfConstants.SHT_DYNSYM
                    || s.type() == ElfConstants.SHT_GNU_VERSYM) {
                regions.add(new long[] {s.offset(), s.size()});
            }
        }
        int mutants = 0;
        for (long[] region : regions) {
            for (int k = 0; k < 300; k++) {
                byte[] m = lib.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    int at = (int) (region[0] + random.nextInt((int) region[1]));
                    m[at] = (byte) random.nextInt(256);
                }
                survive(m);
                mutants++;
            }
        }
        assertEquals(regions.size() * 300, mutants);
    }

    @Test
    void verdefChainPointingAtItselfStopsWithWarning() throws Exception {
        Section verdef = section(ElfConstants.SHT_GNU_VERDEF);
        byte[] m = lib.clone();
        ByteBuffer b = le(m);
        // The second verdef (MAL_1.0) gets vd_next 0: elfdeps re-reads it sh_info-1 times.
        int second = (int) (verdef.offset() + b.getInt((int) verdef.offset() + 16));
        b.putInt(second + 16, 0);
        ElfCapabilities caps = survive(m);
        assertEquals(List.of("libmal.so.1()(64bit)", "libmal.so.1(MAL_1.0)(64bit)"), caps.provides());
        assertTrue(caps.warnings().stream().anyMatch(w -> w.contains("returns to")), caps.warnings().toString());
        assertSameSetAsElfdeps(m, caps);
    }

    @Test
    void countsOf2To31EndAtOnce() throws Exception {
        byte[] m = lib.clone();
        ByteBuffer b = le(m);
        for (int type : new int[] {ElfConstants.SHT_GNU_VERDEF, ElfConstants.SHT_GNU_VERNEED}) {
            Section s = section(type);
            b.putInt(shdr(s) + 44, 0x80000000); // sh_info
        }
        ElfCapabilities caps = survive(m);
        // rpm 4.18 spins here (its int counter wraps); the chains themselves end, so the set is complete.
        assertEquals(survive(lib).provides(), caps.provides());
        assertEquals(survive(lib).requires(), caps.requires());
        assertTrue(caps.warnings().size() >= 2, caps.warnings().toString());
    }

    @Test
    void hugeVdCntIsBounded() throws Exception {
        Section verdef = section(ElfConstants.SHT_GNU_VERDEF);
        byte[] m = lib.clone();
        ByteBuffer b = le(m);
        int second = (int) (verdef.offset() + b.getInt((int) verdef.offset() + 16));
        b.putShort(second + 6, (short) 0xffff); // vd_cnt of MAL_1.0: elfdeps emits it 65535 times
        ElfCapabilities caps = survive(m);
        // 65535 copies of MAL_1.0, then the first MAL_1.1 fills the 2^16 cap; past it repeats are dropped
        // and unique lines still enter (MAL_2.0, the soname): the set stays exact.
        assertEquals((1 << 16) + 2, caps.rawProvides().size());
        assertTrue(caps.warnings().stream().anyMatch(w -> w.contains("were dropped")), caps.warnings().toString());
        assertEquals(survive(lib).provides(), caps.provides());
        assertSameSetAsElfdeps(m, caps);
    }

    /**
     * A verneed chain that returns to itself with sh_info 3,264,987,798, through one entry whose vernaux
     * chain also loops (vna_next 0) 8,256 times: the shape of a fuzzer finding (ElfFuzzTestInputs). elfdeps
     * would emit the one version 8,256 times per read, for ever; we replay 4096 reads, from a record, until
     * the raw list is full. Deriving every read again took 34 million emissions, 4.7 GB and over a second.
     */
    @Test
    void loopingVerneedChainIsReplayedNotRederived() throws Exception {
        Section verneed = section(ElfConstants.SHT_GNU_VERNEED);
        byte[] m = lib.clone();
        ByteBuffer b = le(m);
        int need = (int) verneed.offset();
        b.putShort(need + 2, (short) 8256); // vn_cnt
        b.putInt(need + 12, 0); // vn_next: back to itself
        b.putInt(need + b.getInt(need + 8) + 12, 0); // the first vernaux's vna_next: itself
        b.putInt(shdr(verneed) + 44, 0xc29b_1d96); // sh_info 3,264,987,798
        Measured caps = measured(m);
        String glibc = "libc.so.6(GLIBC_2.2.5)(64bit)";
        // The cap of 2^16 repeats, then the two lines not yet in the list.
        assertEquals((1 << 16) + 2, caps.value.rawRequires().size());
        assertEquals(1 << 16, caps.value.rawRequires().stream().filter(glibc::equals).count());
        assertEquals(List.of("libc.so.6(GLIBC_2.2.5)(64bit)", "libc.so.6()(64bit)", "rtld(GNU_HASH)"),
                caps.value.requires().stream().sorted((x, y) -> x.equals(glibc) ? -1 : y.equals(glibc) ? 1 : x.compareTo(y)).toList());
        assertTrue(caps.value.warnings().stream().anyMatch(w -> w.contains("were dropped")), caps.value.warnings().toString());
        assertTrue(caps.allocated < 32 << 20, caps.allocated + " bytes allocated");
    }

    /**
     * A vernaux that loops 65,535 times on a name of 100 KB (the string table extended over a run appended
     * to the file): each read copied the name, 6.5 GB, and the parse ran out of heap. Names are cached by
     * offset now, and inner-chain steps are bounded per file.
     */
    @Test
    void loopingVernauxOnALongNameIsBounded() throws Exception {
        Section verneed = section(ElfConstants.SHT_GNU_VERNEED);
        Section dynstr = parsed.sections().get(verneed.link());
        byte[] run = new byte[100_000];
        Arrays.fill(run, (byte) 'A');
        byte[] m = Arrays.copyOf(lib, lib.length + run.length + 1);
        System.arraycopy(run, 0, m, lib.length, run.length);
        ByteBuffer b = le(m);
        b.putLong(shdr(dynstr) + 32, m.length - dynstr.offset()); // .dynstr's sh_size reaches the run
        int need = (int) verneed.offset();
        int aux = need + b.getInt(need + 8);
        b.putShort(need + 2, (short) 0xffff); // vn_cnt
        b.putInt(aux + 8, (int) (lib.length - dynstr.offset())); // vna_name: the run
        b.putInt(aux + 12, 0); // vna_next: itself
        Measured caps = measured(m);
        assertTrue(caps.value.requires().contains("libc.so.6(" + "A".repeat(run.length) + ")(64bit)"));
        assertTrue(caps.allocated < 32 << 20, caps.allocated + " bytes allocated");
    }

    /**
     * Thousands of vernaux entries, each naming a different offset into one 100 KB run (so each a different
     * suffix, which no cache shares): the names scanned are bounded by four times the file plus 1 MiB, past
     * which they are unresolved with one warning. Copied, they would be 16,000 strings of up to 100 KB.
     */
    @Test
    void namesScannedAreBounded() throws Exception {
        Section verneed = section(ElfConstants.SHT_GNU_VERNEED);
        Section dynstr = parsed.sections().get(verneed.link());
        int entries = 16_000;
        int auxAt = lib.length;
        int runAt = auxAt + entries * 16;
        byte[] m = Arrays.copyOf(lib, runAt + 100_001);
        Arrays.fill(m, runAt, runAt + 100_000, (byte) 'A');
        ByteBuffer b = le(m);
        b.putLong(shdr(dynstr) + 32, m.length - dynstr.offset());
        // The verneed section now spans the file from its own offset, so its vn_aux can reach the new entries.
        b.putLong(shdr(verneed) + 32, m.length - verneed.offset());
        int need = (int) verneed.offset();
        b.putShort(need + 2, (short) entries); // vn_cnt
        b.putInt(need + 8, auxAt - need); // vn_aux
        for (int i = 0; i < entries; i++) {
            int a = auxAt + i * 16;
            b.putInt(a + 8, (int) (runAt - dynstr.offset()) + i * 6); // vna_name: ever shorter suffixes
            b.putInt(a + 12, 16); // vna_next: the next entry
        }
        Measured caps = measured(m);
        assertTrue(caps.value.warnings().stream().anyMatch(w -> w.startsWith("string tables: names of more than")),
                caps.value.warnings().toString());
        assertTrue(caps.allocated < 32 << 20, caps.allocated + " bytes allocated");
    }

    private record Measured(ElfCapabilities value, long allocated) {
    }

    /**
     * {@link #survive} on a thread of its own, counting what that thread allocates: the point of these
     * cases is what a bad file costs, not only that it ends.
     */
    private static Measured measured(byte[] bytes) throws InterruptedException {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        ElfCapabilities[] caps = new ElfCapabilities[1];
        long[] allocated = new long[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                caps[0] = CapabilityDeriver.derive(ElfFile.parse(ByteBuffer.wrap(bytes)), "libmal.so.1", 0644);
            } catch (Throwable e) {
                failure[0] = e;
            }
            allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
        });
        t.start();
        t.join(PER_CASE.toMillis() * 5);
        assertTrue(!t.isAlive(), "still running after " + PER_CASE.toMillis() * 5 + " ms");
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
        return new Measured(caps[0], allocated[0]);
    }

    @Test
    void absurdOffsets() throws Exception {
        byte[] m = lib.clone();
        le(m).putLong(40, 0x7fff_ffff_ffffL); // e_shoff
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parse(ByteBuffer.wrap(m)));
        assertTrue(e.getMessage().startsWith("section header table @0x7fffffffffff:"), e.getMessage());

        byte[] p = lib.clone();
        le(p).putLong(32, -64L); // e_phoff: no program headers read, a warning, no exception
        assertTrue(survive(p).warnings().stream().anyMatch(w -> w.startsWith("program header table")));

        byte[] v = lib.clone();
        le(v).putLong(shdr(section(ElfConstants.SHT_GNU_VERDEF)) + 24, 0x10_0000_0000L); // verdef sh_offset
        ElfCapabilities caps = survive(v);
        assertEquals(List.of("libmal.so.1()(64bit)"), caps.provides());
        assertSameSetAsElfdeps(v, caps);

        byte[] l = lib.clone();
        le(l).putInt(shdr(section(ElfConstants.SHT_GNU_VERNEED)) + 40, 0); // sh_link to the null section
        ElfCapabilities needs = survive(l);
        assertEquals(List.of("libc.so.6()(64bit)", "rtld(GNU_HASH)"), needs.requires());
        assertSameSetAsElfdeps(l, needs);
    }

    @Test
    void dynamicEntsizeZeroIsSkippedAsRpm420Does() throws Exception {
        byte[] m = lib.clone();
        le(m).putLong(shdr(section(ElfConstants.SHT_DYNAMIC)) + 56, 0);
        ElfCapabilities caps = survive(m);
        // No SONAME, NEEDED or hash tags seen: the fake soname is the base name; no rtld, no NEEDED.
        assertEquals(List.of("libmal.so.1()(64bit)", "libmal.so.1(MAL_1.0)(64bit)", "libmal.so.1(MAL_1.1)(64bit)",
                "libmal.so.1(MAL_2.0)(64bit)"), caps.provides());
        assertEquals(List.of("libc.so.6(GLIBC_2.2.5)(64bit)"), caps.requires());
        assertTrue(caps.warnings().stream().anyMatch(w -> w.contains("sh_entsize is 0")));
    }

    @Test
    void emptySonameGivesNoSonameProvide() throws Exception {
        byte[] m = lib.clone();
        ByteBuffer b = le(m);
        Section dyn = section(ElfConstants.SHT_DYNAMIC);
        for (long off = dyn.offset(); off < dyn.offset() + dyn.size(); off += 16) {
            if (b.getLong((int) off) == ElfConstants.DT_SONAME) {
                b.putLong((int) off + 8, 0); // offset 0 of .dynstr is the empty string
            }
        }
        ElfCapabilities caps = survive(m);
        // Checked against rpm 4.18: an empty DT_SONAME is not replaced by the file name, it is filtered.
        assertEquals(List.of("libmal.so.1(MAL_1.0)(64bit)", "libmal.so.1(MAL_1.1)(64bit)",
                "libmal.so.1(MAL_2.0)(64bit)"), caps.provides());
        assertSameSetAsElfdeps(m, caps);
    }

    @Test
    void notElfAtAll() {
        assertThrows(ElfFormatException.class, () -> ElfFile.parse(ByteBuffer.wrap(new byte[0])));
        assertThrows(ElfFormatException.class,
                () -> ElfFile.parse(ByteBuffer.wrap("#!/bin/sh\necho hello\n".getBytes(StandardCharsets.US_ASCII))));
        byte[] badClass = lib.clone();
        badClass[4] = 3;
        assertThrows(ElfFormatException.class, () -> ElfFile.parse(ByteBuffer.wrap(badClass)));
        assertTrue(ElfFile.looksLikeElf(ByteBuffer.wrap(lib)));
        assertTrue(!ElfFile.looksLikeElf(ByteBuffer.wrap(badClass)));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static Section section(int type) {
        return parsed.sections().stream().filter(s -> s.type() == type).findFirst().orElseThrow();
    }

    private static int shdr(Section s) {
        return (int) (parsed.header().shoff() + (long) s.index() * 64);
    }

    private static ByteBuffer le(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** When rpm's elfdeps is installed, its de-duplicated answer on the crafted file must be ours. */
    private void assertSameSetAsElfdeps(byte[] bytes, ElfCapabilities caps) throws Exception {
        if (!ElfdepsOracle.available()) {
            return;
        }
        Path f = temp.resolve("libmal.so.1");
        Files.write(f, bytes);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        ElfdepsOracle.Answer want = ElfdepsOracle.one(f);
        assertEquals(caps.provides(), ElfCapabilities.sortedUnique(want.provides()));
        assertEquals(caps.requires(), ElfCapabilities.sortedUnique(want.requires()));
    }
}
