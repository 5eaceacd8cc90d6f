package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nightly indexes built from the scenario packages: last night's is fixtures/scenarios/base/deb;
 * tonight's has libfoo1 updated (node LIBFOO_1.0 removed), libbar1 dropped, libfoo2 new, the rest
 * untouched. Every line of the diff is checked, and the index-backed upgrade report with --only-new.
 */
class DiffCommandTest {
    static final Path SC = CliTestSupport.root().resolve("fixtures/scenarios");

    @TempDir
    Path temp;
    Path lastNight;
    Path tonight;

    @BeforeEach
    void indexes() throws Exception {
        lastNight = temp.resolve("last");
        tonight = temp.resolve("tonight");
        Path pkgs = Files.createDirectories(temp.resolve("tonight-pkgs"));
        try (Stream<Path> s = Files.list(SC.resolve("base/deb"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith("libfoo1_") && !n.startsWith("libbar1_")) {
                    Files.copy(p, pkgs.resolve(n));
                }
            }
        }
        for (String sc : List.of("node-removed", "soname-bump")) {
            try (Stream<Path> s = Files.list(SC.resolve(sc).resolve("deb"))) {
                for (Path p : s.toList()) {
                    Files.copy(p, pkgs.resolve(p.getFileName()));
                }
            }
        }
        assertEquals(0, CliTestSupport.run("index", "--index", lastNight.toString(), SC.resolve("base/deb").toString()).code());
        assertEquals(0, CliTestSupport.run("index", "--index", tonight.toString(), pkgs.toString()).code());
    }

    @Test
    void everyLineOfTheTextDiff() {
        CliTestSupport.Run r = CliTestSupport.run("diff", lastNight.toString(), tonight.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of(
                "packages: 1 added, 1 removed, 1 updated",
                "  added:   libfoo2-2.0-1.amd64",
                "  removed: libbar1-1.0-1.amd64",
                "  updated: libfoo1.amd64 1.0-1 -> 1.1-1",
                "capabilities no longer provided (2):",
                "  x86-64/64 libbar.so.1()(64bit)  (was libbar1-1.0-1.amd64)",
                "  x86-64/64 libfoo.so.1(LIBFOO_1.0)(64bit)  (was libfoo1-1.0-1.amd64)",
                "exported symbols no longer provided (4):",
                "  x86-64/64 libfoo.so.1: LIBFOO_1.0@@LIBFOO_1.0  (was libfoo1-1.0-1.amd64)",
                "  x86-64/64 libfoo.so.1: foo_keep@@LIBFOO_1.0  (was libfoo1-1.0-1.amd64)",
                "  x86-64/64 libfoo.so.1: foo_old@@LIBFOO_1.0  (was libfoo1-1.0-1.amd64)",
                "  x86-64/64 libfoo.so.1: foo_unv@@LIBFOO_1.0  (was libfoo1-1.0-1.amd64)",
                "  (and 2 of sonames gone entirely, named under capabilities; --all-symbols lists them)",
                "2 newly broken requirement(s):",
                "",
                "root cause: removal of libbar1-1.0-1.amd64 (1 finding(s), 1 source package(s))",
                "  source barapp (1):",
                "    package: barapp-1.0-1.amd64",
                "      /usr/bin/barapp: libbar.so.1()(64bit)  [soname-removed; provided before by libbar1-1.0-1.amd64]",
                "",
                "root cause: update of libfoo1.amd64 1.0-1 -> 1.1-1 (1 finding(s), 1 source package(s))",
                "  source fooapp (1):",
                "    package: fooapp-1.0-1.amd64",
                "      /usr/bin/fooapp: libfoo.so.1(LIBFOO_1.0)(64bit)  [version-node-removed; provided before by "
                        + "libfoo1-1.0-1.amd64]"), r.out().lines().toList());
    }

    @Test
    void tsvAndJson() {
        CliTestSupport.Run tsv = CliTestSupport.run("diff", "--format", "tsv", lastNight.toString(), tonight.toString());
        assertEquals(List.of(
                "barapp\t1.0-1\tamd64\t/usr/bin/barapp\tlibbar.so.1()(64bit)\tsoname-removed\tlibbar1-1.0-1.amd64\t"
                        + "removal of libbar1-1.0-1.amd64\t-\t-",
                "fooapp\t1.0-1\tamd64\t/usr/bin/fooapp\tlibfoo.so.1(LIBFOO_1.0)(64bit)\tversion-node-removed\t"
                        + "libfoo1-1.0-1.amd64\tupdate of libfoo1.amd64 1.0-1 -> 1.1-1\t-\t-"), tsv.out().lines().toList());
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(CliTestSupport.run("diff", "--format", "json", lastNight.toString(),
                tonight.toString()).out());
        assertEquals("diff", doc.get("command"));
        assertEquals(2L, doc.get("findings"));
        Map<?, ?> packages = (Map<?, ?>) doc.get("packages");
        assertEquals(List.of(Map.of("name", "libfoo1", "arch", "amd64", "from", "1.0-1", "to", "1.1-1")),
                packages.get("updated"));
        assertEquals(4, ((List<?>) doc.get("symbolsGone")).size());
        assertEquals(2L, doc.get("symbolsOfGoneSonames"));
        Map<?, ?> every = (Map<?, ?>) MiniJson.parse(CliTestSupport.run("diff", "--format", "json", "--all-symbols",
                lastNight.toString(), tonight.toString()).out());
        assertEquals(6, ((List<?>) every.get("symbolsGone")).size());
        assertEquals(0L, every.get("symbolsOfGoneSonames"));
        List<String> text = CliTestSupport.run("diff", "--all-symbols", lastNight.toString(), tonight.toString())
                .out().lines().toList();
        assertEquals(true, text.contains("  x86-64/64 libbar.so.1: bar_b  (was libbar1-1.0-1.amd64)"), text.toString());
        assertEquals(true, text.contains("exported symbols no longer provided (6):"), text.toString());
    }

    @Test
    void sameIndexTwiceIsExit0AndMissingIndexIsExit2() {
        CliTestSupport.Run same = CliTestSupport.run("diff", lastNight.toString(), lastNight.toString());
        assertEquals(0, same.code());
        assertTrue(same.out().endsWith("nothing newly broken\n"), same.out());
        CliTestSupport.Run missing = CliTestSupport.run("diff", lastNight.toString(), temp.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertEquals(List.of("symdex: " + temp.resolve("nope") + ": no symdex index there"), missing.errLines());
    }

    @Test
    void brokenOnlyNewHidesWhatTheBaselineHad() {
        CliTestSupport.Run tonightBroken = CliTestSupport.run("broken", "--index", tonight.toString(), "--format", "tsv",
                "--only-new", lastNight.toString());
        assertEquals(1, tonightBroken.code(), tonightBroken.err());
        List<String> lines = tonightBroken.out().lines().map(l -> {
            String[] f = l.split("\t");
            return f[0] + " " + f[4] + " " + f[5];
        }).toList();
        assertEquals(List.of("barapp /usr/bin/barapp libbar.so.1()(64bit)",
                "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_1.0)(64bit)"), lines);
        CliTestSupport.Run againstItself = CliTestSupport.run("broken", "--index", tonight.toString(),
                "--only-new", tonight.toString());
        assertEquals(0, againstItself.code(), againstItself.out());
    }

    @Test
    void upgradeReportFromTheIndexAndOnlyNew() {
        // Against tonight's index, removing librte1 breaks rteapp; against last night's as the baseline it
        // is still new. Removing libfoo2 breaks nothing; barapp's missing libbar is old news tonight.
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--index", tonight.toString(), "--format", "tsv",
                "--only-new", lastNight.toString(), "--remove", "librte1");
        assertEquals(1, r.code(), r.err());
        assertEquals(List.of("rteapp\t1.0-1\tamd64\t/usr/bin/rteapp\tlibrte.so.1()(64bit)\tsoname-removed\t"
                + "librte1-1.0-1.amd64\tremove librte1-1.0-1.amd64\t-\t-",
                "rteapp\t1.0-1\tamd64\t/usr/bin/rteapp\tlibrte.so.1(DPDK_21)(64bit)\tsoname-removed\t"
                + "librte1-1.0-1.amd64\tremove librte1-1.0-1.amd64\t-\t-"), r.out().lines().toList());
        // Tonight's index still lacks libbar: a report on it does not repeat what is already broken.
        CliTestSupport.Run none = CliTestSupport.run("upgrade-report", "--index", tonight.toString(),
                "--remove", "libfoo2");
        assertEquals(0, none.code(), none.out());
        // --only-new hides what the baseline already had: barapp lacked libbar.so.1 tonight already.
        CliTestSupport.Run hidden = CliTestSupport.run("upgrade-report", "--index", lastNight.toString(),
                "--only-new", tonight.toString(), "--remove", "libbar1", "--format", "tsv");
        assertEquals(0, hidden.code(), hidden.out());
        assertEquals("", hidden.out());
    }
}
