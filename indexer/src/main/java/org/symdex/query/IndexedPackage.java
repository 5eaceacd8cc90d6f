package org.symdex.query;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A package as the query side names it, read from the identity fields every package and file
 * document carries (so a hit needs no join).
 *
 * @param evr the Debian version verbatim or rpm's {@code [EPOCH:]VERSION-RELEASE} (Schema.PKG_EVR)
 * @param source the source package name as the reports compare it (Schema.sourceName)
 * @param labels its labels ({@code bookworm/main}, {@code Debian/trixie/main/amd64}), sorted bytewise;
 *     empty for none
 * @param file the indexed absolute path of the package file, or for a package a source lists its first
 *     location (URI): the identity of a package in the index
 * @param locations every URI a source lists it at (file the first); empty for a walked package
 */
public record IndexedPackage(String name, String evr, String arch, String source, List<String> labels, String file,
                             List<String> locations) {
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
        labels = labels == null ? List.of() : List.copyOf(labels);
        locations = locations == null ? List.of() : List.copyOf(locations);
    }

    /** A package found by walking a path (no locations). */
    public IndexedPackage(String name, String evr, String arch, String source, List<String> labels, String file) {
        this(name, evr, arch, source, labels, file, List.of());
    }

    /** The first label, "" when none: what json's {@code label} held when a package had one. */
    public String label() {
        return labels.isEmpty() ? "" : labels.get(0);
    }

    /** NAME-VERSION.ARCH, as repoclosure prints a package. */
    public String nevra() {
        return name + "-" + evr + "." + arch;
    }
}
