package org.symdex.elf;

import java.util.List;

/** One Elf_Verneed of .gnu.version_r: the needed file (a soname) and the versions required from it. */
public record VersionNeed(int offset, int version, String file, List<Aux> versions) {

    public VersionNeed {
        versions = List.copyOf(versions);
    }

    /** One Elf_Vernaux: {@code index} is vna_other, the number .gnu.version uses for this version. */
    public record Aux(long hash, int flags, int index, String name) {
        public boolean isWeak() {
            return (flags & ElfConstants.VER_FLG_WEAK) != 0;
        }
    }
}
