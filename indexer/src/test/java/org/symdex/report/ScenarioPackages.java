package org.symdex.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.symdex.cap.TestPaths;
import org.symdex.io.Limits;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.ReaderOptions;
import org.symdex.scan.PackageScanner;

/** The packages of fixtures/scenarios as report inputs, for the report and index-view tests. */
public final class ScenarioPackages {
    public static final Path SCENARIOS = TestPaths.root().resolve("fixtures/scenarios");
    private static final PackageScanner SCANNER = new PackageScanner(ReaderOptions.defaults(), Limits.defaults(), true,
            Path.of(System.getProperty("java.io.tmpdir")));

    private ScenarioPackages() {
    }

    /** Every package of a directory, scanned with symbols, in file-name order. */
    public static List<UpgradeReport.Candidate> scan(Path dir) throws IOException, PackageFormatException {
        List<UpgradeReport.Candidate> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                out.add(ScanFacts.candidate(p, SCANNER.scan(p)));
            }
        }
        return out;
    }
}
