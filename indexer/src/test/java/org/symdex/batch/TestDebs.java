package org.symdex.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Builds real .deb files with dpkg-deb from the ELF files in test resources: the packages the index
 * tests read. Nothing is mocked; dpkg-deb is on every Debian machine (and CI's).
 */
public final class TestDebs {
    /** libmal.so.1: x86-64, SONAME libmal.so.1, versions MAL_1.0, MAL_1.1, MAL_2.0; needs libc.so.6. */
    public static final String LIBMAL = "/org/symdex/elf/libmal.so.1";
    /** libsymdexboundary.so: x86-64, no SONAME, needs libsymdexboundary.so.0, no versions. */
    public static final String BOUNDARY = "/org/symdex/cap/libsymdexboundary.so";

    /** One file of a package: installed path, content, mode. */
    public record Entry(String path, byte[] data, int mode) {
        public Entry {
            Objects.requireNonNull(path, "path");
            data = data.clone();
        }
    }

    private TestDebs() {
    }

    public static byte[] resource(String name) throws IOException {
        try (InputStream in = TestDebs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    /** The same ELF with e_machine changed (little-endian e_machine at byte 18): a cross-architecture file. */
    public static byte[] withMachine(byte[] elf, int machine) {
        byte[] b = elf.clone();
        b[18] = (byte) machine;
        b[19] = (byte) (machine >>> 8);
        return b;
    }

    /**
     * Builds {@code out} as a .deb of {@code name} {@code version} {@code arch} holding {@code entries}, with
     * the given mtime (seconds) so incremental tests control it.
     */
    public static Path build(Path out, String name, String version, String arch, List<Entry> entries, long mtime)
            throws IOException, InterruptedException {
        Path root = Files.createTempDirectory(out.getParent(), "root");
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: " + version
                + "\nArchitecture: " + arch + "\nMaintainer: symdex tests <tests@symdex.invalid>\n"
                + "Installed-Size: 1\nDescription: symdex index test package\n", StandardCharsets.UTF_8);
        for (Entry e : entries) {
            Path p = root.resolve(e.path().substring(1));
            Files.createDirectories(p.getParent());
            Files.write(p, e.data());
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perm(e.mode())));
        }
        Process pr = new ProcessBuilder("dpkg-deb", "-Zgzip", "--root-owner-group", "--build", root.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (pr.waitFor() != 0) {
            throw new IOException("dpkg-deb failed: " + log);
        }
        deleteTree(root);
        Files.setLastModifiedTime(out, FileTime.from(mtime, TimeUnit.SECONDS));
        return out;
    }

    /** The standard test set: name → package file, all built in {@code dir}. */
    public static Map<String, Path> standardSet(Path dir) throws IOException, InterruptedException {
        byte[] mal = resource(LIBMAL);
        byte[] boundary = resource(BOUNDARY);
        Map<String, Path> m = new LinkedHashMap<>();
        m.put("libmal1", build(dir.resolve("libmal1_1.0-1_amd64.deb"), "libmal1", "1.0-1", "amd64",
                List.of(new Entry("/usr/lib/x86_64-linux-gnu/libmal.so.1", mal, 0755)), 1_700_000_000L));
        m.put("boundary", build(dir.resolve("boundary_2.0_amd64.deb"), "boundary", "2.0", "amd64",
                List.of(new Entry("/usr/lib/libsymdexboundary.so", boundary, 0755),
                        new Entry("/usr/share/doc/boundary/README", "not ELF\n".getBytes(StandardCharsets.UTF_8), 0644)),
                1_700_000_100L));
        m.put("libmal-cross", build(dir.resolve("libmal-cross_1:1.0-2_all.deb"), "libmal-cross", "1:1.0-2", "all",
                List.of(new Entry("/usr/aarch64-linux-gnu/lib/libmal.so.1", withMachine(mal, 183), 0644)),
                1_700_000_200L));
        return m;
    }

    private static String perm(int mode) {
        StringBuilder sb = new StringBuilder();
        String rwx = "rwx";
        for (int i = 8; i >= 0; i--) {
            sb.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
        }
        return sb.toString();
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
