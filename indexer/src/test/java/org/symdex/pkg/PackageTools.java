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

    /**
     * One xz stream holding the blocks of {@code streams}, in order: their Stream Headers and Footers
     * dropped, their Index records merged into one Index (xz file format 1.1.0, sections 2 and 4). The
     * blocks are copied byte for byte, so a block compressed once can be repeated at no cost: a stream
     * that inflates to gigabytes is built from a few compressed pieces. All pieces must carry the same
     * Stream Flags (check type), as xz writes them with the same options. Unlike concatenated streams,
     * which xz and tukaani read but dpkg-deb does not (it stops after the first), this is one stream.
     */
    public static byte[] xzJoin(List<byte[]> streams) {
        ByteArrayOutputStreamExposed blocks = new ByteArrayOutputStreamExposed();
        ByteArrayOutputStreamExposed records = new ByteArrayOutputStreamExposed();
        long count = 0;
        byte[] flags = null;
        for (byte[] x : streams) {
            byte[] f = Arrays.copyOfRange(x, 6, 8);
            if (flags != null && !Arrays.equals(flags, f)) {
                throw new IllegalArgumentException("xz streams with different flags");
            }
            flags = f;
            int footer = x.length - 12;
            long backward = (java.nio.ByteBuffer.wrap(x, footer + 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                    & 0xffffffffL);
            int index = footer - (int) ((backward + 1) * 4);
            blocks.write(x, 12, index - 12);
            int[] at = {index + 1}; // past the Index Indicator (0x00)
            long n = vli(x, at);
            for (long i = 0; i < 2 * n; i++) { // unpadded size, uncompressed size
                writeVli(records, vli(x, at));
            }
            count += n;
        }
        ByteArrayOutputStreamExposed out = new ByteArrayOutputStreamExposed();
        byte[] header = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, flags[0], flags[1], 0, 0, 0, 0};
        putCrc(header, 6, 2, 8);
        out.write(header, 0, 12);
        out.write(blocks.buf(), 0, blocks.size());
        ByteArrayOutputStreamExposed index = new ByteArrayOutputStreamExposed();
        index.write(0);
        writeVli(index, count);
        index.write(records.buf(), 0, records.size());
        while (index.size() % 4 != 0) {
            index.write(0);
        }
        byte[] crc = new byte[4];
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(index.buf(), 0, index.size());
        java.nio.ByteBuffer.wrap(crc).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) c.getValue());
        index.write(crc, 0, 4);
        out.write(index.buf(), 0, index.size());
        byte[] footerBytes = new byte[12];
        java.nio.ByteBuffer.wrap(footerBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, index.size() / 4 - 1);
        footerBytes[8] = flags[0];
        footerBytes[9] = flags[1];
        footerBytes[10] = 'Y';
        footerBytes[11] = 'Z';
        putCrc(footerBytes, 4, 6, 0);
        out.write(footerBytes, 0, 12);
        return out.toByteArray();
    }

    private static long vli(byte[] b, int[] at) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[at[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    private static void writeVli(java.io.ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** CRC32 of b[from, from + len) written little-endian at {@code to}. */
    private static void putCrc(byte[] b, int from, int len, int to) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b, from, len);
        java.nio.ByteBuffer.wrap(b, to, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt((int) c.getValue());
    }

    /** Its buffer without a copy. */
    private static final class ByteArrayOutputStreamExposed extends java.io.ByteArrayOutputStream {
        byte[] buf() {
            return buf;
        }
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
