package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;

/**
 * A killed run's last commit holds part of the run: lookups say so in one line, and every command whose
 * exit code reports findings refuses it (exit 2) unless --allow-partial (faults issue, item 4). Before,
 * diff of such an index reported the missing packages as removed and exited 1, with no warning.
 */
class UnfinishedIndexTest {
    @TempDir
    static Path tmp;
    static Path done;
    static Path partial;
    static String warning;
    static String refusal;

    @BeforeAll
    static void indexes() throws Exception {
        Path base = CliTestSupport.root().resolve("fixtures/scenarios/base/deb");
        done = tmp.resolve("done");
        partial = tmp.resolve("partial");
        new IndexRun(RunOptions.defaults(done), RunListener.NONE).run(List.of(base));
        assertThrows(IndexRun.InjectedCrash.class, () -> new IndexRun(RunOptions.defaults(partial).withJobs(1)
                .withCommitEvery(1).withCrashAfterCommits(3), RunListener.NONE).run(List.of(base)));
        warning = "symdex: " + partial + ": the last run did not finish (3 of 7 packages committed)";
        refusal = warning + "; its answers would hold only part of that run: run index again to finish it, or give "
                + "--allow-partial";
    }

    @Test
    void lookupsAnswerWithOneWarningLine() {
        for (String[] q : List.of(new String[] {"whatrequires", "libc.so.6*"}, new String[] {"whatprovides", "*"},
                new String[] {"failures"})) {
            String[] args = new String[q.length + 2];
            args[0] = q[0];
            args[1] = "--index";
            args[2] = partial.toString();
            System.arraycopy(q, 1, args, 3, q.length - 1);
            CliTestSupport.Run r = CliTestSupport.run(args);
            // one warning line; a lookup that found nothing then says so (issue 16: never silent)
            List<String> want = r.code() == 1 ? List.of(warning, "symdex: nothing " + q[0].substring(4) + " '" + q[1] + "'")
                    : List.of(warning);
            assertEquals(want, r.errLines(), String.join(" ", q));
        }
    }

    @Test
    void commandsThatReportFindingsRefuseItUnlessAllowed() {
        CliTestSupport.Run broken = CliTestSupport.run("broken", "--index", partial.toString());
        assertEquals(2, broken.code());
        assertEquals(List.of(refusal), broken.errLines());
        assertEquals("", broken.out());
        CliTestSupport.Run allowed = CliTestSupport.run("broken", "--index", partial.toString(), "--allow-partial");
        assertEquals(List.of(warning), allowed.errLines());

        CliTestSupport.Run baseline = CliTestSupport.run("broken", "--index", done.toString(), "--only-new",
                partial.toString());
        assertEquals(2, baseline.code());
        assertEquals(List.of(refusal), baseline.errLines());

        CliTestSupport.Run diff = CliTestSupport.run("diff", done.toString(), partial.toString());
        assertEquals(2, diff.code());
        assertEquals(List.of(refusal), diff.errLines());
        CliTestSupport.Run diffAllowed = CliTestSupport.run("diff", "--allow-partial", done.toString(),
                partial.toString());
        assertEquals(1, diffAllowed.code(), diffAllowed.err());
        assertTrue(diffAllowed.out().startsWith("packages: 0 added, 4 removed"), diffAllowed.out());

        String candidate = CliTestSupport.root().resolve("fixtures/scenarios/node-removed/deb/libfoo1_1.1-1_amd64.deb")
                .toString();
        CliTestSupport.Run report = CliTestSupport.run("upgrade-report", "--index", partial.toString(), candidate);
        assertEquals(2, report.code());
        assertEquals(List.of(refusal), report.errLines());
        CliTestSupport.Run onlyNew = CliTestSupport.run("upgrade-report", "--index", done.toString(), "--only-new",
                partial.toString(), candidate);
        assertEquals(2, onlyNew.code());
        assertEquals(List.of(refusal), onlyNew.errLines());
    }

    @Test
    void infoTellsARunInProgressFromOneThatDidNotFinish() throws Exception {
        CliTestSupport.Run info = CliTestSupport.run("info", "--index", partial.toString());
        assertEquals(0, info.code());
        assertTrue(info.out().contains("did not finish (3 of 7 packages committed); run symdex index again to "
                + "finish it"), info.out());
        assertTrue(!info.out().contains("in progress"), info.out());
        try (var d = FSDirectory.open(partial);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setCommitOnClose(false))) {
            CliTestSupport.Run during = CliTestSupport.run("info", "--index", partial.toString());
            assertTrue(during.out().contains("now: a run is in progress"), during.out());
            CliTestSupport.Run json = CliTestSupport.run("info", "--index", partial.toString(), "--format", "json");
            assertTrue(json.out().contains("\"runInProgress\":true"), json.out());
            assertTrue(json.out().contains("\"lastRunDone\":3,\"lastRunTotal\":7"), json.out());
        }
        CliTestSupport.Run finished = CliTestSupport.run("info", "--index", done.toString());
        assertTrue(finished.out().contains(", finished 20"), finished.out());
        assertTrue(Files.isDirectory(done));
    }
}
