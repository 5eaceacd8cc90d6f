package org.symdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The five upgrade scenarios and two controls of fixtures/scenarios/README.md (real .deb and .rpm
 * packages built from our sources): each reports the consumer, what it misses and the right reason,
 * and each is confirmed by running the app against the new library (when the packages can run here).
 */
class UpgradeScenarioTest {
    private static final Path SCENARIOS = ScenarioPackages.SCENARIOS;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void nodeRemoved(String format) throws Exception {
        assertFindings(format, "node-removed", false,
                "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_1.0)(64bit) version-node-removed libfoo1 libfoo1-1.1-1");
        confirm(format, "node-removed", "fooapp", "libfoo.so.1", "version `LIBFOO_1.0' not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void symbolsMovedToAnotherNode(String format) throws Exception {
        assertFindings(format, "symbols-moved", false,
                "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_1.0)(64bit) version-node-removed libfoo1 libfoo1-1.2-1");
        confirm(format, "symbols-moved", "fooapp", "libfoo.so.1", "version `LIBFOO_1.0' not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void oneSymbolRemovedWhileItsNodeStays(String format) throws Exception {
        assertFindings(format, "symbol-removed", false,
                "fooapp /usr/bin/fooapp foo_unv@LIBFOO_1.0 symbol-removed libfoo1 libfoo1-1.3-1");
        confirm(format, "symbol-removed", "fooapp", "libfoo.so.1", "undefined symbol: foo_unv, version LIBFOO_1.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void unversionedLibraryLosesASymbol(String format) throws Exception {
        assertFindings(format, "unversioned-symbol-removed", false,
                "barapp /usr/bin/barapp bar_b unversioned-symbol-removed libbar1 libbar1-1.1-1");
        confirm(format, "unversioned-symbol-removed", "barapp", "libbar.so.1", "undefined symbol: bar_b");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void sonameBumpWithWholeSources(String format) throws Exception {
        String cause = "source foo rebuilt as libfoo2-2.0-1";
        assertFindings(format, "soname-bump", true,
                "fooapp /usr/bin/fooapp libfoo.so.1()(64bit) soname-removed libfoo1 " + cause,
                "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_1.0)(64bit) soname-removed libfoo1 " + cause,
                "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_2.0)(64bit) soname-removed libfoo1 " + cause);
        // Without --whole-sources libfoo1 stays in the archive next to libfoo2: nothing breaks.
        assertFindings(format, "soname-bump", false);
        confirm(format, "soname-bump", "fooapp", "libfoo.so.2", "libfoo.so.1: cannot open shared object file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void controlsReportNothing(String format) throws Exception {
        assertFindings(format, "node-added", false);
        assertFindings(format, "dpdk-kept-old", false);
        confirm(format, "node-added", "fooapp", "libfoo.so.1", "fooapp 10 11 20");
        confirm(format, "dpdk-kept-old", "rteapp", "librte.so.1", "rteapp 21 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void baseArchiveIsClosed(String format) throws Exception {
        MemoryArchive base = base(format);
        List<String> problems = new ArrayList<>();
        for (PackageRef p : base.packages()) {
            for (FileFacts f : base.filesOf(p)) {
                ClosureCheck.problems(f, base).keySet().forEach(m -> problems.add(f.path() + " " + m));
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(7, base.packages().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void removingALibraryBreaksItsConsumers(String format) throws Exception {
        UpgradeReport.Result r = UpgradeReport.compute(base(format), List.of(), Set.of("libbar1"), false);
        assertEquals(List.of(
                "barapp /usr/bin/barapp libbar.so.1()(64bit) soname-removed libbar1 remove libbar1-1.0-1"),
                lines(r, format));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void removingTheLoaderBreaksFilesWithoutNeeded(String format) throws Exception {
        // libfoo, libbar and librte have no DT_NEEDED at all: only rtld(GNU_HASH) ties them to libc6's
        // loader. Found by the brute-force differential on real packages (remove libc6).
        UpgradeReport.Result r = UpgradeReport.compute(base(format), List.of(), Set.of("libc6"), false);
        List<String> lines = lines(r, format);
        String cause = " libc6 remove libc6-2.36-9";
        for (String lib : List.of("libbar1 /usr/lib/x86_64-linux-gnu/libbar.so.1.0.0",
                "libfoo1 /usr/lib/x86_64-linux-gnu/libfoo.so.1.0.0", "librte1 /usr/lib/x86_64-linux-gnu/librte.so.1.0")) {
            assertTrue(lines.contains(lib + " rtld(GNU_HASH) capability-removed" + cause), lines.toString());
        }
        assertEquals(15, lines.size(), lines.toString());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertFindings(String format, String scenario, boolean wholeSources, String... expected)
            throws Exception {
        UpgradeReport.Result r = UpgradeReport.compute(base(format), packages(SCENARIOS.resolve(scenario).resolve(format)),
                Set.of(), wholeSources);
        assertEquals(List.of(expected), lines(r, format), scenario + " (" + format + ")");
    }

    /** "consumer path missing reason provider-before root-cause", with the arch suffix dropped. */
    private static List<String> lines(UpgradeReport.Result r, String format) {
        String arch = format.equals("deb") ? ".amd64" : ".x86_64";
        return r.findings().stream().map(f -> f.consumer().name() + " " + f.path() + " " + f.missing() + " "
                + f.reason().keyword() + " " + (f.providerBefore() == null ? "-" : f.providerBefore().name()) + " "
                + f.rootCause().replace(arch, "")).toList();
    }

    private static MemoryArchive base(String format) throws Exception {
        return ScanFacts.archive(packages(SCENARIOS.resolve("base").resolve(format)));
    }

    private static List<UpgradeReport.Candidate> packages(Path dir) throws Exception {
        return ScenarioPackages.scan(dir);
    }

    /**
     * Runs the base app against the scenario's library, both extracted from the real packages, and checks
     * what ld.so (or the app) says. Needs x86-64 Linux and dpkg-deb or rpm2cpio/cpio.
     */
    private void confirm(String format, String scenario, String app, String soname, String expected) throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64") && Files.isExecutable(Path.of("/bin/sh")));
        Path root = Files.createDirectories(temp.resolve(format + "-" + scenario));
        Path appRoot = Files.createDirectories(temp.resolve(format + "-" + scenario + "-app"));
        Path appPkg = only(SCENARIOS.resolve("base").resolve(format), app);
        Path libPkg;
        try (Stream<Path> s = Files.list(SCENARIOS.resolve(scenario).resolve(format))) {
            libPkg = s.findFirst().orElseThrow();
        }
        assumeTrue(extract(appPkg, appRoot) && extract(libPkg, root), "cannot extract " + format + " packages here");
        Path libDir = root.resolve("usr/lib/x86_64-linux-gnu");
        assertTrue(Files.exists(libDir.resolve(soname)), soname + " in " + libPkg);
        String out = sh("LD_LIBRARY_PATH='" + libDir + "' '" + appRoot.resolve("usr/bin/" + app) + "' 2>&1; true");
        assertTrue(out.contains(expected), app + " against " + scenario + " said: " + out);
    }

    private static Path only(Path dir, String name) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(name + (dir.toString().endsWith("deb") ? "_" : "-")))
                    .findFirst().orElseThrow();
        }
    }

    private static boolean extract(Path pkg, Path into) throws Exception {
        String cmd = pkg.toString().endsWith(".deb")
                ? "command -v dpkg-deb >/dev/null && dpkg-deb -x '" + pkg + "' '" + into + "'"
                : "command -v rpm2cpio >/dev/null && command -v cpio >/dev/null && cd '" + into + "' && rpm2cpio '" + pkg
                        + "' | cpio -idm --quiet";
        return sh(cmd + " && echo EXTRACTED").contains("EXTRACTED");
    }

    private static String sh(String cmd) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }
}
