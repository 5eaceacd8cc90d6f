package org.symdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.query.IndexArchiveView;

/**
 * DPDK's case (fixtures/scenarios/dpdk-default-map: a driver library re-linked with the map
 * {@code DPDK_23 { local: *; };}, its consumer dies with "undefined symbol: drv_internal_helper"). With
 * libc6 in the base the report finds it; without, the closure misses libc.so.6, the unversioned import
 * is not checked (ld.so would stop at the missing library first), and the report says so instead of
 * an all-clear. Both archive views alike.
 */
class IncompleteBaseTest {
    private static final Path DPDK = ScenarioPackages.SCENARIOS.resolve("dpdk-default-map");
    private static final Path LIBC = ScenarioPackages.SCENARIOS.resolve("base/deb/libc6_2.36-9_amd64.deb");

    @TempDir
    Path tmp;

    @Test
    void withLibcTheRemovedSymbolIsFound() throws Exception {
        Path base = base(true);
        for (UpgradeReport.Result r : reports(base)) {
            assertEquals(List.of("drvapp /usr/bin/drvapp drv_internal_helper unversioned-symbol-removed"), lines(r));
            assertEquals(List.of(), r.unchecked());
        }
    }

    @Test
    void withoutLibcTheReportSaysWhatItCouldNotCheck() throws Exception {
        Path base = base(false);
        for (UpgradeReport.Result r : reports(base)) {
            assertEquals(List.of(), lines(r));
            assertEquals(1, r.unchecked().size());
            UpgradeReport.Unchecked u = r.unchecked().get(0);
            assertEquals("drvapp", u.pkg().name());
            assertEquals("/usr/bin/drvapp", u.path());
            assertEquals(List.of("libc.so.6"), u.missing());
        }
    }

    private Path base(boolean withLibc) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(withLibc ? "with-libc" : "without-libc"));
        try (Stream<Path> s = Files.list(DPDK.resolve("base/deb"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        if (withLibc) {
            Files.copy(LIBC, dir.resolve(LIBC.getFileName()));
        }
        return dir;
    }

    /** The report from the packages in memory, then from an index of the same packages. */
    private List<UpgradeReport.Result> reports(Path base) throws Exception {
        List<UpgradeReport.Candidate> candidates = ScenarioPackages.scan(DPDK.resolve("deb"));
        List<UpgradeReport.Result> out = new ArrayList<>();
        out.add(UpgradeReport.compute(ScanFacts.archive(ScenarioPackages.scan(base)), candidates, Set.of(), false));
        Path index = tmp.resolve("idx-" + base.getFileName());
        new IndexRun(RunOptions.defaults(index), RunListener.NONE).run(List.of(base));
        try (IndexArchiveView view = IndexArchiveView.open(index)) {
            out.add(UpgradeReport.compute(view, candidates, Set.of(), false));
        }
        return out;
    }

    private static List<String> lines(UpgradeReport.Result r) {
        return r.findings().stream().map(f -> f.consumer().name() + " " + f.path() + " " + f.missing() + " "
                + f.reason().keyword()).toList();
    }
}
