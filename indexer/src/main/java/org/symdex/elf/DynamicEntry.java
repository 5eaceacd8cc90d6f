package org.symdex.elf;

/**
 * One entry of a dynamic section. For the string-valued tags (DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH)
 * {@code string} is the value resolved in the section's sh_link string table, or null when it cannot be
 * resolved (elfdeps then skips the entry).
 */
public record DynamicEntry(long tag, long value, String string) {
}
