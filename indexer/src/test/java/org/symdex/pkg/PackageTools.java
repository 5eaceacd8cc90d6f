package org.symdex.pkg;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds test packages with the real tools (xz, ar, dpkg-deb, rpm2cpio), so that what the readers
 * meet is what those tools write. Each call fails the test with the tool's own message when the tool
 * does.
 */
public final class PackageTools {
    private PackageTools() {
    }

    /** Runs {@code command} with {@code stdin}; returns its stdout, or throws with its stderr. */
    public static byte[] run(byte[] stdin, Path cwd, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        Path err = Files.createTempFile("symdex-tool-", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            // Feed stdin from another thread: a tool may fill its stdout pipe before it has read all of stdin.
            Thread feeder = new Thread(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the tool stopped reading; its exit status tells why
                }
            });
            feeder.start();
            byte[] out;
            try (InputStream o = p.getInputStream()) {
                out = o.readAllBytes();
            }
            int status = p.waitFor();
            feeder.join();
            if (status != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + status + ": "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    public static byte[] run(byte[] stdin, String... command) throws IOException {
        return run(stdin, null, command);
    }

    /** {@code xz ARGS} over {@code data} (e.g. "--lzma2=dict=1536MiB", or "--format=lzma", "--lzma1=dict=…"). */
    public static byte[] xz(byte[] data, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("xz", "-c", "-T1"));
        cmd.addAll(Arrays.asList(args));
        return run(data, cmd.toArray(String[]::new));
    }

    /** One member of an ar archive, as {@code ar p} prints it. */
    public static byte[] arMember(Path archive, String member) throws IOException {
        return run(new byte[0], "ar", "p", archive.toString(), member);
    }

    /** The data.tar of a .deb, decompressed, as dpkg-deb hands it to tar. */
    public static byte[] fsysTarfile(Path deb) throws IOException {
        return run(new byte[0], "dpkg-deb", "--fsys-tarfile", deb.toString());
    }

    /**
     * A .deb written by GNU ar (deterministic mode) from {@code members}, name then bytes, in order, and
     * accepted by {@code dpkg-deb --info} (which checks the ar structure and reads control.tar, not data.tar).
     */
    public static Path deb(Path dir, String name, Object... members) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name + ".members"));
        List<String> cmd = new ArrayList<>(List.of("ar", "rcD", dir.resolve(name).toString()));
        for (int i = 0; i < members.length; i += 2) {
            String member = (String) members[i];
            Files.write(work.resolve(member), (byte[]) members[i + 1]);
            cmd.add(member);
        }
        Files.deleteIfExists(dir.resolve(name));
        run(new byte[0], work, cmd.toArray(String[]::new));
        run(new byte[0], "dpkg-deb", "--info", dir.resolve(name).toString());
        return dir.resolve(name);
    }

    /** debian-binary, control.tar.* and a new data member: the fixture's control with other data. */
    public static Path debWithData(Path dir, String name, Path fixture, String dataMember, byte[] data)
            throws IOException {
        String control = controlMember(fixture);
        return deb(dir, name, "debian-binary", arMember(fixture, "debian-binary"), control,
                arMember(fixture, control), dataMember, data);
    }

    /** The name of a .deb's control.tar member (ar t). */
    public static String controlMember(Path deb) throws IOException {
        for (String m : new String(run(new byte[0], "ar", "t", deb.toString()), StandardCharsets.ISO_8859_1).split("\n")) {
            if (m.startsWith("control.tar")) {
                return m;
            }
        }
        throw new IOException(deb + ": no control.tar member");
    }

    /** An rpm's lead, signature header (with its padding) and main header: everything before the payload. */
    public static byte[] rpmHeaders(Path rpm) {
        try {
            byte[] b = Files.readAllBytes(rpm);
            int lead = 96;
            long sig = RpmHeader.read(new ByteArrayInputStream(b, lead, b.length - lead), "signature", lead).length();
            long main = lead + sig + (8 - sig % 8) % 8; // lib/signature.c pads the signature to 8 bytes
            long end = main + RpmHeader.read(new ByteArrayInputStream(b, (int) main, b.length - (int) main), "header",
                    main).length();
            return Arrays.copyOf(b, (int) end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PackageFormatException e) {
            throw new IllegalStateException(rpm + " does not read: " + e.getMessage(), e);
        }
    }

    /**
     * The rpm with its payload replaced: the headers are kept as they are (rpm -qp still reads them; the
     * payload digest in the signature no longer matches, which only an install would check).
     */
    public static Path rpmWithPayload(Path dir, String name, Path fixture, byte[] payload) throws IOException {
        byte[] head = rpmHeaders(fixture);
        byte[] out = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        Path p = dir.resolve(name);
        Files.write(p, out);
        return p;
    }

    /** The uncompressed cpio payload of an rpm, by rpm2cpio. */
    public static byte[] rpm2cpio(Path rpm) throws IOException {
        return run(new byte[0], "rpm2cpio", rpm.toString());
    }
}
