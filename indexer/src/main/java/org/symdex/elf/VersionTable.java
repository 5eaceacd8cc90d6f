package org.symdex.elf;

import java.util.List;

/**
 * The parsed chain of one SHT_GNU_verdef or SHT_GNU_verneed section, kept with its section index because
 * elfdeps emits capabilities in section-table order (capabilities.md §2.3).
 */
public sealed interface VersionTable {
    int sectionIndex();

    record Definitions(int sectionIndex, List<VersionDefinition> entries) implements VersionTable {
        public Definitions {
            entries = List.copyOf(entries);
        }
    }

    record Needs(int sectionIndex, List<VersionNeed> entries) implements VersionTable {
        public Needs {
            entries = List.copyOf(entries);
        }
    }
}
