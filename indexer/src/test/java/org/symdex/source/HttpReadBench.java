package org.symdex.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * One Debian repository read over {@code file:} and over HTTP from a pooled JDK server on
 * 127.0.0.1 ({@link TestHttpServer}), alternating, each round listing the source and reading every
 * package through {@link VerifyingInputStream} with JOBS threads: what the fetcher layer costs
 * against the file system, without the ELF work of an index run.
 *
 * <pre>java -cp ... org.symdex.source.HttpReadBench REPO_DIR SUITE [ROUNDS] [JOBS] [SERVER_URL]</pre>
 *
 * With SERVER_URL (another server, e.g. nginx, serving REPO_DIR) the http rounds read from it
 * instead of the JDK server; ROUNDS 0 only serves REPO_DIR with the JDK server, until killed.
 *
 * Prints one line per round: {@code file round=1 packages=300 mb=51.3 ms=420 mb_per_s=122}.
 */
public final class HttpReadBench {
    private HttpReadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath();
        String suite = args[1];
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int jobs = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        try (TestHttpServer server = TestHttpServer.http(repo)) {
            if (rounds == 0) {
                // Serve only, for other clients (curl) to compare with: until killed.
                System.out.println(server.uri(""));
                Thread.sleep(Long.MAX_VALUE);
            }
            HttpSettings settings = HttpSettings.defaults(Map.of()).withStallWindow(Duration.ofSeconds(60));
            Fetcher fetcher = Fetchers.standard(settings);
            for (int r = 1; r <= rounds; r++) {
                for (String kind : List.of("file", "http")) {
                    String root = kind.equals("file") ? repo.toUri().toString()
                            : args.length > 4 ? args[4] : server.uri("").toString();
                    SourceSpec spec = SourceParser.parseLine("deb [arch=amd64] " + root + " " + suite + " main",
                            SourceDefaults.of("amd64")).specs().get(0);
                    long t0 = System.nanoTime();
                    List<ListedPackage> ps = new SourceReader(fetcher, SourceFilter.none()).read(spec).packages();
                    LongAdder bytes = new LongAdder();
                    ExecutorService pool = Executors.newFixedThreadPool(jobs);
                    List<Future<?>> fs = new ArrayList<>();
                    for (ListedPackage p : ps) {
                        fs.add(pool.submit(() -> {
                            try (VerifyingInputStream in = VerifyingInputStream.open(fetcher, p)) {
                                bytes.add(in.verify().size());
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                    pool.shutdown();
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    double mb = bytes.sum() / 1e6;
                    System.out.printf(Locale.ROOT, "%s round=%d packages=%d mb=%.1f ms=%d mb_per_s=%.0f%n", kind, r,
                            ps.size(), mb, ms, mb / (ms / 1000.0));
                }
            }
        }
    }
}
