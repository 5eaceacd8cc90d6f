package org.symdex.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.symdex.io.Limits;
import org.symdex.pkg.Fixtures;
import org.symdex.pkg.ReaderOptions;

/**
 * The sha256 the scanner computes while it reads a package equals {@code sha256sum} of the file, for
 * every fixture package (.deb with each codec, real Debian packages, .rpm including a source rpm,
 * which the scanner stops reading after its header), with every xz decoder: the pure-Java one, the
 * system xz process for every stream (its input is fed by a Java thread) and the default.
 */
class PackageSha256Test {
    @TempDir
    Path tmp;

    static Stream<Path> packages() {
        return Stream.of(Fixtures.list("deb", ".deb"), Fixtures.list("deb/real", ".deb"), Fixtures.list("rpm", ".rpm"))
                .flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("packages")
    void shaOfTheStreamingReadIsShaOfTheFile(Path pkg) throws Exception {
        String want = sha256sum(pkg);
        assertEquals(want, scanSha(ReaderOptions.pureJava(), pkg), "pure Java: " + pkg);
        assertEquals(want, scanSha(ReaderOptions.systemXz(), pkg), "system xz from 1 MiB: " + pkg);
        if (ReaderOptions.systemXzAlways().xzCommand().isPresent()) {
            assertEquals(want, scanSha(ReaderOptions.systemXzAlways(), pkg), "system xz: " + pkg);
        }
    }

    @Test
    void bytesAfterDataTarThatDpkgIgnoresAreDigestedToo() throws Exception {
        Path deb = tmp.resolve("trailing.deb");
        byte[] orig = Files.readAllBytes(Fixtures.deb("symdex-fixture-xz.deb"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(orig);
        if (orig.length % 2 != 0) {
            b.write('\n');
        }
        byte[] extra = "ignored by dpkg, still part of the file\n".getBytes(StandardCharsets.US_ASCII);
        b.write(String.format("%-16s%-12s%-6s%-6s%-8s%-10d`\n", "zz-after/", "0", "0", "0", "100644", extra.length)
                .getBytes(StandardCharsets.US_ASCII));
        b.write(extra);
        b.write(new byte[1 << 20]); // a long tail: more than one buffer of it
        Files.write(deb, b.toByteArray());
        assertEquals(sha256sum(deb), scanSha(ReaderOptions.systemXz(), deb));
        assumeTrue(ReaderOptions.systemXzAlways().xzCommand().isPresent(), "no xz on PATH");
        assertEquals(sha256sum(deb), scanSha(ReaderOptions.systemXzAlways(), deb));
    }

    /** The scanner stops reading a source rpm after its header; the digest still covers the whole file. */
    @Test
    void aPackageTheScannerStopsReadingEarlyIsStillDigestedWhole() throws Exception {
        Path rpm = tmp.resolve("big.src.rpm");
        byte[] orig = Files.readAllBytes(Fixtures.rpm("symdex-fixture-src-1.2.3-1.src.rpm"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(orig);
        b.write(new byte[3 << 20]); // far more than the reader's buffer: must be read after the scan
        Files.write(rpm, b.toByteArray());
        assertEquals(sha256sum(rpm), scanSha(ReaderOptions.defaults(), rpm));
    }

    private String scanSha(ReaderOptions o, Path pkg) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        PackageScan scan = new PackageScanner(o, Limits.defaults(), true, tmp).scan(pkg, md);
        assertTrue(scan.info() != null);
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256sum(Path file) throws Exception {
        return Fixtures.sha256sum(file);
    }
}
