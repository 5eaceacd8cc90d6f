package org.symdex.elf;

/**
 * One .dynsym entry with its .gnu.version entry. {@code versionIndex} is the low 15 bits (0 local,
 * 1 global/base, 2 and up a version of .gnu.version_d or .gnu.version_r); {@code hidden} is bit 15.
 * {@code version} is the index's version name, or null for index 0/1 or an index no table defines.
 * {@code versionFile} is, for a version that comes from .gnu.version_r, the file (soname) that entry
 * names: where ld.so expects the version to be defined. Null otherwise.
 */
public record DynamicSymbol(int index, String name, int binding, int type, int visibility, int shndx,
                            long value, long size, int versionIndex, boolean hidden, String version,
                            String versionFile) {

    public boolean isDefined() {
        return shndx != ElfConstants.SHN_UNDEF;
    }

    public boolean isWeak() {
        return binding == ElfConstants.STB_WEAK;
    }

    /**
     * The name as binutils and ld.so write it: {@code sym@@V} for a default definition of a version this
     * file defines (.gnu.version_d), {@code sym@V} for a hidden one, a reference, or a definition whose
     * version comes from .gnu.version_r (a data symbol an executable holds by copy relocation: readelf
     * writes {@code _ZSt4cout@GLIBCXX_3.4}), and the bare name when unversioned.
     */
    public String versionedName() {
        if (version == null) {
            return name;
        }
        return name + (isDefined() && !hidden && versionFile == null ? "@@" : "@") + version;
    }
}
