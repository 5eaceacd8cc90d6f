package org.symdex.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.symdex.io.Limits;
import org.symdex.pkg.Dependency;
import org.symdex.pkg.Fixtures;
import org.symdex.pkg.ReaderOptions;

/**
 * Table-driven over the committed fixtures: each .deb's per-file lists equal elfdeps' golden
 * answers, and each .rpm's merged lists equal the elfdeps entries rpmbuild wrote into its header.
 */
class PackageScannerTest {
    @TempDir
    Path tmp;

    static Stream<Path> debs() {
        return Stream.concat(Fixtures.list("deb", ".deb").stream(), Fixtures.list("deb/real", ".deb").stream());
    }

    static Stream<Path> rpms() {
        return Fixtures.list("rpm", ".x86_64.rpm").stream();
    }

    private PackageScanner scanner(ReaderOptions o, Limits limits) {
        return new PackageScanner(o, limits, false, tmp);
    }

    /** "path\tcapability" lines, as the golden files hold them. */
    private static List<String> lines(PackageScan scan, boolean provides) {
        List<String> out = new ArrayList<>();
        for (ScannedFile f : scan.files()) {
            for (String c : provides ? f.caps().provides() : f.caps().requires()) {
                out.add(f.path() + "\t" + c);
            }
        }
        out.sort(null);
        return out;
    }

    private static List<String> golden(Path file) throws Exception {
        List<String> l = new ArrayList<>(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
        l.removeIf(String::isEmpty);
        l.sort(null);
        return l;
    }

    @ParameterizedTest
    @MethodSource("debs")
    void debMatchesElfdepsPerFile(Path deb) throws Exception {
        for (ReaderOptions o : List.of(ReaderOptions.pureJava(), ReaderOptions.systemXzAlways())) {
            PackageScan scan = scanner(o, Limits.defaults()).scan(deb);
            assertEquals(List.of(), scan.warnings());
            assertEquals(golden(Path.of(deb + ".provides")), lines(scan, true), deb + " provides");
            assertEquals(golden(Path.of(deb + ".requires")), lines(scan, false), deb + " requires");
        }
    }

    /**
     * The pure-Java xz and lzma decoders take their dictionaries from a shared cache, unzeroed, so a
     * stream starts on another stream's leftovers: every package, read again on two threads in another
     * order, must still match its goldens.
     */
    @Test
    void reusedXzDictionariesChangeNothing() throws Exception {
        List<Path> all = new ArrayList<>(debs().toList());
        PackageScanner scanner = scanner(ReaderOptions.pureJava(), Limits.defaults());
        for (int round = 0; round < 2; round++) {
            java.util.Collections.reverse(all);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (Path deb : all) {
                    done.add(pool.submit(() -> {
                        PackageScan scan = scanner.scan(deb);
                        assertEquals(golden(Path.of(deb + ".provides")), lines(scan, true), deb + " provides");
                        assertEquals(golden(Path.of(deb + ".requires")), lines(scan, false), deb + " requires");
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /**
     * capabilities.md §6: an elfdeps entry has a FIND_* flag, no EVR, and is rtld(GNU_HASH) or a
     * filtered soname (≤ 4.20: "ld6" prefix) with an optional (VERSION) and (64bit).
     */
    private static final Pattern ELFDEPS_NAME =
            Pattern.compile("rtld\\(GNU_HASH\\)|(lib|ld[.-]|ld6)[^()]*\\.so[^()]*(\\([^()]*\\)(\\(64bit\\))?)?");

    private static TreeSet<String> headerElfdeps(Path rpm, String kind, int flag) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of(rpm + ".header"), StandardCharsets.ISO_8859_1)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals(kind) && (Integer.parseInt(f[2]) & flag) != 0 && f[3].isEmpty()
                    && ELFDEPS_NAME.matcher(f[1]).matches()) {
                out.add(f[1]);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("rpms")
    void rpmMatchesItsHeader(Path rpm) throws Exception {
        PackageScan scan = scanner(ReaderOptions.defaults(), Limits.defaults()).scan(rpm);
        assertEquals(List.of(), scan.warnings());
        TreeSet<String> p = new TreeSet<>();
        TreeSet<String> r = new TreeSet<>();
        for (ScannedFile f : scan.files()) {
            p.addAll(f.caps().provides());
            r.addAll(f.caps().requires());
        }
        TreeSet<String> wantP = headerElfdeps(rpm, "P", Dependency.FIND_PROVIDES);
        assertTrue(wantP.size() >= 6, wantP.toString());
        assertEquals(wantP, p, rpm + " provides");
        assertEquals(headerElfdeps(rpm, "R", Dependency.FIND_REQUIRES), r, rpm + " requires");
        // Our own header reader agrees with rpm's view of the declared capabilities.
        List<String> declared = new ArrayList<>();
        scan.info().provides().forEach(d -> declared.add("P\t" + d.name() + "\t" + d.flags() + "\t" + d.version()));
        scan.info().requires().forEach(d -> declared.add("R\t" + d.name() + "\t" + d.flags() + "\t" + d.version()));
        assertEquals(Files.readAllLines(Path.of(rpm + ".header"), StandardCharsets.ISO_8859_1), declared);
    }

    @Test
    void hardLinksGetTheirOwnFakeSoname() throws Exception {
        for (Path p : List.of(Fixtures.deb("symdex-fixture-gzip.deb"), Fixtures.rpm("symdex-fixture-zstd-1.2.3-1.x86_64.rpm"))) {
            PackageScan scan = scanner(ReaderOptions.pureJava(), Limits.defaults()).scan(p);
            ScannedFile a = scan.files().stream().filter(f -> f.path().endsWith("/libnoso.so")).findFirst().orElseThrow();
            ScannedFile b = scan.files().stream().filter(f -> f.path().endsWith("/libnoso-link.so")).findFirst().orElseThrow();
            assertEquals(List.of("libnoso.so()(64bit)"), a.caps().provides());
            assertEquals(List.of("libnoso-link.so()(64bit)"), b.caps().provides());
            assertTrue(a.elf() == b.elf(), "one parse for both names");
        }
    }

    @Test
    void filesAreSortedBytewiseAndSymlinksSkipped() throws Exception {
        PackageScan scan = scanner(ReaderOptions.pureJava(), Limits.defaults()).scan(Fixtures.deb("symdex-fixture-xz.deb"));
        List<String> paths = scan.files().stream().map(ScannedFile::path).toList();
        assertEquals(List.of("/usr/bin/fooapp", "/usr/lib/x86_64-linux-gnu/libfoo.so.1.2.3",
                "/usr/lib/x86_64-linux-gnu/libnoso-link.so", "/usr/lib/x86_64-linux-gnu/libnoso.so",
                "/usr/share/doc/symdex-fixture/libexample.so", "/usr/share/symdex/fooapp-noexec"), paths);
    }

    /** The 07070X payload: sizes from LONGFILESIZES, a 4.3 GB sparse file streamed past. */
    @Test
    void strippedCpioWithLargeFile() throws Exception {
        Path rpm = Fixtures.rpm("symdex-fixture-big-1.2.3-1.x86_64.rpm");
        PackageScan scan = scanner(ReaderOptions.defaults(), Limits.defaults()).scan(rpm);
        assertEquals(4, scan.files().size() - 1, scan.files().toString()); // fooapp, noexec, libfoo, 2×libnoso
        assertEquals(4508939714L, scan.info().installedSize());
    }

    @Test
    void sourceRpmIsSkippedWithANote() throws Exception {
        PackageScan scan = scanner(ReaderOptions.pureJava(), Limits.defaults())
                .scan(Fixtures.rpm("symdex-fixture-src-1.2.3-1.src.rpm"));
        assertTrue(scan.info().isSourceRpm());
        assertEquals(List.of(), scan.files());
        assertEquals(1, scan.warnings().size());
        assertTrue(scan.warnings().get(0).format("x.src.rpm").startsWith("x.src.rpm: source package"));
    }

    /** With no heap budget at all, every ELF entry is spooled and mapped; answers do not change. */
    @Test
    void zeroBudgetSpoolsAndStillMatches() throws Exception {
        Path deb = Fixtures.deb("symdex-fixture-zstd.deb");
        PackageScan scan = scanner(ReaderOptions.pureJava(), new Limits(Limits.DEFAULT_MAX_ENTRY_BYTES, 0)).scan(deb);
        assertEquals(golden(Path.of(deb + ".provides")), lines(scan, true));
        assertEquals(golden(Path.of(deb + ".requires")), lines(scan, false));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "spool files are deleted");
        }
    }

    /** Entries over the hard cap are reported and skipped; the rest of the package counts. */
    @Test
    void entriesOverTheCapAreWarnings() throws Exception {
        PackageScan scan = scanner(ReaderOptions.pureJava(), new Limits(15400, 1 << 20))
                .scan(Fixtures.deb("symdex-fixture-gzip.deb"));
        List<String> paths = scan.files().stream().map(ScannedFile::path).toList();
        assertEquals(List.of("/usr/lib/x86_64-linux-gnu/libfoo.so.1.2.3", "/usr/lib/x86_64-linux-gnu/libnoso-link.so",
                "/usr/lib/x86_64-linux-gnu/libnoso.so", "/usr/share/doc/symdex-fixture/libexample.so"), paths);
        assertEquals(2, scan.warnings().size(), scan.warnings().toString());
        assertTrue(scan.warnings().get(0).message().contains("over the entry cap"), scan.warnings().toString());
    }
}
