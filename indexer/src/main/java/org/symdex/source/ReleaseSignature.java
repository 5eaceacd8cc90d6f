package org.symdex.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Checks a repository's signature with the real {@code gpgv} against the keyrings of
 * {@code signed-by=}, as apt does (apt-pkg/contrib/gpgv.cc {@code ExecGPGV}, methods/gpgv.cc):
 * {@code gpgv --homedir EMPTY --status-fd 1 --keyring K... SIG [DATA]} in a fresh temporary
 * directory, and the signature is good only when gpgv exits 0 and reports GOODSIG and VALIDSIG, with
 * no VALIDSIG on a weak digest (MD5, SHA1, RIPEMD160; apt refuses them too). The bytes checked are
 * the bytes the reader then parses: they are written to the temporary directory from the same array.
 *
 * <p>gpgv reads binary keyrings only; an armored keyring ({@code gpg --armor --export}, often
 * {@code .asc}) is dearmored here first, as apt does for {@code .asc} files in its trusted parts,
 * so that gpg itself is not needed at run time.
 *
 * <p>Failures are the source's: {@code URI: signature check failed (REASON)}.
 */
final class ReleaseSignature {
    /** gpgv on a Release takes milliseconds; a minute means it is stuck. */
    private static final long GPGV_TIMEOUT_SECONDS = 60;
    /** Debian's archive keyring is 80 KB; a keyring past this is not one. */
    private static final long MAX_KEYRING_BYTES = 16 << 20;
    private static final int MAX_STATUS_BYTES = 1 << 20;
    private static final String BEGIN_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    private static final String END_KEY = "-----END PGP PUBLIC KEY BLOCK-----";

    private ReleaseSignature() {
    }

    /** A clear-signed InRelease. */
    static void verifyClearSigned(byte[] inRelease, SignedBy keys, String where) throws SourceException {
        run(keys, where, inRelease, null);
    }

    /** {@code data} with its detached {@code signature} (Release.gpg, repomd.xml.asc; binary or armored). */
    static void verifyDetached(byte[] data, byte[] signature, SignedBy keys, String where) throws SourceException {
        run(keys, where, signature, data);
    }

    private static void run(SignedBy keys, String where, byte[] signed, byte[] data) throws SourceException {
        Path dir;
        try {
            dir = Files.createTempDirectory("symdex-gpgv", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw fail(where, "cannot make a temporary directory for gpgv: " + e.getMessage());
        }
        try {
            List<String> cmd = new ArrayList<>(List.of("gpgv", "--homedir", dir.toString(), "--status-fd", "1"));
            int n = 0;
            for (Path k : keys.keyrings()) {
                cmd.add("--keyring");
                cmd.add(keyring(k, dir.resolve("keyring-" + n++ + ".gpg"), where).toString());
            }
            Path sig = dir.resolve(data == null ? "InRelease" : "signature");
            Files.write(sig, signed);
            cmd.add(sig.toString());
            if (data != null) {
                Path d = dir.resolve("data");
                Files.write(d, data);
                cmd.add(d.toString());
            }
            Path status = dir.resolve("status");
            Path err = dir.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(status.toFile()).redirectError(err.toFile());
            pb.environment().put("LC_ALL", "C");
            pb.environment().remove("GNUPGHOME");
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw fail(where, "signed-by= needs gpgv (Debian package gpgv), which cannot be run: " + e.getMessage());
            }
            p.getOutputStream().close();
            if (!p.waitFor(GPGV_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw fail(where, "signature check failed (gpgv did not finish in " + GPGV_TIMEOUT_SECONDS + " s)");
            }
            String problem = judge(p.exitValue(), head(status), head(err));
            if (problem != null) {
                throw fail(where, "signature check failed (" + problem + ")");
            }
        } catch (IOException e) {
            throw fail(where, "signature check failed (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(where, "signature check interrupted");
        } finally {
            delete(dir);
        }
    }

    /**
     * Why gpgv's answer is not a good signature, or null if it is. Status keywords are gpgv's
     * (doc/DETAILS); the first problem found is the one reported.
     */
    static String judge(int exit, String status, String stderr) {
        boolean good = false;
        boolean valid = false;
        String problem = null;
        for (String line : status.split("\n")) {
            if (!line.startsWith("[GNUPG:] ")) {
                continue;
            }
            String[] w = line.substring(9).strip().split(" ", 2);
            String rest = w.length > 1 ? w[1] : "";
            String found = switch (w[0]) {
                case "GOODSIG" -> {
                    good = true;
                    yield null;
                }
                case "VALIDSIG" -> {
                    valid = true;
                    String[] f = rest.split(" ");
                    String weak = f.length > 7 ? weakDigest(f[7]) : null;
                    yield weak == null ? null : "signed with the weak digest " + weak + ", which apt refuses too";
                }
                case "BADSIG" -> "BAD signature from " + rest;
                case "NO_PUBKEY" -> "signed by key " + rest + ", which is not in the signed-by keyring";
                case "EXPKEYSIG" -> "signed by an expired key: " + rest;
                case "REVKEYSIG" -> "signed by a revoked key: " + rest;
                case "EXPSIG" -> "the signature has expired";
                case "NODATA" -> "no signature found";
                case "ERRSIG" -> "the signature cannot be checked (ERRSIG " + rest + ")";
                default -> null;
            };
            // NO_PUBKEY follows ERRSIG and says more: let it replace ERRSIG's reason.
            if (found != null && (problem == null || problem.startsWith("the signature cannot be checked"))) {
                problem = found;
            }
        }
        if (problem != null) {
            return problem;
        }
        if (exit != 0 || !good || !valid) {
            String last = "";
            for (String l : stderr.split("\n")) {
                if (!l.isBlank()) {
                    last = l.strip();
                }
            }
            return "gpgv exit " + exit + (good ? "" : ", no good signature") + (last.isEmpty() ? "" : ": " + last);
        }
        return null;
    }

    /** RFC 4880 9.4 hash algorithm ids that apt no longer trusts. */
    private static String weakDigest(String id) {
        return switch (id) {
            case "1" -> "MD5";
            case "2" -> "SHA1";
            case "3" -> "RIPEMD160";
            default -> null;
        };
    }

    /** The keyring as gpgv can read it: the file itself if binary, else dearmored into {@code into}. */
    private static Path keyring(Path file, Path into, String where) throws SourceException, IOException {
        if (!Files.isRegularFile(file)) {
            throw fail(where, "signed-by=" + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_KEYRING_BYTES + 1);
        }
        if (bytes.length > MAX_KEYRING_BYTES) {
            throw fail(where, "signed-by=" + file + ": over " + (MAX_KEYRING_BYTES >> 20) + " MiB; not a keyring");
        }
        String start = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
        if (!start.startsWith("-----BEGIN PGP")) {
            return file;
        }
        Files.write(into, dearmor(bytes, "signed-by=" + file, where));
        return into;
    }

    /**
     * The packets of every public key block in an armored keyring (RFC 4880 6.2): armor headers up
     * to the empty line are skipped, the base64 body decoded and checked against its CRC-24 line.
     */
    static byte[] dearmor(byte[] armored, String what, String where) throws SourceException {
        String s = new String(armored, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(armored.length);
        int pos = 0;
        int blocks = 0;
        while (true) {
            int begin = s.indexOf(BEGIN_KEY, pos);
            if (begin < 0) {
                break;
            }
            int end = s.indexOf(END_KEY, begin);
            if (end < 0) {
                throw fail(where, what + ": armored key block without its END line");
            }
            String[] lines = s.substring(begin + BEGIN_KEY.length(), end).split("\n", -1);
            int i = 1;
            int blank = -1;
            for (int j = 1; j < lines.length; j++) {
                if (lines[j].isBlank()) {
                    blank = j;
                    break;
                }
            }
            if (blank >= 0) {
                boolean headers = true;
                for (int j = 1; j < blank; j++) {
                    headers &= lines[j].contains(": ");
                }
                i = headers ? blank + 1 : 1;
            }
            StringBuilder b64 = new StringBuilder();
            String crc = null;
            for (; i < lines.length; i++) {
                String l = lines[i].strip();
                if (l.startsWith("=")) {
                    crc = l.substring(1);
                } else {
                    b64.append(l);
                }
            }
            byte[] packets;
            try {
                packets = Base64.getDecoder().decode(b64.toString());
            } catch (IllegalArgumentException e) {
                throw fail(where, what + ": armored key block is not base64 (" + e.getMessage() + ")");
            }
            if (crc != null) {
                byte[] c;
                try {
                    c = Base64.getDecoder().decode(crc);
                } catch (IllegalArgumentException e) {
                    throw fail(where, what + ": bad armor checksum line");
                }
                int want = c.length == 3 ? ((c[0] & 0xff) << 16) | ((c[1] & 0xff) << 8) | (c[2] & 0xff) : -1;
                if (want != crc24(packets)) {
                    throw fail(where, what + ": armor checksum mismatch");
                }
            }
            out.writeBytes(packets);
            blocks++;
            pos = end + END_KEY.length();
        }
        if (blocks == 0) {
            throw fail(where, what + ": armored, but holds no public key block");
        }
        return out.toByteArray();
    }

    /** RFC 4880 6.1. */
    static int crc24(byte[] data) {
        int crc = 0xB704CE;
        for (byte x : data) {
            crc ^= (x & 0xff) << 16;
            for (int i = 0; i < 8; i++) {
                crc <<= 1;
                if ((crc & 0x1000000) != 0) {
                    crc ^= 0x1864CFB;
                }
            }
        }
        return crc & 0xFFFFFF;
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(MAX_STATUS_BYTES), StandardCharsets.UTF_8);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not the run's failure
        }
    }

    private static SourceException fail(String where, String reason) {
        return new SourceException(SourceException.Kind.SOURCE, where, reason);
    }
}
