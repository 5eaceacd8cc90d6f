package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway GnuPG home with keys made by the test ({@code gpg --batch --quick-gen-key}), to sign
 * repositories as their publishers do: clear-signed InRelease, detached Release.gpg, armored
 * repomd.xml.asc. Closing it stops the gpg-agent gpg started there.
 */
final class TestGpg implements AutoCloseable {
    private final Path home;

    private TestGpg(Path home) {
        this.home = home;
    }

    /** A new home under {@code dir} with one ed25519 signing key per user id in {@code uids}. */
    static TestGpg create(Path dir, String... uids) throws IOException, InterruptedException {
        TestRepos.assumeTool("gpg");
        TestRepos.assumeTool("gpgv");
        Path home = dir.resolve("gnupg");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        TestGpg g = new TestGpg(home);
        for (String uid : uids) {
            g.gpg("--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never");
        }
        return g;
    }

    /** Runs gpg in batch mode in this home; fails the test on a non-zero exit. */
    void gpg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--yes", "--no-tty", "--pinentry-mode", "loopback"));
        cmd.addAll(List.of(args));
        Path err = home.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GNUPGHOME", home.toString());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gpg timed out");
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + Files.readString(err, StandardCharsets.UTF_8));
    }

    /** {@code uid}'s public key as a binary keyring file. */
    Path exportBinary(String uid, Path out) throws IOException, InterruptedException {
        gpg("--output", out.toString(), "--export", uid);
        return out;
    }

    /** {@code uid}'s public key as an armored keyring file. */
    Path exportArmored(String uid, Path out) throws IOException, InterruptedException {
        gpg("--armor", "--output", out.toString(), "--export", uid);
        return out;
    }

    /** InRelease beside {@code release}, clear-signed by {@code uid}. */
    Path clearSign(String uid, Path release) throws IOException, InterruptedException {
        Path out = release.resolveSibling("InRelease");
        gpg("--local-user", uid, "--digest-algo", "SHA512", "--output", out.toString(), "--clearsign", release.toString());
        return out;
    }

    /** A detached signature of {@code file} by {@code uid}, armored or not, written to {@code out}. */
    Path detachSign(String uid, Path file, Path out, boolean armor) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--local-user", uid, "--digest-algo", "SHA512"));
        if (armor) {
            args.add("--armor");
        }
        args.addAll(List.of("--output", out.toString(), "--detach-sign", file.toString()));
        gpg(args.toArray(new String[0]));
        return out;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GNUPGHOME", home.toString());
        Process p = pb.start();
        p.waitFor(30, TimeUnit.SECONDS);
    }
}
