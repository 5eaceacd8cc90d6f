package org.symdex.pkg;

import java.util.Objects;

/**
 * One file-system object of a package's payload, in archive order.
 *
 * @param path the installed path, starting with "/" ("./usr/bin/x" in the archive → "/usr/bin/x");
 *     bytes decoded as ISO-8859-1 so that they round-trip
 * @param kind what the entry is
 * @param mode permission bits (07777) as recorded in the archive: what the file has once installed
 * @param size bytes of data that follow (0 for a {@link Kind#HARD_LINK})
 * @param linkTarget for a symlink its target; for a hard link the installed path of the entry that
 *     carried the data; otherwise ""
 */
public record PackageEntry(String path, Kind kind, int mode, long size, String linkTarget) {

    public enum Kind { FILE, HARD_LINK, SYMLINK, DIRECTORY, OTHER }

    public PackageEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(linkTarget, "linkTarget");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + path);
        }
    }

    /**
     * "./usr/bin/x", "usr/bin/x" and "/usr/bin/x" all install to "/usr/bin/x" (dpkg and rpm
     * both strip the leading "." of archive names).
     */
    static String installedPath(String archiveName) {
        String s = archiveName;
        if (s.startsWith("./")) {
            s = s.substring(1);
        } else if (s.equals(".")) {
            s = "/";
        } else if (!s.startsWith("/")) {
            s = "/" + s;
        }
        if (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
