package org.symdex.source;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Paths that metadata gives relative to a repository (Debian's Filename, rpm-md's location href):
 * they may only go down. An absolute path or a ".." segment would let hostile metadata point the
 * reader anywhere on the server or the machine, so it is the source's failure (issue item 2).
 */
final class RelativePaths {
    private RelativePaths() {
    }

    /** Why {@code path} is not a safe relative path, or null if it is. */
    static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "control character in path";
            }
        }
        for (String seg : path.split("/", -1)) {
            if (seg.equals("..")) {
                return "'..' in path";
            }
        }
        return null;
    }

    /**
     * {@code base} + {@code path}, the path quoted as a URI path (a space becomes %20, a '%' %25):
     * metadata gives file names, not URI references. A first segment with ':' is prefixed with
     * "./" so that it cannot read as a scheme.
     */
    static URI resolve(URI base, String path) {
        String p = path;
        int slash = p.indexOf('/');
        if (p.substring(0, slash < 0 ? p.length() : slash).indexOf(':') >= 0) {
            p = "./" + p;
        }
        try {
            return base.resolve(new URI(null, null, p, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot quote path '" + path + "': " + e.getReason(), e);
        }
    }

    /** A directory URI: {@code base} + {@code dir} + "/". */
    static URI directory(URI base, String dir) {
        return resolve(base, dir.endsWith("/") ? dir : dir + "/");
    }
}
