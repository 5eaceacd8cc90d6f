package org.symdex.elf;

import java.nio.ByteOrder;

/**
 * The ELF file header, with e_shnum, e_shstrndx and e_phnum (PN_XNUM) already resolved through section 0 when
 * extended. A count past Integer.MAX_VALUE is held as that: no such table fits in a file symdex reads.
 */
public record ElfHeader(int elfClass, ByteOrder byteOrder, int osAbi, int type, int machine, long entry,
                        long phoff, int phentsize, int phnum, long shoff, int shentsize, int shnum,
                        int shstrndx, int flags) {

    public boolean is64() {
        return elfClass == ElfConstants.ELFCLASS64;
    }
}
