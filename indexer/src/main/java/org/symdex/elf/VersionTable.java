package org.symdex.elf;

import java.util.List;

/**
 * The parsed chain of one SHT_GNU_verdef or SHT_GNU_verneed section, kept with its section index because
 * elfdeps emits capabilities in section-table order (capabilities.md §2.3).
 *
 * <p>{@code entries} holds each distinct entry once. elfdeps reads sh_info entries whatever the chain does:
 * when the chain returns to an entry it has read (a vd_next of 0 on the last entry, with sh_info larger
 * than the chain), it reads the cycle again and again. {@code cycleFrom} is the index in {@code entries}
 * where that cycle starts, or -1 when the chain ended (all sh_info entries read, or a bad entry);
 * {@link #readOrder} replays what elfdeps reads.
 */
public sealed interface VersionTable {
    int sectionIndex();

    /** sh_info, the number of entries elfdeps reads. */
    long count();

    int cycleFrom();

    /** Number of distinct entries. */
    int size();

    /**
     * Index into the entries of the i-th entry elfdeps reads, for i below {@link #readLength(long)}:
     * past the distinct entries, the cycle repeats.
     */
    default int readOrder(long i) {
        int n = size();
        return i < n ? (int) i : (int) (cycleFrom() + (i - n) % (n - cycleFrom()));
    }

    /** How many entries elfdeps reads, at most {@code cap}. */
    default long readLength(long cap) {
        return cycleFrom() < 0 ? size() : Math.min(count(), cap);
    }

    record Definitions(int sectionIndex, List<VersionDefinition> entries, long count, int cycleFrom)
            implements VersionTable {
        public Definitions {
            entries = List.copyOf(entries);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }

    record Needs(int sectionIndex, List<VersionNeed> entries, long count, int cycleFrom) implements VersionTable {
        public Needs {
            entries = List.copyOf(entries);
        }

        @Override
        public int size() {
            return entries.size();
        }
    }
}
