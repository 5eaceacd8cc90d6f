package org.symdex.report;

import java.util.Objects;

/**
 * A package as reports name it. {@code version} is the Debian version verbatim or
 * {@code [EPOCH:]VERSION-RELEASE}; {@code source} the source package; {@code file} where it was read.
 */
public record PackageRef(String name, String version, String arch, String source, String file) {
    public PackageRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        source = source == null || source.isEmpty() ? name : source;
        file = file == null ? "" : file;
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
