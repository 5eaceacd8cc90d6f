package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** symdex upgrade-report on the scenario packages of fixtures/scenarios, as a release engineer runs it. */
class UpgradeReportCommandTest {
    static final Path SC = CliTestSupport.root().resolve("fixtures/scenarios");

    @TempDir
    Path temp;

    @Test
    void symbolRemovedIsExit1WithTheTsvColumns() {
        Path cand = SC.resolve("symbol-removed/deb/libfoo1_1.3-1_amd64.deb");
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--base", SC.resolve("base/deb").toString(),
                "--format", "tsv", cand.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("fooapp\t1.0-1\tamd64\t/usr/bin/fooapp\tfoo_unv@LIBFOO_1.0\tsymbol-removed\t"
                + "libfoo1-1.0-1.amd64\tlibfoo1-1.3-1.amd64\t-\t-\n", r.out()); // UNIVERSE, LABELS: a --base has none
    }

    @Test
    void textGroupsByRootCauseThenSource() {
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--base", SC.resolve("base/rpm").toString(),
                "--whole-sources", SC.resolve("soname-bump/rpm").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of(
                "change: 1 candidate(s), 1 package(s) leaving the archive",
                "  leaves: libfoo1-1.0-1.x86_64",
                "  enters: libfoo2-2.0-1.x86_64",
                "3 newly broken requirement(s):",
                "",
                "root cause: source foo rebuilt as libfoo2-2.0-1.x86_64 (3 finding(s), 1 source package(s))",
                "  source fooapp (3):",
                "    package: fooapp-1.0-1.x86_64",
                "      /usr/bin/fooapp: libfoo.so.1()(64bit)  [soname-removed; provided before by libfoo1-1.0-1.x86_64]",
                "      /usr/bin/fooapp: libfoo.so.1(LIBFOO_1.0)(64bit)  [soname-removed; provided before by libfoo1-1.0-1.x86_64]",
                "      /usr/bin/fooapp: libfoo.so.1(LIBFOO_2.0)(64bit)  [soname-removed; provided before by libfoo1-1.0-1.x86_64]"),
                r.out().lines().toList());
    }

    @Test
    void controlsAreExit0() {
        for (String sc : List.of("node-added", "dpdk-kept-old")) {
            CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--base", SC.resolve("base/deb").toString(),
                    SC.resolve(sc + "/deb").toString());
            assertEquals(0, r.code(), sc + ": " + r.out() + r.err());
            assertTrue(r.out().endsWith("nothing newly broken\n"), r.out());
        }
    }

    @Test
    void jsonHasCountsAndGroups() {
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--base", SC.resolve("base/deb").toString(),
                "--remove", "libbar1", "--format", "json");
        assertEquals(1, r.code());
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
        assertEquals("upgrade-report", doc.get("command"));
        assertEquals(1L, doc.get("findings"));
        Map<?, ?> group = (Map<?, ?>) ((List<?>) doc.get("results")).get(0);
        assertEquals("remove libbar1-1.0-1.amd64", group.get("rootCause"));
        Map<?, ?> source = (Map<?, ?>) ((List<?>) group.get("sources")).get(0);
        assertEquals("barapp", source.get("source"));
        Map<?, ?> finding = (Map<?, ?>) ((List<?>) source.get("findings")).get(0);
        assertEquals("libbar.so.1()(64bit)", finding.get("missing"));
        assertEquals("soname-removed", finding.get("reason"));
    }

    @Test
    void unreadableCandidateIsExit2() throws Exception {
        Path bad = Files.writeString(temp.resolve("broken.deb"), "!<arch>\ndebian-binary   garbage");
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--base", SC.resolve("base/deb").toString(),
                bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("symdex: " + bad + ": "), r.err());
    }

    @Test
    void nothingToDoIsUsageError() {
        assertEquals(2, CliTestSupport.run("upgrade-report", "--base", SC.resolve("base/deb").toString()).code());
    }
}
