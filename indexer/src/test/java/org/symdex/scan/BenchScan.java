package org.symdex.scan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.symdex.io.Limits;
import org.symdex.pkg.ReaderOptions;

/**
 * The package-reading benchmark of issue 3 (docs/benchmarks.md), run by hand, never by the build:
 * <pre>
 *   java -cp ... org.symdex.scan.BenchScan JOBS default|java|hybrid|system-xz DIR...
 * </pre>
 * Scans every .deb/.rpm in the DIRs with JOBS threads sharing one PackageScanner (the way
 * {@code symdex deps --jobs N} does, largest first) and prints the wall time and what was found.
 */
public final class BenchScan {
    private BenchScan() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(args[0]);
        ReaderOptions options = switch (args[1]) {
            case "java" -> ReaderOptions.pureJava();
            case "system-xz" -> ReaderOptions.systemXzAlways();
            case "hybrid" -> ReaderOptions.systemXz();
            default -> ReaderOptions.defaults();
        };
        List<Path> pkgs = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            try (Stream<Path> s = Files.list(Path.of(args[i]))) {
                s.filter(p -> p.toString().endsWith(".deb") || p.toString().endsWith(".rpm")).sorted().forEach(pkgs::add);
            }
        }
        PackageScanner scanner = new PackageScanner(options, Limits.defaults(), false,
                Path.of(System.getProperty("java.io.tmpdir")));
        LongAdder files = new LongAdder();
        LongAdder caps = new LongAdder();
        LongAdder failed = new LongAdder();
        long t0 = System.nanoTime();
        // Scheduled as symdex deps schedules them: largest first, in a window of 512 per job.
        new org.symdex.batch.LargestFirst<Path, Integer>(pkgs, p -> p.toFile().length(), jobs, 512 * jobs, "bench")
                .run(p -> {
                    try {
                        PackageScan s = scanner.scan(p);
                        files.add(s.files().size());
                        for (ScannedFile f : s.files()) {
                            caps.add(f.caps().provides().size() + f.caps().requires().size());
                        }
                    } catch (Exception e) {
                        failed.increment();
                        System.err.println("symdex: " + p + ": " + e.getMessage());
                    }
                    return 0;
                }, r -> { });
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d packages, %d ELF files, %d capability lines, %d failed, %d jobs, %s: %.2f s%n",
                pkgs.size(), files.sum(), caps.sum(), failed.sum(), jobs, args[1], secs);
    }
}
