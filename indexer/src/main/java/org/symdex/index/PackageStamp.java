package org.symdex.index;

import java.util.Objects;

/**
 * What identifies one package file on disk for the incremental run: a package whose stamp equals the
 * indexed one is skipped without being read (issue 4, item 3).
 *
 * @param file absolute normalised path of the package file
 * @param size bytes
 * @param mtime last modification, nanoseconds since the epoch (what the file system keeps)
 * @param label the run's label, "" when none; a package moved to another label is re-indexed
 */
public record PackageStamp(String file, long size, long mtime, String label) {
    public PackageStamp {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(label, "label");
    }
}
