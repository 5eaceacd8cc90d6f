package org.symdex.scan;

import java.util.Objects;

/**
 * Something in a readable package that could not be analysed: a bad ELF file, an entry over the
 * size cap, or a note such as "source package skipped". The rest of the package still counts.
 *
 * @param path installed path of the entry, or "" for a note about the whole package
 * @param message one line
 */
public record Warning(String path, String message) {
    public Warning {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code PACKAGE!/path: reason}, or {@code PACKAGE: reason} for a package-level note. */
    public String format(String packageName) {
        return path.isEmpty() ? packageName + ": " + message : packageName + "!" + path + ": " + message;
    }
}
