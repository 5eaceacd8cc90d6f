package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import picocli.CommandLine;

/**
 * The command line's contract (issue "One clear line and the right exit code"), in-process: one
 * mapping of exit codes, usage errors in two lines, typos refused, reasons kept, refusals, honest
 * counts and lines safe for a terminal. The process-level half (output errors, pipes, permissions,
 * completion, man page) is CliContractIT. Each of these failed before.
 */
class CliContractTest {
    @TempDir
    static Path tmp;
    static Path index;
    static final Path BASE = CliTestSupport.root().resolve("fixtures/scenarios/base/deb");
    static final String CANDIDATE = CliTestSupport.root()
            .resolve("fixtures/scenarios/node-removed/deb/libfoo1_1.1-1_amd64.deb").toString();

    @BeforeAll
    static void index() throws Exception {
        index = tmp.resolve("idx");
        new IndexRun(RunOptions.defaults(index), RunListener.NONE).run(List.of(BASE));
    }

    // ---- item 1: exit codes from one place -----------------------------------------------------------

    @Test
    void codesCombineWithTheWorstWinning() {
        assertEquals(70, Symdex.worst(2, 70));
        assertEquals(70, Symdex.worst(70, 1));
        assertEquals(2, Symdex.worst(1, 2));
        assertEquals(1, Symdex.worst(0, 1));
        assertEquals(0, Symdex.worst(0, 0));
        assertEquals(143, Symdex.worst(70, 143));
    }

    /** A damaged index is unreadable input (2), not an internal error (70): diff used to say 70. */
    @Test
    void aDamagedIndexIsExitTwoForDiffAndReports() throws Exception {
        // Tonight: libfoo1 updated, so the diff reads its stored documents, which are damaged.
        Path tonight = Files.createDirectories(tmp.resolve("tonight"));
        try (var s = Files.list(BASE)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().startsWith("libfoo1")).toList()) {
                Files.copy(p, tonight.resolve(p.getFileName()));
            }
        }
        Files.copy(Path.of(CANDIDATE), tonight.resolve("libfoo1_1.1-1_amd64.deb"));
        Path broken = tmp.resolve("broken-idx");
        new IndexRun(RunOptions.defaults(broken), RunListener.NONE).run(List.of(tonight));
        try (var s = Files.list(broken)) {
            // The segments' data past their headers (small segments are compound files): Lucene's
            // checksums or its reads past a file's end say so, as IOExceptions.
            for (Path f : s.filter(p -> p.getFileName().toString().matches(".*\\.(cfs|fdt)")).toList()) {
                byte[] b = Files.readAllBytes(f);
                for (int i = 200; i < b.length - 200; i += 3) {
                    b[i] ^= 0x5a;
                }
                Files.write(f, b);
            }
        }
        CliTestSupport.Run diff = CliTestSupport.run("diff", index.toString(), broken.toString());
        assertEquals(2, diff.code(), diff.out() + diff.err());
        assertEquals(1, diff.errLines().size(), diff.err());
        assertTrue(diff.err().startsWith("symdex: " + broken + ": "), diff.err());
        CliTestSupport.Run report = CliTestSupport.run("upgrade-report", "--index", broken.toString(), CANDIDATE);
        assertEquals(2, report.code(), report.err());
        assertFalse(report.err().contains("internal error"), report.err());
    }

    /** A fatal error with --format json is still a JSON document on stdout, with its errors. */
    @Test
    void aFatalErrorWithJsonIsTheEnvelope() {
        CliTestSupport.Run r = CliTestSupport.run("broken", "--index", tmp.resolve("none").toString(), "--format", "json");
        assertEquals(2, r.code());
        assertEquals("{\"schema\":\"symdex/1\",\"command\":\"broken\",\"results\":[],\"errors\":[{\"source\":\"\","
                + "\"reason\":\"" + tmp.resolve("none") + ": no symdex index there\"}]}", r.out().strip());
        CliTestSupport.Run usage = CliTestSupport.run("whatprovides", "--format", "json", "--bogus", "x");
        assertEquals(2, usage.code());
        assertTrue(usage.out().contains("\"errors\":[{\"source\":\"\",\"reason\":\"unknown option '--bogus'"),
                usage.out());
    }

    // ---- item 2: typos must not pass a CI gate ---------------------------------------------------------

    @Test
    void removingANameTheArchiveLacksIsExitTwo() {
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--index", index.toString(), "--remove", "libfooo1");
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: --remove libfooo1: no package of that name in " + index), r.errLines());
        CliTestSupport.Run base = CliTestSupport.run("upgrade-report", "--base", BASE.toString(), "--remove", "nope");
        assertEquals(List.of("symdex: --remove nope: no package of that name in the base"), base.errLines());
    }

    @Test
    void aCandidateDirectoryHoldingNoPackageIsExitTwo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("no-updates"));
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--index", index.toString(), empty.toString());
        assertEquals(2, r.code());
        assertEquals("symdex: " + empty + ": no .deb or .rpm package found", r.errLines().get(0));
    }

    @Test
    void archValuesThatMatchNothingAreRefusedNamingWhatThereIs() {
        CliTestSupport.Run r = CliTestSupport.run("broken", "--index", index.toString(), "--arch", "bogus");
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: broken: --arch bogus: no package in " + index + " has that architecture "
                + "(present: amd64)", "try 'symdex broken --help'"), r.errLines());
    }

    @Test
    void upgradeReportDefaultsToTheDefaultIndex() {
        CommandLine cl = Symdex.newCommandLine();
        CommandLine.ParseResult pr = cl.parseArgs("upgrade-report", CANDIDATE);
        UpgradeReportCommand cmd = (UpgradeReportCommand) pr.subcommand().commandSpec().userObject();
        assertEquals(null, cmd.archive.index);
        // Run from a directory without ./symdex-index: the default is looked for, and said missing.
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", CANDIDATE);
        assertEquals(2, r.code());
        assertEquals("symdex: symdex-index: no symdex index there", r.errLines().get(0));
    }

    // ---- item 3: usage errors in two lines -------------------------------------------------------------

    @Test
    void aMistypedOptionIsTwoLinesWithASuggestion() {
        CliTestSupport.Run r = CliTestSupport.run("whatprovides", "--idx", "x", "libc.so.6");
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: whatprovides: unknown option '--idx' (did you mean '--index'?)",
                "try 'symdex whatprovides --help'"), r.errLines());
        CliTestSupport.Run cmd = CliTestSupport.run("whatprovide", "x");
        assertEquals(2, cmd.code());
        assertEquals(List.of("symdex: unknown command 'whatprovide' (did you mean 'whatprovides'?)",
                "try 'symdex --help'"), cmd.errLines());
        CliTestSupport.Run missing = CliTestSupport.run("whatprovides");
        assertEquals(2, missing.errLines().size(), missing.err());
        assertEquals("symdex: whatprovides: missing required parameter: 'CAP'", missing.errLines().get(0));
    }

    @Test
    void noCommandListsTheCommandsOnStderr() {
        CliTestSupport.Run r = CliTestSupport.run();
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertEquals("symdex: a command is needed; the commands are:", r.errLines().get(0));
        for (String c : Symdex.SUBCOMMANDS.keySet()) {
            assertTrue(r.err().contains("  " + c + " "), c + " missing: " + r.err());
        }
    }

    @Test
    void infoRefusesTsv() {
        CliTestSupport.Run r = CliTestSupport.run("info", "--index", index.toString(), "--format", "tsv");
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: info: --format tsv is not offered by info: text or json",
                "try 'symdex info --help'"), r.errLines());
    }

    // ---- item 5: reasons and refusals --------------------------------------------------------------------

    /** Arguments swapped (--index ./debs ./idx) wrote Lucene files among the user's packages. */
    @Test
    void indexRefusesADirectoryThatIsNotAnIndex() throws Exception {
        Path debs = Files.createDirectories(tmp.resolve("my-debs"));
        Files.copy(BASE.resolve("libc6_2.36-9_amd64.deb"), debs.resolve("libc6_2.36-9_amd64.deb"));
        CliTestSupport.Run r = CliTestSupport.run("index", "--index", debs.toString(), BASE.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: " + debs + ": not empty and not a symdex index; refusing to write there"),
                r.errLines());
        try (var s = Files.list(debs)) {
            assertEquals(1, s.count());
        }
        // Empty, absent, an index, or only a lock: fine.
        Path lockOnly = Files.createDirectories(tmp.resolve("lock-only"));
        Files.createFile(lockOnly.resolve("write.lock"));
        assertEquals(0, CliTestSupport.run("index", "--index", lockOnly.toString(), BASE.toString()).code());
        assertEquals(0, CliTestSupport.run("index", "--index", lockOnly.toString(), BASE.toString()).code());
    }

    @Test
    void symbolsWithoutJsonSaysItDoesNothing() {
        CliTestSupport.Run r = CliTestSupport.run("deps", "--symbols", BASE.resolve("libc6_2.36-9_amd64.deb").toString());
        assertEquals(0, r.code());
        assertEquals(List.of("symdex: --symbols has effect only with --format json"), r.errLines());
    }

    @Test
    void sizesTakeTheSuffixesPeopleWrite() {
        SizeConverter c = new SizeConverter();
        assertEquals(4L << 30, c.convert("4G"));
        assertEquals(4L << 30, c.convert("4GiB"));
        assertEquals(4L << 30, c.convert("4gb"));
        assertEquals(512L << 20, c.convert("512M"));
        assertEquals(100L << 10, c.convert("100k"));
        assertEquals(1L << 40, c.convert("1T"));
        assertEquals(123L, c.convert("123"));
        assertEquals(123L, c.convert("123B"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("4X"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("iB"));
        assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("99999999999T"));
        CliTestSupport.Run r = CliTestSupport.run("deps", "--max-entry-size", "1k",
                BASE.resolve("libc6_2.36-9_amd64.deb").toString());
        assertEquals(0, r.code());
        assertTrue(r.err().contains("over the entry cap"), r.err());
        CliTestSupport.Run bad = CliTestSupport.run("deps", "--max-entry-size", "lots", "x");
        assertEquals(2, bad.code());
        assertTrue(bad.errLines().get(0).startsWith("symdex: deps: invalid value for option '--max-entry-size': "
                + "'lots' is not a size"), bad.err());
    }

    // ---- item 6: honest counts -------------------------------------------------------------------------

    @Test
    void aSourceRpmIsSkippedNotIndexedAsABinary() throws Exception {
        Path rpms = Files.createDirectories(tmp.resolve("rpms"));
        Path fx = CliTestSupport.root().resolve("fixtures/rpm");
        Files.copy(fx.resolve("symdex-fixture-src-1.2.3-1.src.rpm"), rpms.resolve("symdex-fixture-src-1.2.3-1.src.rpm"));
        Files.copy(fx.resolve("symdex-fixture-xz-1.2.3-1.x86_64.rpm"), rpms.resolve("symdex-fixture-xz-1.2.3-1.x86_64.rpm"));
        Path idx = tmp.resolve("src-idx");
        CliTestSupport.Run r = CliTestSupport.run("index", "--index", idx.toString(), rpms.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("added 1, skipped 1,"), r.out());
        CliTestSupport.Run p = CliTestSupport.run("provides", "--index", idx.toString(), "symdex-fixture-src");
        assertEquals(1, p.code());
        CliTestSupport.Run info = CliTestSupport.run("info", "--index", idx.toString());
        assertTrue(info.out().contains("packages: 1 (rpm 1)"), info.out());
    }

    /** Issue "What a new user still trips on", item 9: an incomplete base is not an all-clear. */
    @Test
    void anIncompleteBaseSaysWhatWasNotChecked() {
        Path dpdk = CliTestSupport.root().resolve("fixtures/scenarios/dpdk-default-map");
        String candidate = dpdk.resolve("deb/libdrv1_2.0-1_amd64.deb").toString();
        CliTestSupport.Run r = CliTestSupport.run("upgrade-report", "--base", dpdk.resolve("base/deb").toString(), candidate);
        assertEquals(0, r.code());
        assertEquals(List.of("symdex: the base lacks libc.so.6 (needed by 1 file); their unversioned imports were "
                + "not checked"), r.errLines());
        assertTrue(r.out().endsWith("nothing newly broken among what could be checked\n"), r.out());
        CliTestSupport.Run json = CliTestSupport.run("upgrade-report", "--format", "json", "--base",
                dpdk.resolve("base/deb").toString(), candidate);
        assertTrue(json.out().contains("\"unchecked\":[{\"name\":\"drvapp\",\"version\":\"1.0-1\",\"arch\":\"amd64\""),
                json.out());
        assertTrue(json.out().contains("\"path\":\"/usr/bin/drvapp\",\"missing\":[\"libc.so.6\"]}]"), json.out());
        CliTestSupport.Run whole = CliTestSupport.run("upgrade-report", "--base", dpdk.resolve("base/deb").toString(),
                "--base", BASE.resolve("libc6_2.36-9_amd64.deb").toString(), candidate);
        assertEquals(1, whole.code());
        assertEquals(List.of(), whole.errLines());
        assertTrue(whole.out().contains("/usr/bin/drvapp: drv_internal_helper  [unversioned-symbol-removed"), whole.out());
    }

    /** Labels print with every hit; --label GLOB chooses what is reported ('-': unlabeled); typos are refused. */
    @Test
    void labelsArePrintedAndFilter() throws Exception {
        Path idx = tmp.resolve("labels-idx");
        new IndexRun(RunOptions.defaults(idx).withLabel("Debian/bookworm/main/amd64"), RunListener.NONE)
                .run(List.of(BASE));
        Path trixie = Files.createDirectories(tmp.resolve("trixie"));
        Files.copy(Path.of(CANDIDATE), trixie.resolve("libfoo1_1.1-1_amd64.deb"));
        new IndexRun(RunOptions.defaults(idx).withLabel("Debian/trixie/main/amd64"), RunListener.NONE)
                .run(List.of(trixie));
        Path none = Files.createDirectories(tmp.resolve("unlabelled"));
        Files.copy(CliTestSupport.root().resolve("fixtures/query/libbaz1_1.0-1_amd64.deb"), none.resolve("libbaz1.deb"));
        new IndexRun(RunOptions.defaults(idx).withLabel(""), RunListener.NONE).run(List.of(none));
        String q = "libfoo.so.1()(64bit)";
        CliTestSupport.Run all = CliTestSupport.run("whatprovides", "--index", idx.toString(), "--format", "tsv", q);
        assertEquals(List.of("Debian/bookworm/main/amd64", "Debian/trixie/main/amd64"),
                all.out().lines().map(l -> l.substring(l.lastIndexOf('\t') + 1)).toList());
        CliTestSupport.Run text = CliTestSupport.run("whatprovides", "--index", idx.toString(), q);
        assertTrue(text.out().contains("libfoo1-1.1-1.amd64 from Debian/trixie/main/amd64 ("), text.out());
        CliTestSupport.Run bookworm = CliTestSupport.run("whatprovides", "--index", idx.toString(), "--format", "tsv",
                "--label", "Debian/bookworm*", q);
        assertEquals(1, bookworm.out().lines().count(), bookworm.out());
        assertTrue(bookworm.out().contains("\t1.0-1\t"), bookworm.out());
        CliTestSupport.Run unlabelled = CliTestSupport.run("whatprovides", "--index", idx.toString(), "--format", "tsv",
                "--label", "-", "libbaz*");
        assertTrue(unlabelled.out().endsWith("\t-\n"), unlabelled.out());
        CliTestSupport.Run typo = CliTestSupport.run("whatprovides", "--index", idx.toString(), "--label", "Debian/buster*", q);
        assertEquals(2, typo.code());
        assertEquals("symdex: whatprovides: --label Debian/buster*: no package in " + idx + " has a label it matches "
                + "(present: -, Debian/bookworm/main/amd64, Debian/trixie/main/amd64)", typo.errLines().get(0));
        CliTestSupport.Run bad = CliTestSupport.run("whatprovides", "--index", idx.toString(), "--label", "Debian/[x", q);
        assertEquals(2, bad.code());
        assertEquals("symdex: whatprovides: bad glob 'Debian/[x': '[' at 8 is not closed", bad.errLines().get(0));
        CliTestSupport.Run json = CliTestSupport.run("whatprovides", "--index", idx.toString(), "--format", "json", q);
        assertTrue(json.out().contains("\"label\":\"Debian/trixie/main/amd64\",\"labels\":[\"Debian/trixie/main/amd64\"]"),
                json.out());
    }

    // ---- item 7: terminal safety -----------------------------------------------------------------------

    @Test
    void messageLinesEscapeControlBytesAndCutQuotedInput() {
        assertEquals("symdex: x: bad \\x1b[31mred\\x1b[0m and \\x07", MessageWriter.safe("symdex: x: bad \u001b[31mred\u001b[0m and \u0007"));
        assertEquals("tab\\x09nl\\x0acr\\x0d del\\x7f", MessageWriter.safe("tab\tnl\ncr\r del\u007f"));
        // Bytes: a valid UTF-8 sequence stays, a lone byte >= 0x80 is escaped.
        assertEquals("caf\u00c3\u00a9 \\xff \\xc3x", MessageWriter.safe("caf\u00c3\u00a9 \u00ff \u00c3x"));
        String longQuoted = "payload format '" + "A".repeat(200) + "' not supported";
        assertEquals("payload format '" + "A".repeat(80) + "...' not supported", MessageWriter.safe(longQuoted));
        assertEquals("short 'quoted' stays", MessageWriter.safe("short 'quoted' stays"));
    }
}
