package org.symdex.elf;

import java.nio.ByteOrder;

/** The ELF file header, with e_shnum and e_shstrndx already resolved through section 0 when extended. */
public record ElfHeader(int elfClass, ByteOrder byteOrder, int osAbi, int type, int machine, long entry,
                        long phoff, int phentsize, int phnum, long shoff, int shentsize, int shnum,
                        int shstrndx, int flags) {

    public boolean is64() {
        return elfClass == ElfConstants.ELFCLASS64;
    }
}
