package org.symdex.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.report.Finding;
import org.symdex.report.NightlyDiff;
import org.symdex.report.ScanFacts;
import org.symdex.report.ScenarioPackages;
import org.symdex.report.UpgradeReport;

/**
 * Reports read from a real index equal reports computed from the scanned packages in memory: the index
 * view is only another way to answer the same lookups.
 */
class IndexArchiveViewTest {
    private static final Path SC = ScenarioPackages.SCENARIOS;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void everyScenarioGivesTheSameFindingsFromTheIndex(String format) throws Exception {
        Path index = index(temp.resolve("idx"), SC.resolve("base").resolve(format));
        var memory = ScanFacts.archive(scan(SC.resolve("base").resolve(format)));
        int total = 0;
        try (IndexArchiveView view = IndexArchiveView.open(index)) {
            assertEquals(7, view.packages().size());
            // An RPM header's declared provides come back from the index as the scanner read them.
            int declared = 0;
            for (var p : view.packages()) {
                var inMemory = memory.packages().stream().filter(m -> m.file().equals(p.file())).findFirst().orElseThrow();
                assertEquals(memory.declaredProvidesOf(inMemory), view.declaredProvidesOf(p), p.nevra());
                declared += view.declaredProvidesOf(p).size();
            }
            assertEquals(format.equals("rpm"), declared > 0, "declared provides: " + declared);
            for (String sc : List.of("node-removed", "symbols-moved", "symbol-removed", "unversioned-symbol-removed",
                    "soname-bump", "node-added", "dpdk-kept-old")) {
                List<UpgradeReport.Candidate> cands = scan(SC.resolve(sc).resolve(format));
                boolean whole = sc.equals("soname-bump");
                List<String> fromIndex = lines(UpgradeReport.compute(view, cands, Set.of(), whole).findings());
                List<String> fromMemory = lines(UpgradeReport.compute(memory, cands, Set.of(), whole).findings());
                assertEquals(fromMemory, fromIndex, sc);
                total += fromIndex.size();
            }
            assertEquals(lines(UpgradeReport.compute(memory, List.of(), Set.of("libc6"), false).findings()),
                    lines(UpgradeReport.compute(view, List.of(), Set.of("libc6"), false).findings()));
        }
        assertEquals(1 + 1 + 1 + 1 + 3, total);
    }

    /**
     * One scope rule for both views (faults issue, item 6): a noarch rpm's declared provide satisfies
     * every scope, in the index (scope "any") and in memory alike; an Architecture: all .deb's Provides
     * name virtual packages and satisfy nothing at this level, in both. Before, the in-memory archive
     * dropped the noarch provide and reported libfoo.so.1()(64bit) as gone where the index did not.
     */
    @ParameterizedTest
    @ValueSource(strings = {"deb", "rpm"})
    void archIndependentDeclaredProvidesCountTheSameInBothViews(String format) throws Exception {
        Path packages = Files.createDirectories(temp.resolve("pkgs"));
        for (Path dir : List.of(SC.resolve("base").resolve(format), SC.resolve("noarch"))) {
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith("." + format)).toList()) {
                    Files.copy(p, packages.resolve(p.getFileName()));
                }
            }
        }
        Path index = index(temp.resolve("idx"), packages);
        var memory = ScanFacts.archive(scan(packages));
        try (IndexArchiveView view = IndexArchiveView.open(index)) {
            assertEquals(8, view.packages().size());
            List<String> fromIndex = lines(UpgradeReport.compute(view, List.of(), Set.of("libfoo1"), false).findings());
            List<String> fromMemory = lines(UpgradeReport.compute(memory, List.of(), Set.of("libfoo1"), false).findings());
            assertEquals(fromMemory, fromIndex);
            String provider = format.equals("rpm") ? "libfoo1-1.0-1.x86_64" : "libfoo1-1.0-1.amd64";
            List<String> expected = new ArrayList<>();
            if (format.equals("deb")) {
                expected.add("fooapp-1.0-1.amd64 /usr/bin/fooapp libfoo.so.1()(64bit) soname-removed " + provider
                        + " remove " + provider);
            }
            for (String v : List.of("LIBFOO_1.0", "LIBFOO_2.0")) {
                String consumer = format.equals("rpm") ? "fooapp-1.0-1.x86_64" : "fooapp-1.0-1.amd64";
                expected.add(consumer + " /usr/bin/fooapp libfoo.so.1(" + v + ")(64bit) soname-removed " + provider
                        + " remove " + provider);
            }
            assertEquals(expected, fromIndex);
            // Removing the noarch provider itself reaches fooapp through the declared provide: nothing
            // breaks, since libfoo1 still provides it; removing both breaks it (rpm) in both views.
            assertEquals(List.of(), lines(UpgradeReport.compute(view, List.of(), Set.of("libfoo-compat"), false)
                    .findings()));
            assertEquals(lines(UpgradeReport.compute(memory, List.of(), Set.of("libfoo-compat", "libfoo1"), false)
                            .findings()),
                    lines(UpgradeReport.compute(view, List.of(), Set.of("libfoo-compat", "libfoo1"), false).findings()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"deb"})
    void nightlyDiffOfTwoIndexes(String format) throws Exception {
        Path lastNight = index(temp.resolve("last"), SC.resolve("base").resolve(format));
        Path tonightDir = Files.createDirectories(temp.resolve("tonight-pkgs"));
        try (Stream<Path> s = Files.list(SC.resolve("base").resolve(format))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith("libfoo1") && !n.startsWith("libbar1")) {
                    Files.copy(p, tonightDir.resolve(n));
                }
            }
        }
        for (String sc : List.of("node-removed", "soname-bump")) {
            try (Stream<Path> s = Files.list(SC.resolve(sc).resolve(format))) {
                for (Path p : s.toList()) {
                    Files.copy(p, tonightDir.resolve(p.getFileName()));
                }
            }
        }
        Path tonight = index(temp.resolve("tonight"), tonightDir);
        try (IndexArchiveView old = IndexArchiveView.open(lastNight); IndexArchiveView now = IndexArchiveView.open(tonight)) {
            NightlyDiff.Result d = NightlyDiff.compute(old, now);
            assertEquals(List.of("libfoo2"), d.added().stream().map(p -> p.name()).toList());
            assertEquals(List.of("libbar1"), d.removed().stream().map(p -> p.name()).toList());
            assertEquals(List.of("libfoo1"), d.updated().stream().map(u -> u.after().name()).toList());
            assertEquals(List.of(
                    "barapp /usr/bin/barapp libbar.so.1()(64bit) soname-removed removal of libbar1-1.0-1.amd64",
                    "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_1.0)(64bit) version-node-removed "
                            + "update of libfoo1.amd64 1.0-1 -> 1.1-1"), d.findings().stream()
                    .map(f -> f.consumer().name() + " " + f.path() + " " + f.missing() + " " + f.reason().keyword()
                            + " " + f.rootCause()).toList());
            assertFalse(d.capabilitiesGone().isEmpty());
        }
    }

    private static List<String> lines(List<Finding> findings) {
        // Package files differ between the two views (index: absolute path; memory: the scanned path), so
        // compare what a finding says, not where its package file lies.
        return findings.stream().map(f -> String.join(" ", f.consumer().nevra(), f.path(), f.missing(),
                f.reason().keyword(), f.providerBefore() == null ? "-" : f.providerBefore().nevra(), f.rootCause()))
                .toList();
    }

    private Path index(Path dir, Path packages) throws Exception {
        new IndexRun(RunOptions.defaults(dir).withJobs(2).withLabel("test/main"), RunListener.NONE)
                .run(List.of(packages));
        return dir;
    }

    private static List<UpgradeReport.Candidate> scan(Path dir) throws Exception {
        return ScenarioPackages.scan(dir);
    }
}
