package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.symdex.pkg.Fixtures;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Builds real repositories in a test's temporary directory from the committed fixture packages,
 * with the tools distributions use: apt-ftparchive (apt-utils) for Debian, createrepo_c for rpm-md.
 * Tests that need a tool skip (assumeTrue) where it is not installed.
 */
public final class TestRepos {
    private TestRepos() {
    }

    public static Path fixture(String relative) {
        return Fixtures.root().resolve("fixtures").resolve(relative);
    }

    public static void assumeTool(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                found = true;
                break;
            }
        }
        assumeTrue(found, tool + " not installed");
    }

    /** Runs a command in {@code dir}; its stdout. Fails the test on a non-zero exit. */
    public static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("cmd", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(err));
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    public static void copyInto(Path dir, Path... files) throws IOException {
        Files.createDirectories(dir);
        for (Path f : files) {
            Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Writes {@code out} (a Packages file) as {@code apt-ftparchive [--arch ARCH] packages DIR}
     * prints it for each pool directory, run from {@code repo} so that Filenames are relative to it.
     */
    public static void packages(Path repo, Path out, String arch, String... poolDirs) throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        for (String d : poolDirs) {
            List<String> cmd = new ArrayList<>(List.of("apt-ftparchive"));
            if (arch != null) {
                cmd.addAll(List.of("--arch", arch));
            }
            cmd.addAll(List.of("packages", d));
            b.append(run(repo, cmd.toArray(new String[0])));
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, b.toString());
    }

    /** Compressed copies beside {@code plain}: "xz" and/or "gz". */
    public static void compress(Path plain, String... kinds) throws IOException {
        byte[] data = Files.readAllBytes(plain);
        for (String k : kinds) {
            Path out = plain.resolveSibling(plain.getFileName() + "." + k);
            try (OutputStream o = Files.newOutputStream(out);
                 OutputStream c = k.equals("xz") ? new XZOutputStream(o, new LZMA2Options(1)) : new GZIPOutputStream(o)) {
                c.write(data);
            }
        }
    }

    /**
     * {@code apt-ftparchive release DIR} with {@code -o APT::FTPArchive::Release::KEY=VALUE} for each
     * "KEY=VALUE", written to DIR/Release (through a temporary file: the command lists DIR).
     */
    public static Path release(Path repo, String dir, String... fields) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("apt-ftparchive"));
        for (String f : fields) {
            cmd.addAll(List.of("-o", "APT::FTPArchive::Release::" + f));
        }
        cmd.addAll(List.of("release", dir));
        String text = run(repo, cmd.toArray(new String[0]));
        Path release = repo.resolve(dir).resolve("Release");
        Files.writeString(release, text);
        return release;
    }

    /** A clear-signed InRelease around {@code release}'s text, with a dummy signature (not verified: a later issue). */
    public static Path inRelease(Path release) throws IOException {
        String body = Files.readString(release);
        Path in = release.resolveSibling("InRelease");
        Files.writeString(in, "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n" + body
                + "-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCgAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n");
        return in;
    }

    public static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A local path as the readers spell it in URIs and messages: "file:/abs/path" (apt's form), "/" after a directory. */
    public static String uri(Path p) {
        try {
            String path = p.toAbsolutePath().toString() + (Files.isDirectory(p) ? "/" : "");
            return new java.net.URI("file", null, path, null).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A deb source line for a local directory. */
    public static SourceSpec deb(String options, Path repo, String suiteAndComponents) throws SourceException {
        String line = "deb " + (options.isEmpty() ? "" : "[" + options + "] ") + repo.toUri() + " " + suiteAndComponents;
        return SourceParser.parseLine(line, SourceDefaults.of("amd64")).specs().get(0);
    }

    public static SourceSpec rpm(String options, Path repo) throws SourceException {
        String line = "rpm-md " + (options.isEmpty() ? "" : "[" + options + "] ") + repo.toUri();
        return SourceParser.parseLine(line, SourceDefaults.of("amd64")).specs().get(0);
    }

    /**
     * A Debian archive in {@code repo} as apt-ftparchive makes it: the seven base fixture .debs in
     * pool/main/, dists/bookworm/main/binary-amd64/Packages and Packages.xz, and a Release
     * (Origin Debian, Codename bookworm) listing both, with {@code fields} added.
     */
    static Path debianArchive(Path repo, String... fields) throws IOException, InterruptedException {
        assumeTool("apt-ftparchive");
        Path base = fixture("scenarios/base/deb");
        List<Path> debs = new ArrayList<>();
        try (var s = Files.list(base)) {
            s.sorted().forEach(debs::add);
        }
        copyInto(repo.resolve("pool/main"), debs.toArray(new Path[0]));
        Path packages = repo.resolve("dists/bookworm/main/binary-amd64/Packages");
        packages(repo, packages, "amd64", "pool/main");
        compress(packages, "xz");
        List<String> all = new ArrayList<>(List.of("Origin=Debian", "Suite=oldstable", "Codename=bookworm",
                "Architectures=amd64", "Components=main"));
        all.addAll(List.of(fields));
        return release(repo, "dists/bookworm", all.toArray(new String[0]));
    }
}
