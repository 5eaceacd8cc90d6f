package org.symdex.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** The package container, told apart by magic bytes, never by file name (style.md §3b). */
public enum PackageFormat {
    /** ar archive whose first member is debian-binary (.deb, .udeb, .ddeb). */
    DEB,
    /** rpm lead magic ed ab ee db. */
    RPM;

    /** Bytes {@link #detect(byte[], int)} wants to see. */
    public static final int MAGIC_BYTES = 21;

    private static final byte[] AR_MAGIC = "!<arch>\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] DEBIAN_BINARY = "debian-binary".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] RPM_LEAD = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb};

    /** The format of a file whose first bytes are {@code head[0..length)}, if it has one. */
    public static Optional<PackageFormat> detect(byte[] head, int length) {
        if (startsWith(head, length, RPM_LEAD, 0)) {
            return Optional.of(RPM);
        }
        // dpkg requires debian-binary to be the first member; its name sits right after the
        // 8-byte global header in the 16-byte name field.
        if (startsWith(head, length, AR_MAGIC, 0) && startsWith(head, length, DEBIAN_BINARY, AR_MAGIC.length)) {
            return Optional.of(DEB);
        }
        return Optional.empty();
    }

    public static Optional<PackageFormat> detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC_BYTES);
            return detect(head, head.length);
        }
    }

    private static boolean startsWith(byte[] head, int length, byte[] magic, int at) {
        return length >= at + magic.length
                && Arrays.equals(head, at, at + magic.length, magic, 0, magic.length);
    }
}
