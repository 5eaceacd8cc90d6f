package org.symdex.cap;

import java.util.List;
import java.util.TreeSet;

/**
 * What one ELF file provides and requires. {@code rawProvides}/{@code rawRequires} are elfdeps' output in
 * its own order with its duplicates (capabilities.md §2.1); {@code provides}/{@code requires} are the same
 * de-duplicated and sorted bytewise, which is what packages and the index use.
 */
public record ElfCapabilities(List<String> rawProvides, List<String> rawRequires, List<String> provides,
                              List<String> requires, List<String> warnings) {

    public static final ElfCapabilities NONE = of(List.of(), List.of(), List.of());

    public ElfCapabilities {
        rawProvides = List.copyOf(rawProvides);
        rawRequires = List.copyOf(rawRequires);
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
        warnings = List.copyOf(warnings);
    }

    /** Builds the sorted views from raw elfdeps-order lists. */
    public static ElfCapabilities of(List<String> rawProvides, List<String> rawRequires, List<String> warnings) {
        return new ElfCapabilities(rawProvides, rawRequires, sortedUnique(rawProvides), sortedUnique(rawRequires),
                warnings);
    }

    public boolean isEmpty() {
        return rawProvides.isEmpty() && rawRequires.isEmpty();
    }

    /**
     * De-duplicated and sorted as {@code LC_ALL=C sort -u} would: names are ISO-8859-1 strings, so
     * String's natural order is byte order.
     */
    public static List<String> sortedUnique(Iterable<String> caps) {
        TreeSet<String> set = new TreeSet<>();
        for (String c : caps) {
            set.add(c);
        }
        return List.copyOf(set);
    }
}
