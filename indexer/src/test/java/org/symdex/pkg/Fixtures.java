package org.symdex.pkg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** The committed package fixtures (fixtures/deb, fixtures/rpm; built by fixtures/pkg/build.sh). */
public final class Fixtures {
    private Fixtures() {
    }

    /** Surefire passes the repository root as symdex.root; from an IDE the module dir is the cwd. */
    public static Path root() {
        return Path.of(System.getProperty("symdex.root", "..")).toAbsolutePath().normalize();
    }

    public static Path deb(String name) {
        return root().resolve("fixtures/deb").resolve(name);
    }

    public static Path rpm(String name) {
        return root().resolve("fixtures/rpm").resolve(name);
    }

    /** Files directly in fixtures/DIR whose names end with SUFFIX, sorted. */
    public static List<Path> list(String dir, String suffix) {
        try (Stream<Path> s = Files.list(root().resolve("fixtures").resolve(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** sha256sum(1) of {@code file} when it is on PATH, so the reference comes from another program; else the JDK's. */
    public static String sha256sum(Path file) throws IOException {
        try {
            Process p = new ProcessBuilder("sha256sum", file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (p.waitFor() == 0 && out.length() >= 64) {
                return out.substring(0, 64);
            }
        } catch (IOException e) {
            // no sha256sum: the JDK's below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
