package org.symdex.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The damaged-packages row of docs/reliability.md: for each of N real packages, T truncations and F
 * single-byte flips anywhere in the file (seeded), each run through {@code symdex deps} in this JVM
 * (start it with {@code -Xmx256m}); every variant must end with exit 0 (and no error line) or exit 2
 * and exactly one {@code symdex: SOURCE: reason} line, no stack trace, within 30 s. Every tenth
 * package's variants are also indexed together: the index must record each variant deps could not
 * read as a failure and hold the rest.
 *
 * <pre>
 * java -Xmx256m -cp query-cli/target/symdex.jar:query-cli/target/test-classes org.symdex.cli.DamageRun \
 *     SEED N T F PACKAGE-DIR...
 * </pre>
 */
public final class DamageRun {
    private static final long LIMIT_MS = 30_000;

    private DamageRun() {
    }

    record Outcome(int code, List<String> err, long ms) {
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int n = Integer.parseInt(args[1]);
        int truncations = Integer.parseInt(args[2]);
        int flips = Integer.parseInt(args[3]);
        List<Path> all = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            try (Stream<Path> s = Files.list(Path.of(args[i]))) {
                s.filter(p -> p.toString().endsWith(".deb") || p.toString().endsWith(".rpm")).forEach(all::add);
            }
        }
        all.sort(null);
        Random rnd = new Random(seed);
        Collections.shuffle(all, rnd);
        List<Path> chosen = all.subList(0, Math.min(n, all.size()));
        Path work = Files.createTempDirectory("symdex-damage");
        ExecutorService one = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "damage");
            t.setDaemon(true);
            return t;
        });
        long variants = 0;
        long ok = 0;
        long failed = 0;
        long maxMs = 0;
        List<Long> times = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        long bytes = 0;
        int indexed = 0;
        long t0 = System.nanoTime();
        for (int pi = 0; pi < chosen.size(); pi++) {
            Path pkg = chosen.get(pi);
            byte[] data = Files.readAllBytes(pkg);
            bytes += data.length;
            String ext = pkg.toString().endsWith(".rpm") ? ".rpm" : ".deb";
            Path dir = Files.createDirectories(work.resolve("p" + pi));
            TreeSet<Integer> cuts = new TreeSet<>();
            while (cuts.size() < Math.min(truncations, data.length)) {
                cuts.add(rnd.nextInt(data.length));
            }
            // Made one at a time from the one copy (a flip is undone after its file is written): the
            // harness must fit the same -Xmx256m as the code it checks.
            List<int[]> damaged = new ArrayList<>();
            List<String> what = new ArrayList<>();
            for (int cut : cuts) {
                damaged.add(new int[] {cut, -1, 0});
                what.add("truncated at " + cut);
            }
            for (int f = 0; f < flips; f++) {
                int at = rnd.nextInt(data.length);
                int x = 1 + rnd.nextInt(255);
                damaged.add(new int[] {data.length, at, x});
                what.add("byte " + at + " ^ 0x" + Integer.toHexString(x));
            }
            int failedHere = 0;
            for (int v = 0; v < damaged.size(); v++) {
                Path file = dir.resolve(String.format(Locale.ROOT, "v%03d%s", v, ext));
                int[] d = damaged.get(v);
                if (d[1] >= 0) {
                    data[d[1]] ^= (byte) d[2];
                }
                try (var out = Files.newOutputStream(file)) {
                    out.write(data, 0, d[0]);
                }
                if (d[1] >= 0) {
                    data[d[1]] ^= (byte) d[2];
                }
                Outcome o = deps(one, file);
                variants++;
                times.add(o.ms);
                maxMs = Math.max(maxMs, o.ms);
                String where = pkg.getFileName() + " " + what.get(v) + ": ";
                List<String> errors = o.err.stream().filter(l -> l.startsWith("symdex: " + file + ": ")).toList();
                if (o.err.stream().anyMatch(l -> l.contains("internal error") || l.contains("Exception")
                        || l.startsWith("\tat "))) {
                    violations.add(where + "internal error: " + o.err);
                } else if (o.code == 0 && !errors.isEmpty() || o.code == 2 && errors.size() != 1
                        || o.code != 0 && o.code != 2) {
                    violations.add(where + "exit " + o.code + ", " + o.err);
                } else if (o.ms > LIMIT_MS) {
                    violations.add(where + o.ms + " ms");
                }
                if (o.code == 0) {
                    ok++;
                } else {
                    failed++;
                    failedHere++;
                }
            }
            if (pi % 10 == 0) {
                Path index = work.resolve("idx" + pi);
                CliTestSupport.Run r = run(one, "index", "--index", index.toString(), "--jobs", "1", dir.toString());
                CliTestSupport.Run f = run(one, "failures", "--index", index.toString());
                long recorded = f.out().lines().count();
                if (recorded != failedHere || r.code() != (failedHere == 0 ? 0 : 2)) {
                    violations.add(pkg.getFileName() + " index: exit " + r.code() + ", " + recorded
                            + " failures recorded, deps failed " + failedHere);
                }
                indexed++;
                deleteTree(index);
            }
            deleteTree(dir);
            System.err.printf(Locale.ROOT, "%d/%d %s: %d variants, %d unreadable%n", pi + 1, chosen.size(),
                    pkg.getFileName(), damaged.size(), failedHere);
        }
        Collections.sort(times);
        System.out.printf(Locale.ROOT, "packages %d (%.1f MB), variants %d (%d truncations + %d flips each), "
                        + "exit 0: %d, exit 2: %d, violations: %d; per variant p50 %d ms, p99 %d ms, max %d ms; "
                        + "indexed %d packages' variants; heap max %d MiB; %.0f s%n",
                chosen.size(), bytes / 1e6, variants, truncations, flips, ok, failed, violations.size(),
                times.get(times.size() / 2), times.get((int) (times.size() * 0.99)), maxMs, indexed,
                Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - t0) / 1e9);
        violations.stream().limit(50).forEach(System.out::println);
        deleteTree(work);
        System.exit(violations.isEmpty() ? 0 : 1);
    }

    private static Outcome deps(ExecutorService one, Path file) throws Exception {
        long t0 = System.nanoTime();
        CliTestSupport.Run r = run(one, "deps", "--jobs", "1", file.toString());
        return new Outcome(r.code(), r.errLines(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** One in-process call, given twice the limit before it counts as a hang. */
    private static CliTestSupport.Run run(ExecutorService one, String... args) throws Exception {
        Future<CliTestSupport.Run> f = one.submit(() -> {
            var cl = Symdex.newCommandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute(args);
            return new CliTestSupport.Run(code, out.toString(), err.toString());
        });
        try {
            return f.get(2 * LIMIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.out.println("HANG: " + String.join(" ", args));
            System.exit(1);
            throw e;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
