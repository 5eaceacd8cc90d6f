package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The stream a package is read through: size and checksum checked while it streams. */
class VerifyingInputStreamTest {
    private static final byte[] DATA = "0123456789".getBytes(StandardCharsets.US_ASCII);

    private static String hex(String alg, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(b));
    }

    private static VerifyingInputStream stream(byte[] data, long size, Checksum c) {
        return new VerifyingInputStream(new ByteArrayInputStream(data), "file:/p.deb", size, c, SourceException.Kind.PACKAGE);
    }

    @Test
    void rightBytesVerify() throws Exception {
        VerifyingInputStream in = stream(DATA, 10, Checksum.sha256(hex("SHA-256", DATA)));
        assertEquals(10, in.readAllBytes().length);
        assertEquals(hex("SHA-256", DATA), in.verify().sha256());
        assertEquals(10, in.verify().size());
    }

    @Test
    void mismatchIsReportedByReadAndByVerify() throws Exception {
        String wrong = "0".repeat(64);
        VerifyingInputStream in = stream(DATA, 10, Checksum.sha256(wrong));
        IOException e = assertThrows(IOException.class, in::readAllBytes);
        SourceException s = assertInstanceOf(SourceException.class, e.getCause());
        assertEquals("file:/p.deb: SHA256 mismatch (expected " + wrong + ", got " + hex("SHA-256", DATA) + ")",
                s.getMessage());
        assertEquals(SourceException.Kind.PACKAGE, s.kind());
        assertEquals(s.getMessage(), assertThrows(SourceException.class, in::verify).getMessage());
    }

    @Test
    void shortAndLongStreams() throws Exception {
        Checksum c = Checksum.sha256(hex("SHA-256", DATA));
        assertEquals("file:/p.deb: short read (expected 12 bytes, got 10)",
                assertThrows(SourceException.class, () -> stream(DATA, 12, c).verify()).getMessage());
        assertEquals("file:/p.deb: longer than the 5 bytes listed",
                assertThrows(SourceException.class, () -> stream(DATA, 5, c).verify()).getMessage());
    }

    @Test
    void unknownSizeChecksTheDigestOnly() throws Exception {
        assertEquals(10, stream(DATA, -1, Checksum.sha256(hex("SHA-256", DATA))).verify().size());
    }

    @Test
    void otherAlgorithmsAreCheckedAndSha256StillComputed() throws Exception {
        Checksum sha1 = Checksum.parse("sha", hex("SHA-1", DATA)).orElseThrow();
        assertEquals("sha1:" + hex("SHA-1", DATA), sha1.toString());
        VerifyingInputStream.Verified v = stream(DATA, 10, sha1).verify();
        assertEquals(hex("SHA-256", DATA), v.sha256());
        assertEquals(sha1, v.nonSha256().orElseThrow());
        Checksum bad = Checksum.parse("SHA512", "a".repeat(128)).orElseThrow();
        SourceException e = assertThrows(SourceException.class, () -> stream(DATA, 10, bad).verify());
        assertEquals("file:/p.deb: SHA512 mismatch (expected " + "a".repeat(128) + ", got " + hex("SHA-512", DATA) + ")",
                e.getMessage());
    }

    @Test
    void checksumsAreValidated() {
        assertEquals(java.util.Optional.empty(), Checksum.parse("sha256", "abc"));
        assertEquals(java.util.Optional.empty(), Checksum.parse("crc32", "00000000"));
        assertEquals(java.util.Optional.empty(), Checksum.parse("sha1", "z".repeat(40)));
        assertEquals("sha256:" + "ab".repeat(32), Checksum.parse("SHA256", "AB".repeat(32)).orElseThrow().toString());
    }
}
