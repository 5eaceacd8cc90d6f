package org.symdex.batch;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import org.symdex.io.NonClosingInputStream;
import org.symdex.pkg.PackageFormatException;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.source.Fetcher;
import org.symdex.source.ListedPackage;
import org.symdex.source.SourceException;
import org.symdex.source.VerifyingInputStream;

/**
 * Reads a package a source lists, as it streams from the source, checked against the listing (the one
 * way {@code index}, {@code deps} and {@code upgrade-report} read one): the scan is only returned once the
 * whole download has been verified (size and checksum), so bytes that disagree are never taken. A
 * mismatch is the package's failure, whatever the package reader made of the bytes.
 *
 * @param scan what the package holds
 * @param sha256 the SHA-256 of the bytes read (whatever checksum the source declared)
 * @param bytes how many were read
 */
public record ListedRead(PackageScan scan, String sha256, long bytes) {

    /**
     * @throws SourceException (PACKAGE) when the package is missing, or its bytes are not what the source
     *     lists: {@code URI: SHA256 mismatch (expected X, got Y)}, {@code URI: short read (...)}
     * @throws PackageFormatException when the verified bytes are not a readable package
     */
    public static ListedRead of(ListedPackage p, Fetcher fetcher, PackageScanner scanner, BooleanSupplier stopped)
            throws SourceException, PackageFormatException, IOException {
        try (VerifyingInputStream in = VerifyingInputStream.open(fetcher, p)) {
            PackageScan scan;
            try {
                scan = scanner.scan(new NonClosingInputStream(in), null, stopped);
            } catch (PackageFormatException | IOException e) {
                if (stopped.getAsBoolean()) {
                    throw e;
                }
                in.verify(); // a download that disagrees is the failure, not what the reader made of it
                throw e;
            }
            VerifyingInputStream.Verified v = in.verify();
            return new ListedRead(scan, v.sha256(), v.size());
        }
    }
}
