package org.symdex.report;

import java.util.List;

import java.util.Objects;

/**
 * A package as reports name it. {@code version} is the Debian version verbatim or
 * {@code [EPOCH:]VERSION-RELEASE}; {@code source} the source package; {@code file} where it was read;
 * {@code labels} the suites and repositories that list it (sorted bytewise; empty for none).
 */
public record PackageRef(String name, String version, String arch, String source, String file, List<String> labels) {
    public PackageRef {
        labels = labels == null ? List.of() : List.copyOf(labels);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        source = source == null || source.isEmpty() ? name : source;
        file = file == null ? "" : file;
    }

    /** A package without labels (a file given on the command line). */
    public PackageRef(String name, String version, String arch, String source, String file) {
        this(name, version, arch, source, file, List.of());
    }

    /** (name, arch): what a candidate replaces. */
    public String key() {
        return name + ":" + arch;
    }

    /** NAME-VERSION.ARCH, as repoclosure prints a package. */
    public String nevra() {
        return name + "-" + version + "." + arch;
    }
}
