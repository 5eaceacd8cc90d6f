package org.symdex.source;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads one Debian source and prints how long it took and how much heap it kept, for
 * {@link StreamingParseTest}, which runs it in a JVM of its own with {@code -Xmx64m}: a parser
 * that held the decompressed Packages (50 MB for bookworm main amd64) would not finish there.
 *
 * <pre>java -Xmx64m -cp ... org.symdex.source.SourceParseBench REPO_DIR SUITE [ROUNDS]</pre>
 *
 * Prints one line per round: {@code round=1 packages=63440 ms=2100 retained_mib=21 peak_heap_mib=48}.
 */
public final class SourceParseBench {
    private SourceParseBench() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        String suite = args[1];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        SourceSpec spec = SourceParser.parseLine("deb [arch=amd64] " + repo.toUri() + " " + suite + " main",
                SourceDefaults.of("amd64")).specs().get(0);
        SourceReader reader = new SourceReader(new FileFetcher(), SourceFilter.none());
        for (int r = 1; r <= rounds; r++) {
            long t0 = System.nanoTime();
            SourceListing l = reader.read(spec);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            Runtime rt = Runtime.getRuntime();
            long retained = rt.totalMemory() - rt.freeMemory();
            long peak = 0;
            for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == MemoryType.HEAP) {
                    peak += p.getPeakUsage().getUsed();
                }
            }
            System.out.printf(Locale.ROOT, "round=%d packages=%d ms=%d retained_mib=%d peak_heap_mib=%d max_heap_mib=%d%n",
                    r, l.packages().size(), ms, retained >> 20, peak >> 20, rt.maxMemory() >> 20);
        }
    }
}
