package org.symdex.source;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A package as a source lists it: where to read it, how big it is, its checksum, and the labels
 * of every source position that lists it. Read it with {@link VerifyingInputStream#open}.
 *
 * <p>Many thousands of these are held at once (bookworm main amd64 lists 63,440), so the location
 * is kept as the repository's base URI (shared) plus the relative path, and {@link #uri} resolves
 * it on demand; labels lists are shared between packages with the same labels.
 *
 * @param name Debian's Package / rpm's name
 * @param version Debian's Version; rpm's [EPOCH:]VER-REL (epoch shown when not 0)
 * @param arch Debian's Architecture / rpm's arch
 * @param source the source package's name: Debian's Source without its version, else Package;
 *     rpm: the name part of the source rpm, else the name
 * @param section Debian's Section ("" when absent, and for rpm)
 * @param base the URI the path is relative to (the archive root, or rpm-md's {@code xml:base})
 * @param path Debian's Filename / rpm-md's location href: relative, without ".."
 * @param size the listed size in bytes
 * @param checksum the listed checksum (Debian: SHA256; rpm-md: whatever the repository uses)
 * @param labels the labels of the sources that list it, sorted, at least one
 */
public record ListedPackage(String name, String version, String arch, String source, String section,
        URI base, String path, long size, Checksum checksum, List<String> labels) {

    public ListedPackage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(checksum, "checksum");
        labels = List.copyOf(labels);
        String problem = RelativePaths.problem(path);
        if (problem != null) {
            throw new IllegalArgumentException(problem + ": '" + path + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a listed package has at least one label: " + name);
        }
    }

    /** Where to read the package. */
    public URI uri() {
        return RelativePaths.resolve(base, path);
    }

    /** The same package with other labels. */
    public ListedPackage withLabels(List<String> newLabels) {
        return new ListedPackage(name, version, arch, source, section, base, path, size, checksum, newLabels);
    }

    /** {@code name_version_arch}, for messages. */
    @Override
    public String toString() {
        return name + "_" + version + "_" + arch;
    }
}
