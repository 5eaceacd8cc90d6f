package org.symdex.elf;

import java.util.Locale;
import java.util.Map;

/**
 * The open number spaces of ELF (e_type, e_machine, sh_type, d_tag) as int constants with name lookups
 * that never fail: an unknown value prints as a number. Only the values symdex reads are named.
 */
public final class ElfConstants {
    private ElfConstants() {
    }

    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    /** The one EI_VERSION libelf takes for ELF. */
    public static final int EV_CURRENT = 1;

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    public static final int EM_386 = 3;
    public static final int EM_X86_64 = 62;
    public static final int EM_ALPHA = 41;
    /** The number alpha used before EM_ALPHA was assigned; elfdeps treats it like EM_ALPHA. */
    public static final int EM_FAKE_ALPHA = 0x9026;

    /** e_phnum meaning "the count is section 0's sh_info" (gABI extended numbering). */
    public static final int PN_XNUM = 0xffff;

    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;

    public static final int SHT_NULL = 0;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_DYNAMIC = 6;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_GNU_VERDEF = 0x6ffffffd;
    public static final int SHT_GNU_VERNEED = 0x6ffffffe;
    public static final int SHT_GNU_VERSYM = 0x6fffffff;

    public static final int SHN_UNDEF = 0;
    public static final int SHN_XINDEX = 0xffff;

    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_HASH = 4;
    public static final long DT_SONAME = 14;
    public static final long DT_RPATH = 15;
    public static final long DT_DEBUG = 21;
    public static final long DT_FLAGS = 30;
    public static final long DT_RUNPATH = 29;
    public static final long DT_GNU_HASH = 0x6ffffef5L;
    public static final long DT_FLAGS_1 = 0x6ffffffbL;

    public static final int VER_FLG_BASE = 0x1;
    public static final int VER_FLG_WEAK = 0x2;
    /** Bit of a .gnu.version entry: the symbol is a non-default version ({@code sym@V}, not {@code sym@@V}). */
    public static final int VERSYM_HIDDEN = 0x8000;
    public static final int VERSYM_INDEX_MASK = 0x7fff;

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int STB_GNU_UNIQUE = 10;

    private static final Map<Integer, String> TYPES = Map.of(0, "NONE", ET_REL, "REL", ET_EXEC, "EXEC",
            ET_DYN, "DYN", ET_CORE, "CORE");

    private static final Map<Integer, String> MACHINES = Map.ofEntries(
            Map.entry(2, "sparc"), Map.entry(EM_386, "i386"), Map.entry(4, "m68k"), Map.entry(8, "mips"),
            Map.entry(15, "parisc"), Map.entry(18, "sparc32plus"), Map.entry(20, "ppc"), Map.entry(21, "ppc64"),
            Map.entry(22, "s390"), Map.entry(40, "arm"), Map.entry(42, "sh"), Map.entry(43, "sparcv9"),
            Map.entry(50, "ia64"), Map.entry(EM_X86_64, "x86-64"), Map.entry(183, "aarch64"),
            Map.entry(243, "riscv"), Map.entry(258, "loongarch"), Map.entry(EM_ALPHA, "alpha"),
            Map.entry(EM_FAKE_ALPHA, "alpha"));

    private static final Map<Integer, String> BINDINGS = Map.of(STB_LOCAL, "LOCAL", STB_GLOBAL, "GLOBAL",
            STB_WEAK, "WEAK", STB_GNU_UNIQUE, "UNIQUE");

    private static final Map<Integer, String> SYMBOL_TYPES = Map.of(0, "NOTYPE", 1, "OBJECT", 2, "FUNC",
            3, "SECTION", 4, "FILE", 5, "COMMON", 6, "TLS", 10, "IFUNC");

    /** e_type name such as {@code DYN}; unknown values print as a number. */
    public static String typeName(int type) {
        return TYPES.getOrDefault(type, Integer.toString(type));
    }

    /** e_machine name such as {@code x86-64}; unknown values print as {@code EM_<n>}. */
    public static String machineName(int machine) {
        String name = MACHINES.get(machine);
        return name != null ? name : "EM_" + machine;
    }

    public static String bindingName(int binding) {
        return BINDINGS.getOrDefault(binding, Integer.toString(binding));
    }

    public static String symbolTypeName(int type) {
        return SYMBOL_TYPES.getOrDefault(type, Integer.toString(type));
    }

    static String hex(long value) {
        return String.format(Locale.ROOT, "0x%x", value);
    }
}
