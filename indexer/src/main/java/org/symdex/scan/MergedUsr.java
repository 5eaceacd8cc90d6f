package org.symdex.scan;

/**
 * Merged /usr (Debian since 12, Fedora since 17): {@code /bin}, {@code /sbin} and {@code /lib*} are
 * symlinks into {@code /usr}, so {@code /lib/x86_64-linux-gnu/libz.so.1} and
 * {@code /usr/lib/x86_64-linux-gnu/libz.so.1} are one file, whichever of the two a package ships.
 */
public final class MergedUsr {
    private MergedUsr() {
    }

    /** The other name of {@code path} on a merged-/usr system, or null when it has none. */
    public static String twin(String path) {
        if (path.startsWith("/usr/")) {
            String rest = path.substring(4);
            return isMerged(rest) ? rest : null;
        }
        return isMerged(path) ? "/usr" + path : null;
    }

    /** {@code /bin/...}, {@code /sbin/...}, {@code /lib/...}, {@code /lib64/...}, {@code /libx32/...}: the merged top directories. */
    private static boolean isMerged(String path) {
        int slash = path.indexOf('/', 1);
        if (slash < 0) {
            return false;
        }
        String top = path.substring(1, slash);
        return top.equals("bin") || top.equals("sbin") || top.startsWith("lib");
    }
}
