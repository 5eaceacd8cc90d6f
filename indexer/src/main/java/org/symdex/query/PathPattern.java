package org.symdex.query;

import java.util.Objects;
import org.symdex.scan.MergedUsr;

/**
 * A PATH argument of whatprovides (issue 16, item 3): an absolute installed path, or a {@link Glob}
 * starting with '/'. A path matches an indexed ELF file's path or one of its package's symlinks to it
 * ({@code file.link}), and so does its merged-/usr twin ({@code /lib/...} for {@code /usr/lib/...} and the
 * reverse, {@link MergedUsr}): Debian 12 ships {@code /lib/x86_64-linux-gnu/libc.so.6}, Debian 13
 * {@code /usr/lib/x86_64-linux-gnu/libc.so.6}, and both name the same file on either.
 */
public final class PathPattern {
    private final String text;
    private final Glob glob;

    private PathPattern(String text, Glob glob) {
        this.text = text;
        this.glob = glob;
    }

    /** Whether an argument is a path: it starts with '/'. */
    public static boolean isPath(String text) {
        return text.startsWith("/");
    }

    public static PathPattern of(String text) {
        Objects.requireNonNull(text, "text");
        if (!isPath(text)) {
            throw new IllegalArgumentException("'" + text + "' is not an absolute path");
        }
        return new PathPattern(text, Glob.of(text));
    }

    public String text() {
        return text;
    }

    public boolean isGlob() {
        return !glob.isLiteral();
    }

    /** For an exact path, the path (escapes removed); null for a glob. */
    String literal() {
        return glob.isLiteral() ? glob.literalText() : null;
    }

    /** Whether an indexed path (a file's or a symlink's) answers this argument: itself or its twin. */
    public boolean matches(String indexedPath) {
        if (glob.matches(indexedPath)) {
            return true;
        }
        String twin = MergedUsr.twin(indexedPath);
        return twin != null && glob.matches(twin);
    }

    @Override
    public String toString() {
        return text;
    }
}
