package org.symdex.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.symdex.cap.ElfCapabilities;
import org.symdex.pkg.PackageFormatException;

/**
 * The differential check of issue 3 ("Done when"), run by hand, never by the build:
 * <pre>
 *   java -cp ... org.symdex.scan.VerifyDebs DIR...
 * </pre>
 * For every .deb in each DIR it compares, file by file, the sorted-unique provides/requires that
 * {@link PackageScanner} derives inside the package with {@code /usr/lib/rpm/elfdeps -P/-R} run on
 * the same file extracted by {@code dpkg-deb -x} (which keeps the archive entry's mode, and the
 * base name elfdeps uses for a fake soname). Files the extraction holds that start with the ELF
 * magic but that the scanner did not report are compared as empty lists, so a missed file shows.
 * Prints counts and every mismatch; exits 1 when there is any.
 */
public final class VerifyDebs {
    private static final String ELFDEPS = "/usr/lib/rpm/elfdeps";

    private VerifyDebs() {
    }

    public static void main(String[] args) throws Exception {
        PackageScanner scanner = PackageScanner.withDefaults();
        int packages = 0;
        int unreadable = 0;
        int elfFiles = 0;
        int withOutput = 0;
        long provides = 0;
        long requires = 0;
        int mismatches = 0;
        int warnings = 0;
        List<Path> debs = new ArrayList<>();
        for (String dir : args) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".deb")).sorted().forEach(debs::add);
            }
        }
        Path work = Files.createTempDirectory("symdex-verify-");
        for (Path deb : debs) {
            packages++;
            PackageScan scan;
            try {
                scan = scanner.scan(deb);
            } catch (PackageFormatException e) {
                unreadable++;
                System.out.println("UNREADABLE " + deb + ": " + e.getMessage());
                continue;
            }
            for (Warning w : scan.warnings()) {
                warnings++;
                System.out.println("WARNING " + w.format(deb.getFileName().toString()));
            }
            Path root = work.resolve("x");
            run(List.of("rm", "-rf", root.toString()));
            run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
            Map<String, ScannedFile> ours = new TreeMap<>();
            for (ScannedFile f : scan.files()) {
                ours.put(f.path(), f);
            }
            List<String> elfPaths = new ArrayList<>();
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(VerifyDebs::startsElf)
                        .sorted(Comparator.naturalOrder())
                        .forEach(p -> elfPaths.add("/" + root.relativize(p).toString()));
            }
            for (String path : ours.keySet()) {
                if (!elfPaths.contains(path)) {
                    mismatches++;
                    System.out.println("EXTRA " + deb.getFileName() + "!" + path + ": scanned but not an ELF file on disk");
                }
            }
            for (String path : elfPaths) {
                elfFiles++;
                Path onDisk = root.resolve(path.substring(1));
                List<String> p = ElfCapabilities.sortedUnique(run(List.of(ELFDEPS, "-P", onDisk.toString())));
                List<String> r = ElfCapabilities.sortedUnique(run(List.of(ELFDEPS, "-R", onDisk.toString())));
                ScannedFile f = ours.get(path);
                List<String> op = f == null ? List.of() : f.caps().provides();
                List<String> or = f == null ? List.of() : f.caps().requires();
                provides += p.size();
                requires += r.size();
                if (!p.isEmpty() || !r.isEmpty()) {
                    withOutput++;
                }
                if (!p.equals(op) || !r.equals(or)) {
                    mismatches++;
                    System.out.println("MISMATCH " + deb.getFileName() + "!" + path
                            + "\n  elfdeps -P " + p + "\n  symdex    " + op
                            + "\n  elfdeps -R " + r + "\n  symdex    " + or);
                }
            }
        }
        run(List.of("rm", "-rf", work.toString()));
        System.out.printf("packages %d (unreadable %d), ELF files %d (%d with output), provides %d, requires %d,"
                + " warnings %d, mismatches %d%n", packages, unreadable, elfFiles, withOutput, provides, requires,
                warnings, mismatches);
        System.exit(mismatches == 0 && unreadable == 0 ? 0 : 1);
    }

    private static boolean startsElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> run(List<String> cmd) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        proc.waitFor();
        List<String> lines = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isEmpty()) {
                lines.add(l);
            }
        }
        return lines;
    }
}
