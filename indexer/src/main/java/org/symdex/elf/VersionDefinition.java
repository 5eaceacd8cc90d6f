package org.symdex.elf;

import java.util.List;

/**
 * One Elf_Verdef of .gnu.version_d. {@code names} follows the verdaux chain (vd_aux, then vda_next) for at
 * most vd_cnt entries and stops at the first that cannot be read or resolved: names[0] is the version's
 * own name, the rest its parents. {@code count} is vd_cnt as stored, which elfdeps uses verbatim (§2.6).
 */
public record VersionDefinition(int offset, int version, int flags, int index, int count, long hash,
                                List<String> names) {

    public VersionDefinition {
        names = List.copyOf(names);
    }

    public boolean isBase() {
        return (flags & ElfConstants.VER_FLG_BASE) != 0;
    }

    /** The version's own name, or null when its first verdaux could not be resolved. */
    public String name() {
        return names.isEmpty() ? null : names.get(0);
    }
}
