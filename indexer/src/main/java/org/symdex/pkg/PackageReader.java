package org.symdex.pkg;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.symdex.io.DigestingInputStream;

/** Reads any supported package file: detects the format by magic and streams it once. */
public final class PackageReader {
    private static final int BUFFER = 64 * 1024;
    private final ReaderOptions options;

    public PackageReader(ReaderOptions options) {
        this.options = options;
    }

    /**
     * Streams {@code file} to {@code visitor}. Throws PackageFormatException (one-line message)
     * when the file is not a package or cannot be read; IOExceptions thrown by the visitor pass
     * through unchanged.
     */
    public PackageFormat read(Path file, PackageVisitor visitor) throws PackageFormatException, IOException {
        return read(file, visitor, null);
    }

    /**
     * As {@link #read(Path, PackageVisitor)}, and when {@code digest} is not null, every byte of the
     * file goes through it in the same pass: what the readers take, what they skip (ar members
     * dpkg ignores, padding) and what follows the part they need (read to the end of the file once
     * the package has been read). The xz command's input is fed from this stream by a Java thread,
     * so those bytes are digested too. On an exception the digest holds an unspecified prefix.
     */
    public PackageFormat read(Path file, PackageVisitor visitor, MessageDigest digest)
            throws PackageFormatException, IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (IOException e) {
            throw new PackageFormatException("cannot open: " + VisitorFailure.describe(e), e);
        }
        return read(raw, visitor, digest);
    }

    /**
     * As {@link #read(Path, PackageVisitor, MessageDigest)}, from a stream (a download, checked as it
     * streams by the source layer); the stream is read to its end and closed.
     */
    public PackageFormat read(InputStream raw, PackageVisitor visitor, MessageDigest digest)
            throws PackageFormatException, IOException {
        DigestingInputStream digesting = digest == null ? null : new DigestingInputStream(raw, digest);
        try (InputStream in = new BufferedInputStream(digesting == null ? raw : digesting, BUFFER)) {
            in.mark(PackageFormat.MAGIC_BYTES);
            byte[] head = in.readNBytes(PackageFormat.MAGIC_BYTES);
            in.reset();
            PackageFormat format = PackageFormat.detect(head, head.length).orElseThrow(() ->
                    new PackageFormatException(head.length == 0 ? "empty file" : "not a .deb or .rpm (unknown magic)"));
            switch (format) {
                case DEB -> new DebReader(options).read(in, visitor);
                case RPM -> new RpmReader(options).read(in, visitor);
                default -> throw new IllegalStateException("unhandled format " + format);
            }
            if (digesting != null) {
                try {
                    digesting.drain();
                } catch (IOException e) {
                    throw new PackageFormatException("cannot read: " + VisitorFailure.describe(e), e);
                }
            }
            return format;
        }
    }
}
