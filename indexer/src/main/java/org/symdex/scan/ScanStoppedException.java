package org.symdex.scan;

import java.io.IOException;

/**
 * A scan abandoned because its caller asked it to stop ({@link PackageScanner#scan(java.nio.file.Path,
 * java.security.MessageDigest, java.util.function.BooleanSupplier)}): says nothing about the package.
 * An IOException, so that it passes through the package readers unchanged, as a visitor's exceptions do.
 */
public final class ScanStoppedException extends IOException {
    private static final long serialVersionUID = 1L;

    public ScanStoppedException() {
        super("stopped");
    }
}
