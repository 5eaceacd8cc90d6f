package org.symdex.elf;

/**
 * One section header. {@code name} is resolved through e_shstrndx, or empty when it cannot be.
 * {@code dataInFile} says whether [offset, offset+size) lies inside the file: libelf refuses the data of
 * a section that does not, and so elfdeps sees such a section as empty.
 */
public record Section(int index, String name, int type, long flags, long addr, long offset, long size,
                      int link, int info, long addralign, long entsize, boolean dataInFile) {

    /** Whether the section's bytes can be read (in the file and not SHT_NOBITS). */
    public boolean hasData() {
        return dataInFile && type != ElfConstants.SHT_NOBITS;
    }
}
