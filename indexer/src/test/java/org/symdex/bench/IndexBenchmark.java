package org.symdex.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.symdex.index.DocumentMapper;
import org.symdex.index.IndexSession;
import org.symdex.index.PackageStamp;
import org.symdex.index.Schema;
import org.symdex.io.Limits;
import org.symdex.pkg.ReaderOptions;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;

/**
 * The indexing half of {@code symdex index}, without the package reading (docs/benchmarks.md,
 * "Indexing"), run by hand:
 * <pre>
 *   java -Xmx3g -cp ... org.symdex.bench.IndexBenchmark DIR ROUNDS SCRATCH [--no-symbols]
 * </pre>
 * Scans every package of DIR once into memory (2 jobs), then ROUNDS times maps them to documents and
 * writes a fresh index under SCRATCH with 2 jobs and commits, as IndexRun does, printing the wall
 * time, the process CPU time and the GC time of that part alone.
 */
public final class IndexBenchmark {
    private IndexBenchmark() {
    }

    private record Scanned(PackageStamp stamp, PackageScan scan) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        Path scratch = Path.of(args[2]);
        boolean symbols = !(args.length > 3 && args[3].equals("--no-symbols"));
        List<Path> pkgs;
        try (Stream<Path> s = Files.list(dir)) {
            pkgs = s.filter(p -> p.toString().endsWith(".deb") || p.toString().endsWith(".rpm")).sorted().toList();
        }
        PackageScanner scanner = new PackageScanner(ReaderOptions.defaults(), Limits.defaults(), symbols, scratch);
        List<Scanned> scans = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Scanned>> fs = new ArrayList<>();
        for (Path p : pkgs) {
            fs.add(pool.submit(() -> new Scanned(new PackageStamp(p.toString(), Files.size(p),
                    Files.getLastModifiedTime(p).toMillis(), "bench"), scanner.scan(p))));
        }
        for (Future<Scanned> f : fs) {
            try {
                scans.add(f.get());
            } catch (Exception e) {
                // unreadable package: not part of this measurement
            }
        }
        System.out.printf("scanned %d packages%n", scans.size());
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        DocumentMapper mapper = new DocumentMapper(symbols);
        for (int r = 0; r < rounds; r++) {
            Path idx = scratch.resolve("bench-index-" + r);
            System.gc();
            long cpu0 = os.getProcessCpuTime();
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            try (IndexSession session = IndexSession.open(idx, true, symbols)) {
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> done = new ArrayList<>();
                for (int j = 0; j < 2; j++) {
                    done.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < scans.size(); i = next.getAndIncrement()) {
                            Scanned s = scans.get(i);
                            var m = mapper.map(s.stamp(), "0".repeat(64), s.scan());
                            session.writer().updateDocuments(Schema.packageTerm(s.stamp().file()), m.documents());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                session.commit(Map.of());
            }
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            System.out.printf("round %d: wall %.2f s, cpu %.2f s, gc %.2f s, index %.1f MB%n", r, wall / 1e9, cpu / 1e9,
                    (gcMillis() - gc0) / 1e3, size(idx) / 1e6);
        }
        pool.shutdown();
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
