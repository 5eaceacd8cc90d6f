package org.symdex.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.cap.ElfdepsOracle;
import org.symdex.cap.TestPaths;

/**
 * The ELF header fields read as elfdeps' libelf (elfutils) reads them, capabilities.md §2.1: EI_VERSION
 * must be 1, e_version and e_ehsize are not looked at, and both header tables are read at their structure's
 * own size whatever e_phentsize and e_shentsize say; e_phnum PN_XNUM takes the count from section 0.
 * Every case is a fixture of fixtures/elf/bin patched here, written under its own name with the mode
 * given, and compared with the live oracle (raw lists and exit status) when rpm's elfdeps is installed.
 */
class ElfHeaderRulesTest {
    private static final Path BIN = TestPaths.root().resolve("fixtures/elf/bin");
    private static final Path GOLDEN = TestPaths.root().resolve("fixtures/elf/golden");

    @TempDir
    Path temp;

    // ---- EI_VERSION, e_version, e_ehsize ---------------------------------------------------------------

    /** libelf's determine_kind: EI_VERSION other than EV_CURRENT is not ELF; elfdeps prints nothing, exit 1. */
    @ParameterizedTest
    @CsvSource({"libfoo.so.1.0.0, 0", "libfoo.so.1.0.0, 2", "libfoo.so.1.0.0, 255", "libfoo32.so.1.0.0, 0",
            "libfoo32.so.1.0.0, 2", "libfoo-s390x.so.1.0.0, 0", "libfoo-s390x.so.1.0.0, 2"})
    void eiVersionOtherThan1IsNotElf(String fixture, int version) throws Exception {
        Path f = craft("EI_VERSION-" + version, fixture, "rw-r--r--", b -> b.put(6, (byte) version));
        Ours ours = ours(f);
        assertNotNull(ours.error, "not ELF to libelf, so nothing: " + ours);
        assertEquals("ELF header @0x6: EI_VERSION " + version + " is not 1 (EV_CURRENT)",
                ours.error.getMessage().substring(0, ours.error.getMessage().indexOf(')') + 1));
        assertSameAsElfdeps(f, ours);
    }

    /** e_version (not EI_VERSION) and e_ehsize are never checked by libelf when it reads a file. */
    @ParameterizedTest
    @CsvSource({"libfoo.so.1.0.0, 0, 64", "libfoo.so.1.0.0, 2, 64", "libfoo.so.1.0.0, -1, 64",
            "libfoo.so.1.0.0, 1, 0", "libfoo.so.1.0.0, 1, 63", "libfoo.so.1.0.0, 1, 65535",
            "libfoo32.so.1.0.0, 0, 52", "libfoo32.so.1.0.0, 1, 0", "libfoo32.so.1.0.0, 1, 64",
            "libfoo-s390x.so.1.0.0, 2, 64", "libfoo-s390x.so.1.0.0, 1, 65"})
    void eVersionAndEhsizeAreNotChecked(String fixture, int eVersion, int ehsize) throws Exception {
        Path f = craft("e_version-" + eVersion + "-e_ehsize-" + ehsize, fixture, "rw-r--r--", b -> {
            b.putInt(20, eVersion);
            b.putShort(is64(b) ? 52 : 40, (short) ehsize);
        });
        Ours ours = ours(f);
        assertGolden(fixture, ours);
        assertEquals(List.of(), ours.caps.warnings());
        assertSameAsElfdeps(f, ours);
    }

    // ---- program headers ---------------------------------------------------------------------------------

    /**
     * A 0644 PIE keeps its PT_INTERP whatever e_phentsize says, so it gets no requires (§2.4): libelf's
     * elf32_getphdr.c reads e_phnum entries of sizeof (Elf64_Phdr) from e_phoff and never reads e_phentsize.
     */
    @ParameterizedTest
    @CsvSource({"app-foo, 0", "app-foo, 1", "app-foo, 55", "app-foo, 57", "app-foo, 64", "app-foo, 65535",
            "app-foo32, 0", "app-foo32, 31", "app-foo32, 33", "app-foo32, 56",
            "app-foo-s390x, 0", "app-foo-s390x, 55", "app-foo-s390x, 65535"})
    void phentsizeIsNotRead(String fixture, int phentsize) throws Exception {
        Path f = craft("e_phentsize-" + phentsize, fixture, "rw-r--r--",
                b -> b.putShort(is64(b) ? 54 : 42, (short) phentsize));
        Ours ours = ours(f);
        assertNull(ours.error);
        assertEquals(ours.elf.header().phnum(), ours.elf.programHeaders().size());
        assertNotNull(ours.elf.interpreter());
        assertEquals(List.of(), ours.caps.rawProvides());
        assertEquals(List.of(), ours.caps.rawRequires(), "PT_INTERP and no x bit: no requires");
        int natural = ours.elf.is64() ? 56 : 32;
        assertEquals(List.of(String.format("ELF header @0x%x: e_phentsize %d is not %d; program headers read at %d "
                + "bytes each, as libelf does", ours.elf.is64() ? 54 : 42, phentsize, natural, natural)),
                ours.caps.warnings());
        assertSameAsElfdeps(f, ours);
    }

    /**
     * Whether the program header table fits is judged at the natural size too: the table of app-foo-0644
     * copied to the end of the file. With e_phentsize 65535 it still fits (no requires); cut by one byte it
     * does not, and with e_phentsize 1 and 55 bytes cut (13 bytes would fit, 13 × 56 do not) libelf refuses
     * the whole table, so elfdeps sees no PT_INTERP and prints the requires.
     */
    @ParameterizedTest
    @CsvSource({"56, 0, false", "65535, 0, false", "0, 0, false", "56, 1, true", "1, 55, true", "0, 1, true"})
    void programHeaderTableFitsAtItsNaturalSize(int phentsize, int cut, boolean refused) throws Exception {
        byte[] lib = fixture("app-foo-0644");
        ByteBuffer h = order(lib);
        int phoff = (int) h.getLong(32);
        int phnum = h.getShort(56);
        byte[] m = Arrays.copyOf(lib, lib.length + phnum * 56 - cut);
        System.arraycopy(lib, phoff, m, lib.length, phnum * 56 - cut);
        Path f = craft("phdrs-at-end-" + phentsize + "-cut" + cut, "app-foo-0644", "rw-r--r--", m, b -> {
            b.putLong(32, lib.length);
            b.putShort(54, (short) phentsize);
        });
        Ours ours = ours(f);
        assertNull(ours.error);
        if (refused) {
            assertEquals(List.of(), ours.elf.programHeaders());
            assertEquals(golden("app-foo.requires"), ours.caps.rawRequires());
            assertEquals(String.format("program header table @0x%x: 13 entries of 56 bytes run past the end of the "
                    + "%d-byte file; no program headers read, as libelf reads none", lib.length, m.length),
                    ours.caps.warnings().get(0));
        } else {
            assertEquals(13, ours.elf.programHeaders().size());
            assertEquals(List.of(), ours.caps.rawRequires());
        }
        assertSameAsElfdeps(f, ours);
    }

    /**
     * e_phnum PN_XNUM (0xffff): libelf's __elf_getphdrnum_rdlock (elf_getphdrnum.c) takes the count from
     * section 0's sh_info when there are section headers. app-foo's PT_INTERP is entry 1, so a count of 2
     * or more sees it and a count of 0 or 1 does not.
     */
    @ParameterizedTest
    @CsvSource({"app-foo-0644, 13, false", "app-foo-0644, 2, false", "app-foo-0644, 1, true",
            "app-foo-0644, 0, true", "app-foo-0644, 65536, true", "app-foo32, 11, false", "app-foo32, 1, true",
            "app-foo-s390x, 9, false", "app-foo-s390x, 1, true"})
    void pnXnumTakesTheCountFromSection0(String fixture, int shInfo, boolean interpUnseen) throws Exception {
        Path f = craft("pn_xnum-" + shInfo, fixture, "rw-r--r--", b -> {
            boolean is64 = is64(b);
            long shoff = is64 ? b.getLong(40) : b.getInt(32) & 0xffffffffL;
            b.putInt((int) shoff + (is64 ? 44 : 28), shInfo);
            b.putShort(is64 ? 56 : 44, (short) 0xffff);
        });
        Ours ours = ours(f);
        assertNull(ours.error);
        assertEquals(shInfo, ours.elf.header().phnum());
        assertEquals(interpUnseen, ours.elf.interpreter() == null);
        assertEquals(interpUnseen, !ours.caps.rawRequires().isEmpty());
        assertSameAsElfdeps(f, ours);
    }

    // ---- section headers ---------------------------------------------------------------------------------

    /** libelf's load_shdr_wrlock (elf32_getshdr.c) reads e_shnum × sizeof (Elf64_Shdr): e_shentsize is not read. */
    @ParameterizedTest
    @CsvSource({"libfoo.so.1.0.0, 0", "libfoo.so.1.0.0, 1", "libfoo.so.1.0.0, 63", "libfoo.so.1.0.0, 65",
            "libfoo.so.1.0.0, 65535", "libfoo32.so.1.0.0, 0", "libfoo32.so.1.0.0, 39", "libfoo32.so.1.0.0, 41",
            "libfoo32.so.1.0.0, 64", "libfoo-s390x.so.1.0.0, 0", "libfoo-s390x.so.1.0.0, 63",
            "libfoo-s390x.so.1.0.0, 65535", "app-foo, 1"})
    void shentsizeIsNotRead(String fixture, int shentsize) throws Exception {
        Path f = craft("e_shentsize-" + shentsize, fixture, fixture.equals("app-foo") ? "rwxr-xr-x" : "rw-r--r--",
                b -> b.putShort(is64(b) ? 58 : 46, (short) shentsize));
        Ours ours = ours(f);
        assertGolden(fixture, ours);
        int natural = ours.elf.is64() ? 64 : 40;
        assertEquals(List.of(String.format("ELF header @0x%x: e_shentsize %d is not %d; section headers read at %d "
                + "bytes each, as libelf does", ours.elf.is64() ? 58 : 46, shentsize, natural, natural)),
                ours.caps.warnings());
        assertSameAsElfdeps(f, ours);
    }

    /**
     * A section header table that does not fit at its natural size is refused whatever e_shentsize says:
     * libfoo's table ends the file, so with e_shentsize 1 and the last byte cut, 27 bytes would fit and
     * 27 × 64 do not. symdex reports the file unreadable; libelf's get_shnum (elf_begin.c) instead
     * "pretend[s] none were there", so elfdeps gives the answer of a file without section headers:
     * the known difference of capabilities.md §9.
     */
    @Test
    void sectionHeaderTableFitsAtItsNaturalSize() throws Exception {
        byte[] lib = fixture("libfoo.so.1.0.0");
        Path f = craft("shdrs-cut1-shentsize1", "libfoo.so.1.0.0", "rw-r--r--", Arrays.copyOf(lib, lib.length - 1),
                b -> b.putShort(58, (short) 1));
        Ours ours = ours(f);
        assertNotNull(ours.error);
        assertEquals(String.format("section header table @0x3630: 27 entries of 64 bytes run past the end of the "
                + "%d-byte file", lib.length - 1), ours.error.getMessage());
        if (ElfdepsOracle.available()) {
            ElfdepsOracle.Answer want = ElfdepsOracle.one(f);
            assertEquals(new ElfdepsOracle.Answer(List.of("libfoo.so.1.0.0()(64bit)"), 0, List.of(), 0), want);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** Our answer for a file on disk, as ElfdepsLiveTest derives it: its mode and its path. */
    private record Ours(ElfFile elf, ElfCapabilities caps, ElfFormatException error) {
    }

    private static Ours ours(Path f) throws IOException {
        int mode = (Integer) Files.getAttribute(f, "unix:mode");
        try {
            ElfFile elf = ElfFile.parse(ByteBuffer.wrap(Files.readAllBytes(f)), false);
            return new Ours(elf, CapabilityDeriver.derive(elf, f.toString(), mode), null);
        } catch (ElfFormatException e) {
            return new Ours(null, null, e);
        }
    }

    /**
     * When rpm's elfdeps is installed: a file we read gives its raw lists and exit status 0; a file we
     * refuse with ElfFormatException is one elfdeps prints nothing for, exit status 1.
     */
    private static void assertSameAsElfdeps(Path f, Ours ours) {
        if (!ElfdepsOracle.available()) {
            return;
        }
        ElfdepsOracle.Answer want = ElfdepsOracle.one(f);
        ElfdepsOracle.Answer have = ours.error != null ? new ElfdepsOracle.Answer(List.of(), 1, List.of(), 1)
                : new ElfdepsOracle.Answer(ours.caps.rawProvides(), 0, ours.caps.rawRequires(), 0);
        assertEquals(want, have, "elfdeps on " + f);
    }

    private static void assertGolden(String fixture, Ours ours) throws IOException {
        assertNull(ours.error, () -> "read as the intact " + fixture + ": " + ours.error.getMessage());
        assertEquals(golden(fixture + ".provides"), ours.caps.rawProvides());
        assertEquals(golden(fixture + ".requires"), ours.caps.rawRequires());
    }

    private static List<String> golden(String name) throws IOException {
        return new String(Files.readAllBytes(GOLDEN.resolve(name)), StandardCharsets.ISO_8859_1).lines().toList();
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(BIN.resolve(name));
    }

    private Path craft(String label, String fixture, String mode, Consumer<ByteBuffer> patch) throws IOException {
        return craft(label, fixture, mode, fixture(fixture), patch);
    }

    /**
     * Patches {@code bytes} (in the file's own byte order) and writes them under the fixture's name, in a
     * directory of the case's own: a fake soname is made from the name.
     */
    private Path craft(String label, String fixture, String mode, byte[] bytes, Consumer<ByteBuffer> patch)
            throws IOException {
        patch.accept(order(bytes));
        Path dir = Files.createDirectories(temp.resolve(label));
        Path f = dir.resolve(fixture);
        Files.write(f, bytes);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static ByteBuffer order(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(bytes[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean is64(ByteBuffer b) {
        return b.get(4) == 2;
    }
}
