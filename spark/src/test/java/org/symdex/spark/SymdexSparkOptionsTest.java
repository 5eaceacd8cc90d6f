package org.symdex.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** symdex-spark's command line (issue 17, item 1): symdex index's options but three, and its own three. */
class SymdexSparkOptionsTest {
    @Test
    void takesIndexsOptionsButJobsCommitEveryAndMerge() {
        SparkTestSupport.Run help = SparkTestSupport.spark(SparkTestSupport.local(), Settings.Hooks.NONE, "--help");
        assertEquals(0, help.code(), help.err());
        for (String o : new String[] {"--master", "--partitions", "--shard-dir", "--index", "--label", "--prune",
                "--max-prune", "--force-prune", "--prune-missing-roots", "--keep", "--rebuild", "--no-symbols", "--source",
                "--sources", "--section", "--allow-older", "--format", "--xz-decoder", "--timeout"}) {
            assertTrue(help.out().contains(o), o + " missing from --help:\n" + help.out());
        }
        for (String o : new String[] {"--jobs", "--commit-every", "--merge", "--test-fault", "--keep-shards"}) {
            // Declared neither in the synopsis nor as an option line (--xz-decoder's text may mention --jobs).
            assertFalse(help.out().contains("[" + o) || java.util.regex.Pattern.compile("(?m)^\\s*(-\\w, )?" + o + "\\b")
                    .matcher(help.out()).find(), o + " in --help:\n" + help.out());
        }
        for (String o : new String[] {"--jobs", "--commit-every", "--merge"}) {
            SparkTestSupport.Run r = SparkTestSupport.spark(SparkTestSupport.local(), Settings.Hooks.NONE, o, "2",
                    "--index", "idx", "x.deb");
            assertEquals(2, r.code(), o + ": " + r.err());
            assertTrue(r.err().contains("unknown option '" + o + "'"), r.err());
        }
    }

    @Test
    void refusesWhatIndexRefusesAndNoPartitions() {
        SparkTestSupport.Run r = SparkTestSupport.spark(SparkTestSupport.local(), Settings.Hooks.NONE, "--partitions",
                "0", "--index", "idx", "x.deb");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--partitions must be at least 1"), r.err());
        r = SparkTestSupport.spark(SparkTestSupport.local(), Settings.Hooks.NONE, "--index", "idx");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("nothing to index"), r.err());
        r = SparkTestSupport.spark(SparkTestSupport.local(), Settings.Hooks.NONE, "--prune-missing-roots", "--index",
                "idx", "x.deb");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--prune-missing-roots needs --prune"), r.err());
    }
}
