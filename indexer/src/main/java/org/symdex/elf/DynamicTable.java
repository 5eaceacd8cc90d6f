package org.symdex.elf;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one SHT_DYNAMIC section, every entry up to sh_size (elfdeps does not stop at DT_NULL;
 * capabilities.md §2.8). {@code entsizeZero} marks a section whose sh_entsize is 0: rpm 4.20 skips such a
 * section (4.18 divides by zero), so the capability deriver ignores it while the facts are still read.
 */
public record DynamicTable(int sectionIndex, List<DynamicEntry> entries, boolean entsizeZero) {

    public DynamicTable {
        entries = List.copyOf(entries);
    }

    public boolean has(long tag) {
        for (DynamicEntry e : entries) {
            if (e.tag() == tag) {
                return true;
            }
        }
        return false;
    }

    /** Resolved strings of every entry with this tag, in section order. */
    public List<String> strings(long tag) {
        List<String> out = new ArrayList<>();
        for (DynamicEntry e : entries) {
            if (e.tag() == tag && e.string() != null) {
                out.add(e.string());
            }
        }
        return out;
    }

    /** Value of the last entry with this tag, or -1 when absent. */
    public long value(long tag) {
        long v = -1;
        for (DynamicEntry e : entries) {
            if (e.tag() == tag) {
                v = e.value();
            }
        }
        return v;
    }
}
