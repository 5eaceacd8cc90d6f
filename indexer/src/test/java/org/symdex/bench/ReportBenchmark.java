package org.symdex.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.symdex.io.Limits;
import org.symdex.pkg.ReaderOptions;
import org.symdex.query.IndexArchiveView;
import org.symdex.report.NightlyDiff;
import org.symdex.report.PackageRef;
import org.symdex.report.ScanFacts;
import org.symdex.report.UpgradeReport;
import org.symdex.scan.PackageScanner;

/**
 * A plain harness (not a test): in-process timings of upgrade reports and nightly diffs on real indexes.
 * See docs/benchmarks.md for the commands and figures.
 *
 * <pre>java -cp query-cli/target/symdex.jar:indexer/target/test-classes org.symdex.bench.ReportBenchmark INDEX [OLD-INDEX]</pre>
 * With one index: 20 upgrade reports, each with one library package of the index (re-read from its file)
 * as the candidate, then one report with 100 packages at once. With OLD-INDEX too: the diff OLD -> INDEX.
 */
public final class ReportBenchmark {
    private ReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        PackageScanner scanner = new PackageScanner(ReaderOptions.defaults(), Limits.defaults(), true,
                Path.of(System.getProperty("java.io.tmpdir")));
        try (IndexArchiveView index = IndexArchiveView.open(Path.of(args[0]))) {
            if (args.length > 1) {
                try (IndexArchiveView old = IndexArchiveView.open(Path.of(args[1]))) {
                    for (int i = 0; i < 3; i++) {
                        long t0 = System.nanoTime();
                        NightlyDiff.Result d = NightlyDiff.compute(old, index);
                        System.out.printf(Locale.ROOT, "diff: %.0f ms; %d added, %d removed, %d updated, %d capabilities "
                                + "and %d symbols gone, %d findings%n", (System.nanoTime() - t0) / 1e6, d.added().size(),
                                d.removed().size(), d.updated().size(), d.capabilitiesGone().size(),
                                d.symbolsGone().size(), d.findings().size());
                    }
                }
                return;
            }
            List<PackageRef> libs = new ArrayList<>();
            for (PackageRef p : index.packages()) {
                if (p.name().startsWith("lib") && !index.filesOf(p).isEmpty()) {
                    libs.add(p);
                }
            }
            libs.sort((a, b) -> a.key().compareTo(b.key()));
            Random r = new Random(6);
            List<UpgradeReport.Candidate> hundred = new ArrayList<>();
            long[] compute = new long[20];
            long scanTotal = 0;
            int findings = 0;
            for (int i = 0; i < 120; i++) {
                PackageRef p = libs.get(r.nextInt(libs.size()));
                long t0 = System.nanoTime();
                UpgradeReport.Candidate c = ScanFacts.candidate(Path.of(p.file()), scanner.scan(Path.of(p.file())));
                long t1 = System.nanoTime();
                if (i < 20) {
                    UpgradeReport.Result res = UpgradeReport.compute(index, List.of(c), Set.of(), false);
                    compute[i] = System.nanoTime() - t1;
                    scanTotal += t1 - t0;
                    findings += res.findings().size();
                    System.out.printf(Locale.ROOT, "  %-40s scan %5.0f ms, report %5.0f ms, %d findings%n", p.nevra(),
                            (t1 - t0) / 1e6, compute[i] / 1e6, res.findings().size());
                } else {
                    hundred.add(c);
                }
            }
            long[] sorted = compute.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "one library package: report p50 %.0f ms, max %.0f ms (scan of the "
                    + "candidate: mean %.0f ms), %d findings in all%n", sorted[10] / 1e6, sorted[19] / 1e6,
                    scanTotal / 20 / 1e6, findings);
            long t0 = System.nanoTime();
            UpgradeReport.Result res = UpgradeReport.compute(index, hundred, Set.of(), false);
            System.out.printf(Locale.ROOT, "100 packages at once: report %.0f ms, %d findings%n",
                    (System.nanoTime() - t0) / 1e6, res.findings().size());
        }
    }
}
