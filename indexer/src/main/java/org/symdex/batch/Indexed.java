package org.symdex.batch;

import java.util.List;

/**
 * What the index held for one package key when the run began (package or failure document).
 *
 * @param key {@code pkg.file}: a path for a walked package, the first location for a listed one
 * @param failure a failure document (the package could not be read)
 * @param size bytes when indexed (listed: the listed size)
 * @param mtime nanoseconds since the epoch when indexed (0 for listed packages)
 * @param labels its labels, sorted
 * @param sha256 its SHA-256 (null for failure documents)
 * @param locations where sources list it (empty: found by walking a path)
 * @param checksum the declared checksum when not SHA-256 ({@code sha1:HEX}), else ""
 * @param message a failure document's message, else null
 */
record Indexed(String key, boolean failure, long size, long mtime, List<String> labels, String sha256,
               List<String> locations, String checksum, String message) {
    Indexed {
        labels = List.copyOf(labels);
        locations = List.copyOf(locations);
    }

    /** Listed by a source (else found by walking a path). */
    boolean listed() {
        return !locations.isEmpty();
    }
}
