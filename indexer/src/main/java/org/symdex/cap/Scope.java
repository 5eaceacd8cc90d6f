package org.symdex.cap;

import java.util.Locale;
import java.util.Map;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;

/**
 * Where an ELF capability means something: the ELF's own machine and class, e.g. {@code x86-64/64},
 * {@code i386/32}, {@code x86-64/32} (x32), {@code aarch64/64}. A package's architecture label does not
 * decide it: amd64's lib32 packages ship i386 ELF. Declared (RPM header) capabilities take the scope of
 * the package's architecture, see {@link #ofArch}.
 */
public record Scope(String machine, int bits) implements Comparable<Scope> {
    private static final Map<String, Scope> ARCHES = Map.ofEntries(
            Map.entry("amd64", new Scope("x86-64", 64)), Map.entry("x86_64", new Scope("x86-64", 64)),
            Map.entry("i386", new Scope("i386", 32)), Map.entry("i486", new Scope("i386", 32)),
            Map.entry("i586", new Scope("i386", 32)), Map.entry("i686", new Scope("i386", 32)),
            Map.entry("x32", new Scope("x86-64", 32)),
            Map.entry("arm64", new Scope("aarch64", 64)), Map.entry("aarch64", new Scope("aarch64", 64)),
            Map.entry("armhf", new Scope("arm", 32)), Map.entry("armel", new Scope("arm", 32)),
            Map.entry("armv7hl", new Scope("arm", 32)),
            Map.entry("ppc64el", new Scope("ppc64", 64)), Map.entry("ppc64le", new Scope("ppc64", 64)),
            Map.entry("s390x", new Scope("s390", 64)), Map.entry("riscv64", new Scope("riscv", 64)),
            Map.entry("mips64el", new Scope("mips", 64)), Map.entry("mipsel", new Scope("mips", 32)));

    public static Scope of(ElfFile elf) {
        return new Scope(ElfConstants.machineName(elf.machine()), elf.is64() ? 64 : 32);
    }

    /** The scope of a package architecture label, or null for arch-independent or unknown labels. */
    public static Scope ofArch(String arch) {
        return ARCHES.get(arch.toLowerCase(Locale.ROOT));
    }

    /** Parses {@link #toString()}'s form. */
    public static Scope parse(String s) {
        int slash = s.lastIndexOf('/');
        return new Scope(s.substring(0, slash), Integer.parseInt(s.substring(slash + 1)));
    }

    @Override
    public String toString() {
        return machine + "/" + bits;
    }

    @Override
    public int compareTo(Scope o) {
        int c = machine.compareTo(o.machine);
        return c != 0 ? c : Integer.compare(bits, o.bits);
    }
}
