package org.symdex.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;

/**
 * Fuzzes the ELF reader and the capability rules together, as Go's debug/elf FuzzReader does: parse,
 * then call every accessor, then derive provides and requires under an executable and a plain mode
 * (the mode gates requires, capabilities.md §2.4). The only documented failure is
 * {@link ElfFormatException}; problems further in must become warnings.
 *
 * <p>Seeds: the fixture ELF files of fixtures/elf/bin up to 70 KB (64- and 32-bit, little- and
 * big-endian, x32, s390 31-bit, aarch64, no section headers, looping and oversized version chains,
 * sh_entsize 0), in ElfFuzzTestInputs/parseAndDerive.
 */
class ElfFuzzTest {
    static {
        FuzzContract.warmUpElf();
    }

    // @Timeout turns into libFuzzer's -timeout in fuzzing mode: a hang is a finding after 10 s instead
    // of libFuzzer's default 1200 s. The contract's own 2 s bound catches what returns slowly.
    @Timeout(10)
    @FuzzTest
    void parseAndDerive(byte[] input) {
        FuzzContract.check(() -> {
            ElfFile elf = ElfFile.parse(ByteBuffer.wrap(input), true);
            touch(elf);
            check(CapabilityDeriver.derive(elf, "/usr/lib/x86_64-linux-gnu/libfuzz.so.1", 0755));
            check(CapabilityDeriver.derive(elf, "/usr/share/fuzz/fuzz.bin", 0644));
        }, List.of(ElfFormatException.class));
    }

    /** Every accessor, so that a lazily failing one would show here too. */
    private static void touch(ElfFile elf) {
        elf.header();
        elf.programHeaders().size();
        elf.sections().size();
        elf.interpreter();
        elf.dynamicTables().size();
        elf.dynamicSymbols().size();
        elf.warnings().size();
        elf.hasSymbolVersions();
        elf.soname();
        elf.needed();
        elf.runpath();
        elf.rpath();
        elf.versionDefinitions();
        elf.versionNeeds();
    }

    /** The sorted lists must be the sorted-unique raw ones: what packages and the index store. */
    private static void check(ElfCapabilities caps) {
        if (!caps.provides().equals(ElfCapabilities.sortedUnique(caps.rawProvides()))
                || !caps.requires().equals(ElfCapabilities.sortedUnique(caps.rawRequires()))) {
            throw new AssertionError("sorted lists differ from the raw ones: " + caps);
        }
    }
}
