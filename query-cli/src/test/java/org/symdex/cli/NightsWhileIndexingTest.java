package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.batch.RunReport;

/**
 * Releases issue, tests: {@code diff DIR@-1 DIR} while {@code index} runs. A run holds the write lock
 * and has read part of tonight's packages; the readers still answer from the last two finished nights,
 * exactly as before the run started, and {@code info} says a run is in progress. When the run commits,
 * the same command compares the new night with the one before.
 */
class NightsWhileIndexingTest {
    static final Path SC = CliTestSupport.root().resolve("fixtures/scenarios");

    @TempDir
    Path tmp;

    @Test
    void diffOfTheLastTwoNightsAnswersWhileARunHoldsTheIndex() throws Exception {
        Path pool = Files.createDirectories(tmp.resolve("pool"));
        Path idx = tmp.resolve("idx");
        copyAll(SC.resolve("base/deb"), pool);
        assertEquals(0, CliTestSupport.run("index", "--index", idx.toString(), "--prune", pool.toString()).code());
        // Night 2: libfoo1 1.1 replaces 1.0 (node LIBFOO_1.0 removed: fooapp breaks).
        Files.delete(pool.resolve("libfoo1_1.0-1_amd64.deb"));
        Files.copy(SC.resolve("node-removed/deb/libfoo1_1.1-1_amd64.deb"), pool.resolve("libfoo1_1.1-1_amd64.deb"));
        assertEquals(0, CliTestSupport.run("index", "--index", idx.toString(), "--prune", pool.toString()).code());
        CliTestSupport.Run before = CliTestSupport.run("diff", "--format", "tsv", idx + "@-1", idx.toString());
        assertEquals(1, before.code(), before.err());

        // Night 3 starts: the soname bump's packages arrive; the run stops at its first package.
        copyAll(SC.resolve("soname-bump/deb"), pool);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<RunReport> run = ex.submit(() -> new IndexRun(RunOptions.defaults(idx).withPrune(true).withJobs(1),
                    new RunListener() {
                        @Override
                        public void packageStarted(String packageFile) {
                            if (once.compareAndSet(false, true)) {
                                started.countDown();
                                try {
                                    go.await(60, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                            }
                        }
                    }).run(List.of(pool)));
            assertTrue(started.await(60, TimeUnit.SECONDS), "the run never started a package");

            CliTestSupport.Run during = CliTestSupport.run("diff", "--format", "tsv", idx + "@-1", idx.toString());
            assertEquals(before, during, "the diff of the two finished nights, unchanged while the run holds the lock");
            CliTestSupport.Run info = CliTestSupport.run("info", "--index", idx.toString());
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("a run is in progress"), info.out());

            go.countDown();
            RunReport report = run.get(60, TimeUnit.SECONDS);
            assertTrue(report.added() > 0, "night 3 added the soname bump's packages");
        } finally {
            go.countDown();
            ex.shutdownNow();
        }
        CliTestSupport.Run after = CliTestSupport.run("diff", "--format", "tsv", idx + "@-1", idx.toString());
        assertTrue(!after.equals(before), "night 3 against night 2, not night 2 against night 1: " + after);
        CliTestSupport.Run twoBack = CliTestSupport.run("diff", "--format", "tsv", idx + "@-2", idx + "@-1");
        assertEquals(before, twoBack, "yesterday's comparison, named from tonight");
    }

    private static void copyAll(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
