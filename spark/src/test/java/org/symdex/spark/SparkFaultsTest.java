package org.symdex.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.index.IndexSession;

/**
 * Task failures (issue 17, item 4): a task that fails once after copying its shard is retried and the
 * index is still exact (the failed attempt's shard is not added); a job whose task fails every time
 * commits nothing, leaves the last night as it was, and the next run deletes its shards and does the
 * work. Spark in this JVM: local[2,2] retries a task once, local[2] not at all.
 */
class SparkFaultsTest {
    @TempDir
    Path tmp;

    private String[] inputs() {
        return new String[] {SparkTestSupport.fixture("deb").toString(), SparkTestSupport.fixture("rpm").toString(),
                SparkTestSupport.fixture("scenarios/base/deb").toString()};
    }

    private Map<String, String> reference() {
        Path idx = tmp.resolve("idx-symdex");
        String[] args = concat(new String[] {"index", "--index", idx.toString(), "--jobs", "2"}, inputs());
        assertEquals(0, SparkTestSupport.symdex(args).code());
        return SparkTestSupport.answers(idx, false);
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndTheIndexIsExact() {
        Path idx = tmp.resolve("idx-spark");
        int before = ShardTask.INJECTED.get();
        SparkTestSupport.Run r = SparkTestSupport.spark(SparkTestSupport.local().setMaster("local[2,2]"),
                new Settings.Hooks(1, -1, 0), concat(new String[] {"--index", idx.toString(), "--partitions", "4"},
                        inputs()));
        assertEquals(0, r.code(), r.err());
        assertEquals(1, ShardTask.INJECTED.get() - before, "the fault was injected once");
        assertEquals(reference(), SparkTestSupport.answers(idx, false));
        assertFalse(Files.exists(idx.resolve(Shards.DIR)), "shards left after the commit");
    }

    @Test
    void aFailedJobCommitsNothingAndTheNextRunResumes() throws Exception {
        Path idx = tmp.resolve("idx-spark");
        String[] night1 = {"--index", idx.toString(), "--partitions", "2", SparkTestSupport.fixture("deb").toString()};
        assertEquals(0, SparkTestSupport.spark(SparkTestSupport.local().setMaster("local[2]"), Settings.Hooks.NONE,
                night1).code());
        Map<String, String> lastNight = IndexSession.commitData(idx).orElseThrow();
        // local[2]: no retry, so the injected fault fails the job.
        SparkTestSupport.Run failed = SparkTestSupport.spark(SparkTestSupport.local().setMaster("local[2]"),
                new Settings.Hooks(0, -1, 0), concat(new String[] {"--index", idx.toString(), "--partitions", "3"},
                        inputs()));
        assertEquals(2, failed.code(), failed.err());
        assertTrue(failed.err().contains("the Spark job failed") && failed.err().contains("nothing of this run "
                + "committed"), failed.err());
        assertEquals(lastNight, IndexSession.commitData(idx).orElseThrow(), "the failed run committed");
        try (var s = Files.list(idx.resolve(Shards.DIR))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(Shards.MARKER)), "no marker of the failed run");
        }
        // The next run deletes the failed run's shards and reads what the last night lacks.
        SparkTestSupport.Run next = SparkTestSupport.spark(SparkTestSupport.local().setMaster("local[2]"),
                Settings.Hooks.NONE, concat(new String[] {"--index", idx.toString(), "--partitions", "3"}, inputs()));
        assertEquals(0, next.code(), next.err());
        assertFalse(Files.exists(idx.resolve(Shards.DIR)), "shards of the failed run left");
        // Against a symdex index run over the same two nights (the second's answers: diff @-1 included).
        Path ref = tmp.resolve("idx-symdex");
        assertEquals(0, SparkTestSupport.symdex("index", "--index", ref.toString(), "--jobs", "2",
                SparkTestSupport.fixture("deb").toString()).code());
        assertEquals(0, SparkTestSupport.symdex(concat(new String[] {"index", "--index", ref.toString(), "--jobs", "2"},
                inputs())).code());
        Map<String, String> want = SparkTestSupport.answers(ref, true);
        Map<String, String> have = SparkTestSupport.answers(idx, true);
        for (String q : want.keySet()) {
            assertEquals(want.get(q), have.get(q), q);
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
