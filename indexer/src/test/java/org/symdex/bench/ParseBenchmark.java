package org.symdex.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;

/**
 * A plain harness (not a test): parse and derive capabilities for every regular ELF file of a directory,
 * files already in memory, on one thread. See docs/benchmarks.md for the command and figures.
 *
 * <pre>java -cp indexer/target/classes:indexer/target/test-classes org.symdex.bench.ParseBenchmark DIR [ROUNDS]</pre>
 */
public final class ParseBenchmark {
    private ParseBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/lib/x86_64-linux-gnu");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<ByteBuffer> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                byte[] b = Files.readAllBytes(p);
                if (ElfFile.looksLikeElf(ByteBuffer.wrap(b))) {
                    // Direct buffers, like the mapped files and reused package buffers of real runs.
                    ByteBuffer d = ByteBuffer.allocateDirect(b.length);
                    d.put(b).flip();
                    files.add(d);
                    names.add(p.toString());
                    bytes += b.length;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d ELF files, %.1f MB in memory, %s, %s%n", files.size(), bytes / 1e6,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        for (boolean symbols : new boolean[] {false, true}) {
            for (int r = 0; r < 3; r++) {
                run(files, names, symbols); // warm-up
            }
            long best = Long.MAX_VALUE;
            long total = 0;
            long caps = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                caps = run(files, names, symbols);
                long dt = System.nanoTime() - t0;
                best = Math.min(best, dt);
                total += dt;
            }
            double mean = total / (double) rounds;
            System.out.printf(Locale.ROOT, "%-28s mean %7.1f ms  best %7.1f ms  %8.0f files/s  %8.0f MB/s  (%d capabilities)%n",
                    symbols ? "parse+symbols+derive:" : "parse+derive:", mean / 1e6, best / 1e6,
                    files.size() / (mean / 1e9), bytes / 1e6 / (mean / 1e9), caps);
        }
    }

    private static long run(List<ByteBuffer> files, List<String> names, boolean symbols) {
        long caps = 0;
        for (int i = 0; i < files.size(); i++) {
            try {
                ElfFile elf = ElfFile.parse(files.get(i), symbols);
                ElfCapabilities c = CapabilityDeriver.derive(elf, names.get(i), 0755);
                caps += c.provides().size() + c.requires().size() + elf.dynamicSymbols().size();
            } catch (ElfFormatException e) {
                // counted as nothing, as elfdeps prints nothing
            }
        }
        return caps;
    }
}
