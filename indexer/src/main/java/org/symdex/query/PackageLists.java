package org.symdex.query;

import java.util.List;
import java.util.Objects;

/**
 * One package's provides or requires, as {@code provides PKG}/{@code requires PKG} answer: each ELF
 * file's capabilities, exactly elfdeps' lists, plus, for rpm, the header's declared list as
 * {@code rpm -qp --provides} prints it ({@code name} or {@code name OP evr}; path null).
 *
 * @param entries sorted by {@link CapabilityHit#ORDER}
 */
public record PackageLists(IndexedPackage pkg, String format, List<CapabilityHit> entries) {
    public PackageLists {
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(format, "format");
        entries = List.copyOf(entries);
    }

    /** The package's list: every entry's capability once, sorted bytewise, as rpm -qp prints a package's list. */
    public List<String> capabilities() {
        return entries.stream().map(CapabilityHit::capability).distinct().sorted().toList();
    }
}
