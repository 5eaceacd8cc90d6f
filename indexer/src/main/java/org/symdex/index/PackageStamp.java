package org.symdex.index;

import java.util.List;
import java.util.Objects;

/**
 * What identifies one package file on disk for the incremental run: a package whose stamp equals the
 * indexed one is skipped without being read (issue 4, item 3).
 *
 * @param file absolute normalised path of the package file
 * @param size bytes
 * @param mtime last modification, nanoseconds since the epoch (what the file system keeps)
 * @param labels the package's labels (bookworm/main, Debian/trixie/main/amd64), sorted bytewise and
 *     unique; empty for none
 * @param locations a package a source lists: every URI it is listed at, bytewise order, {@code file} the
 *     first (mtime is then 0); empty for a package found by walking a path
 * @param checksum the checksum its source declared when not SHA-256 ({@code sha1:HEX}), else ""
 */
public record PackageStamp(String file, long size, long mtime, List<String> labels, List<String> locations,
                           String checksum) {
    public PackageStamp {
        Objects.requireNonNull(file, "file");
        labels = sortedLabels(labels);
        locations = List.copyOf(locations);
        Objects.requireNonNull(checksum, "checksum");
    }

    /** A package found by walking a path. */
    public PackageStamp(String file, long size, long mtime, List<String> labels) {
        this(file, size, mtime, labels, List.of(), "");
    }

    /** The same package with other labels. */
    public PackageStamp withLabels(List<String> newLabels) {
        return new PackageStamp(file, size, mtime, newLabels, locations, checksum);
    }

    /** Whether a source lists it (else it was found by walking a path). */
    public boolean listed() {
        return !locations.isEmpty();
    }

    /** A stamp with one label, none when {@code label} is empty. */
    public PackageStamp(String file, long size, long mtime, String label) {
        this(file, size, mtime, label.isEmpty() ? List.of() : List.of(label));
    }

    /** Labels as the index keeps them: no empty one, unique, in bytewise (UTF-8) order. */
    public static List<String> sortedLabels(java.util.Collection<String> labels) {
        java.util.TreeSet<String> set = new java.util.TreeSet<>((a, b) -> java.util.Arrays.compareUnsigned(
                a.getBytes(java.nio.charset.StandardCharsets.UTF_8), b.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        for (String l : labels) {
            if (!l.isEmpty()) {
                set.add(l);
            }
        }
        return List.copyOf(set);
    }
}
