package org.symdex.pkg;

/**
 * The package itself cannot be read: unknown format, truncated, corrupt container or payload.
 * The message is one line and names the location (member, offset) where that is known; the CLI
 * prints it as {@code symdex: PACKAGE: message}.
 */
public final class PackageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public PackageFormatException(String message) {
        super(oneLine(message));
    }

    public PackageFormatException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String s) {
        return s == null ? "unreadable" : s.replaceAll("[\\r\\n]+", " ");
    }
}
