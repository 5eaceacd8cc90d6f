package org.symdex.query;

import java.util.Comparator;
import java.util.Objects;

/**
 * A package as the query side names it, read from the identity fields every package and file
 * document carries (so a hit needs no join).
 *
 * @param evr the Debian version verbatim or rpm's {@code [EPOCH:]VERSION-RELEASE} (Schema.PKG_EVR)
 * @param source the source package name as the reports compare it (Schema.sourceName)
 * @param label the label of the run that indexed it ({@code bookworm/main}); may be empty
 * @param file the indexed absolute path of the package file: the identity of a package in the index
 */
public record IndexedPackage(String name, String evr, String arch, String source, String label, String file) {
    /** The tsv column order: NAME, VERSION, ARCH, then PACKAGE-FILE to tell same-NEVRA files apart. */
    public static final Comparator<IndexedPackage> ORDER = Comparator.comparing(IndexedPackage::name)
            .thenComparing(IndexedPackage::evr).thenComparing(IndexedPackage::arch)
            .thenComparing(IndexedPackage::file);

    public IndexedPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(evr, "evr");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(file, "file");
        source = source == null || source.isEmpty() ? name : source;
        label = label == null ? "" : label;
    }

    /** NAME-VERSION.ARCH, as repoclosure prints a package. */
    public String nevra() {
        return name + "-" + evr + "." + arch;
    }
}
