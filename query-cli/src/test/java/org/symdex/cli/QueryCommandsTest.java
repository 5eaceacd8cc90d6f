package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.batch.RunReport;

/**
 * Issue 5, Done when: every query's answer over an index of fixture packages equals the brute-force
 * answer computed from {@code symdex deps --format json} over the same packages ({@link BruteForce}).
 * The packages: the closed base scenario (.deb and .rpm), five real Debian library packages (whose
 * glibc needs the base's tiny libc6 does not meet, so {@code broken} has real findings), and the
 * codec fixtures (.deb, and .rpm with declared headers and a source rpm), and fixtures/query (a
 * library needing a library, and i386 and s390x packages: three scopes).
 */
class QueryCommandsTest {
    @TempDir
    static Path tmp;
    static Path index;
    static List<Path> inputs;
    static BruteForce brute;

    @BeforeAll
    static void indexAndScan() throws Exception {
        Path fx = CliTestSupport.root().resolve("fixtures");
        inputs = new ArrayList<>();
        inputs.addAll(list(fx.resolve("scenarios/base/deb")));
        inputs.addAll(list(fx.resolve("scenarios/base/rpm")));
        inputs.addAll(list(fx.resolve("deb/real")));
        inputs.addAll(list(fx.resolve("deb")));
        inputs.addAll(list(fx.resolve("query")));
        // The 4.3 GB sparse rpm costs a minute of decompression and adds nothing here.
        inputs.addAll(list(fx.resolve("rpm")).stream().filter(p -> !p.getFileName().toString().contains("-big-")).toList());
        index = tmp.resolve("index");
        brute = indexAndBrute(index, inputs, "fixtures");
    }

    /** Indexes {@code packages} and returns the brute force over deps --format json of the same files. */
    static BruteForce indexAndBrute(Path idx, List<Path> packages, String label) throws Exception {
        RunReport report = new IndexRun(RunOptions.defaults(idx).withJobs(2).withCommitEvery(5).withLabel(label),
                RunListener.NONE).run(packages);
        assertEquals(List.of(), report.failed());
        List<String> args = new ArrayList<>(List.of("deps", "--format", "json", "--jobs", "2"));
        packages.forEach(p -> args.add(p.toString()));
        CliTestSupport.Run deps = CliTestSupport.run(args.toArray(new String[0]));
        assertEquals(0, deps.code(), deps.err());
        return BruteForce.fromDepsJson((Map<?, ?>) MiniJson.parse(deps.out()), label);
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".deb") || p.toString().endsWith(".rpm"))
                    .map(p -> p.toAbsolutePath().normalize()).sorted().toList();
        }
    }

    static CliTestSupport.Run query(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--index");
        a.add(index.toString());
        return CliTestSupport.run(a.toArray(new String[0]));
    }

    static List<String> lines(CliTestSupport.Run r) {
        return r.out().lines().toList();
    }

    /** Exact capabilities (every one in the fixtures) and globs, for whatprovides and whatrequires. */
    static List<String> patterns(boolean provides) {
        List<String> p = new ArrayList<>(brute.allCapabilities(provides));
        p.addAll(List.of("*", "libfoo.so.1(*", "libc.so.6(GLIBC_2.*)(64bit)", "lib?oo.so.1*", "*(64bit)",
                "rtld(GNU_HASH)", "*GLIBC_PRIVATE*", "no-such-capability*", "no-such-capability()(64bit)",
                "libz.so.1(ZLIB_1.2.?)(64bit)", "*.so.?", "rpmlib(*", "symdex-fixture-*", "libc.so.6(GLIBC_2.3.?)*"));
        return p;
    }

    @Test
    void whatprovidesEqualsBruteForceForEveryCapabilityAndGlob() {
        int found = 0;
        for (String pattern : patterns(true)) {
            List<String> want = BruteForce.tsv(brute.whatProvides(pattern, p -> true));
            CliTestSupport.Run r = query("whatprovides", "--format", "tsv", pattern);
            assertEquals(want, lines(r), pattern);
            assertEquals(want.isEmpty() ? 1 : 0, r.code(), pattern + ": " + r.err());
            found += want.isEmpty() ? 0 : 1;
        }
        assertTrue(found > 50, "patterns with answers: " + found);
    }

    @Test
    void whatrequiresEqualsBruteForceForEveryCapabilityAndGlob() {
        for (String pattern : patterns(false)) {
            List<String> want = BruteForce.tsv(brute.whatRequires(pattern, p -> true));
            CliTestSupport.Run r = query("whatrequires", "--format", "tsv", pattern);
            assertEquals(want, lines(r), pattern);
            assertEquals(want.isEmpty() ? 1 : 0, r.code(), pattern + ": " + r.err());
        }
    }

    @Test
    void archAndNotSourceFilterLikeTheBruteForce() {
        List<String[]> filters = List.of(new String[] {"--arch", "amd64"}, new String[] {"--arch", "x86_64"},
                new String[] {"--arch", "i386"}, new String[] {"--not-source", "fooapp"},
                new String[] {"--not-source", "zlib", "--not-source", "libffi", "--arch", "amd64"},
                new String[] {"--not-source", "glibc"});
        for (String[] f : filters) {
            Predicate<BruteForce.Pkg> keep = filter(f);
            for (String pattern : List.of("*", "libc.so.6*", "libfoo*", "*(GLIBC_PRIVATE)*", "rtld(GNU_HASH)")) {
                for (String cmd : List.of("whatprovides", "whatrequires")) {
                    List<String> want = BruteForce.tsv(cmd.equals("whatprovides") ? brute.whatProvides(pattern, keep)
                            : brute.whatRequires(pattern, keep));
                    List<String> args = new ArrayList<>(List.of(cmd, "--format", "tsv", pattern));
                    args.addAll(List.of(f));
                    CliTestSupport.Run r = query(args.toArray(new String[0]));
                    assertEquals(want, lines(r), args.toString());
                    assertEquals(want.isEmpty() ? 1 : 0, r.code(), args.toString());
                }
            }
        }
    }

    static Predicate<BruteForce.Pkg> filter(String[] f) {
        return BruteForce.filter(f);
    }

    @Test
    void recursiveTreeEqualsBruteForce() {
        int deep = 0;
        for (String pattern : List.of("libc.so.6()(64bit)", "libfoo.so.1()(64bit)", "libbar*", "librte*",
                "libz.so.1*", "*", "rtld(GNU_HASH)", "libc.so.6(GLIBC_2.14)(64bit)", "no-such*")) {
            for (String[] f : List.of(new String[0], new String[] {"--arch", "amd64"}, new String[] {"--not-source", "fooapp"})) {
                BruteForce.Tree want = brute.recursive(pattern, filter(f));
                List<String> args = new ArrayList<>(List.of("whatrequires", "--recursive", pattern));
                args.addAll(List.of(f));
                CliTestSupport.Run text = query(args.toArray(new String[0]));
                assertEquals(want.text(), lines(text), args.toString());
                assertEquals(want.text().isEmpty() ? 1 : 0, text.code(), args.toString());
                args.addAll(List.of("--format", "tsv"));
                // --recursive's tsv ends with the UNIVERSE of the tree: here one label, so its universe.
                assertEquals(want.tsv().stream().map(l -> l + "\t" + org.symdex.query.Universes.of(
                        l.substring(l.lastIndexOf('\t') + 1))).toList(), lines(query(args.toArray(new String[0]))),
                        args.toString());
                deep += want.text().stream().anyMatch(l -> l.startsWith("  ")) ? 1 : 0;
            }
        }
        assertTrue(deep > 0, "some tree has a second level");
    }

    @Test
    void recursiveJsonIsATreeWithoutRepeatedPackages() {
        CliTestSupport.Run r = query("whatrequires", "--recursive", "--format", "json", "libbar.so.1()(64bit)");
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
        assertEquals("whatrequires", doc.get("command"));
        List<String> files = new ArrayList<>();
        collectFiles((List<?>) doc.get("results"), files);
        assertEquals(files.size(), new TreeSet<>(files).size(), files.toString());
        assertEquals(((Number) doc.get("packages")).intValue(), files.size());
        assertEquals(brute.recursive("libbar.so.1()(64bit)", p -> true).packages(), files.size());
    }

    private static void collectFiles(List<?> nodes, List<String> out) {
        for (Object o : nodes) {
            Map<?, ?> n = (Map<?, ?>) o;
            out.add((String) n.get("packageFile"));
            collectFiles((List<?>) n.get("children"), out);
        }
    }

    @Test
    void providesAndRequiresOfEveryPackageBySelector() {
        for (BruteForce.Pkg p : brute.packages) {
            for (String[] sel : List.of(new String[] {p.name(), null, null}, new String[] {p.name(), p.arch(), null},
                    new String[] {p.name(), null, p.evr()}, new String[] {p.name(), p.arch(), p.evr()})) {
                String spec = sel[0] + (sel[1] == null ? "" : ":" + sel[1]) + (sel[2] == null ? "" : "=" + sel[2]);
                for (String cmd : List.of("provides", "requires")) {
                    List<String> want = brute.packageList(sel[0], sel[1], sel[2], cmd.equals("provides"));
                    CliTestSupport.Run r = query(cmd, "--format", "tsv", spec);
                    assertEquals(want, lines(r), cmd + " " + spec);
                    assertEquals(0, r.code(), cmd + " " + spec + ": " + r.err());
                }
            }
        }
        assertEquals(1, query("provides", "no-such-package").code());
        assertEquals(1, query("provides", "libfoo1=9.9").code());
        assertEquals(1, query("requires", "libfoo1:s390x").code());
        assertEquals(1, query("requires", "--arch", "i386", "libfoo1").code());
        assertEquals(2, query("provides", "libfoo1:").code());
        assertEquals(2, query("provides", "=1.0").code());
    }

    /** A filter value that matches nothing is a typo, not "nothing found" (or "nothing broken"). */
    @Test
    void filterValuesThatMatchNothingAreUsageErrors() {
        CliTestSupport.Run arch = query("broken", "--arch", "amd46");
        assertEquals(2, arch.code());
        assertEquals(List.of("symdex: broken: --arch amd46: no package in " + index + " has that architecture "
                + "(present: amd64, i386, s390x, x86_64)", "try 'symdex broken --help'"), arch.errLines());
        CliTestSupport.Run source = query("whatrequires", "libc.so.6*", "--not-source", "libc6");
        assertEquals(2, source.code());
        assertEquals("symdex: whatrequires: --not-source libc6: no package in " + index + " is built from that "
                + "source package", source.errLines().get(0));
    }

    @Test
    void providesTextIsTheSortedUniqueListPerPackage() {
        CliTestSupport.Run r = query("provides", "libfoo1:x86_64");
        String file = inputs.stream().filter(p -> p.getFileName().toString().equals("libfoo1-1.0-1.x86_64.rpm"))
                .findFirst().orElseThrow().toString();
        assertEquals(List.of("libfoo1-1.0-1.x86_64 from fixtures (" + file + "):", "  libfoo.so.1()(64bit)",
                "  libfoo.so.1(LIBFOO_1.0)(64bit)", "  libfoo.so.1(LIBFOO_2.0)(64bit)", "  libfoo1 = 1.0-1",
                "  libfoo1(x86-64) = 1.0-1"), lines(r));
    }

    @Test
    void brokenEqualsBruteForce() {
        for (String[] f : List.of(new String[0], new String[] {"--arch", "amd64"}, new String[] {"--arch", "x86_64"},
                new String[] {"--not-source", "zlib"})) {
            Map<BruteForce.Pkg, List<BruteForce.Row>> want = brute.broken(filter(f));
            List<String> args = new ArrayList<>(List.of("broken"));
            args.addAll(List.of(f));
            CliTestSupport.Run text = query(args.toArray(new String[0]));
            assertEquals(BruteForce.brokenText(want), lines(text), args.toString());
            assertEquals(want.isEmpty() ? 0 : 1, text.code(), args.toString());
            args.addAll(List.of("--format", "tsv"));
            List<BruteForce.Row> rows = new ArrayList<>();
            want.values().forEach(rows::addAll);
            // broken's tsv ends with the UNIVERSE the finding is in: here one label, so its universe.
            List<String> withUniverse = BruteForce.tsv(rows).stream().map(l -> l + "\t"
                    + org.symdex.query.Universes.of(l.substring(l.lastIndexOf('\t') + 1))).toList();
            assertEquals(withUniverse, lines(query(args.toArray(new String[0]))), args.toString());
        }
        // The real libraries need glibc versions the base's minimal libc6 does not define.
        assertTrue(brute.broken(p -> true).keySet().stream().anyMatch(p -> p.name().equals("zlib1g")));
        // The same strings x86-64's libfoo1 provides do not satisfy an s390 file: scope is machine and class.
        String s390 = lines(query("broken", "--arch", "s390x")).toString();
        assertTrue(s390.contains("    libfoo.so.1()(64bit)"), s390);
    }

    @Test
    void brokenJsonCarriesEntriesAndASummary() {
        CliTestSupport.Run r = query("broken", "--format", "json");
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
        assertEquals("symdex/1", doc.get("schema"));
        assertEquals("broken", doc.get("command"));
        List<?> results = (List<?>) doc.get("results");
        assertEquals(brute.broken(p -> true).size(), results.size());
        Map<?, ?> summary = (Map<?, ?>) doc.get("summary");
        assertEquals(results.size(), ((Number) summary.get("packages")).intValue());
        assertTrue(((Number) summary.get("requirementTerms")).longValue() > 40, summary.toString());
        assertEquals(List.of("i386/32", "s390/64", "x86-64/64"), summary.get("scopes"));
        for (Object o : results) {
            Map<?, ?> p = (Map<?, ?>) o;
            assertFalse(((List<?>) p.get("unresolved")).isEmpty());
            assertFalse(((List<?>) p.get("entries")).isEmpty());
        }
    }

    @Test
    void theClosedBaseIsCleanAndWithoutLibfoo1ItsConsumersAreBroken() throws Exception {
        Path fx = CliTestSupport.root().resolve("fixtures/scenarios/base");
        List<Path> base = new ArrayList<>(list(fx.resolve("deb")));
        base.addAll(list(fx.resolve("rpm")));
        Path clean = tmp.resolve("base");
        indexAndBrute(clean, base, "base");
        CliTestSupport.Run ok = CliTestSupport.run("broken", "--index", clean.toString());
        assertEquals("", ok.out());
        assertEquals(0, ok.code(), ok.err());

        List<Path> minus = base.stream().filter(p -> !p.getFileName().toString().startsWith("libfoo1")).toList();
        Path idx = tmp.resolve("base-minus-libfoo1");
        BruteForce b = indexAndBrute(idx, minus, "base");
        CliTestSupport.Run r = CliTestSupport.run("broken", "--index", idx.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(BruteForce.brokenText(b.broken(p -> true)), lines(r));
        assertTrue(r.out().contains("package: fooapp-1.0-1.amd64 from base\n  unresolved deps (3):\n"
                + "    libfoo.so.1()(64bit)\n    libfoo.so.1(LIBFOO_1.0)(64bit)\n    libfoo.so.1(LIBFOO_2.0)(64bit)\n"), r.out());
    }

    @Test
    void aPrunedPackageNoLongerSatisfiesAnything() throws Exception {
        // Deleted documents keep their terms until a merge: broken must not count them as providers.
        Path dir = tmp.resolve("pruned-pkgs");
        Files.createDirectories(dir);
        for (Path p : list(CliTestSupport.root().resolve("fixtures/scenarios/base/deb"))) {
            Files.copy(p, dir.resolve(p.getFileName()));
        }
        Path idx = tmp.resolve("pruned");
        RunOptions opts = RunOptions.defaults(idx).withJobs(1).withLabel("base").withPrune(true);
        new IndexRun(opts, RunListener.NONE).run(List.of(dir));
        assertEquals(0, CliTestSupport.run("broken", "--index", idx.toString()).code());
        Files.delete(dir.resolve("libfoo1_1.0-1_amd64.deb"));
        RunReport again = new IndexRun(opts, RunListener.NONE).run(List.of(dir));
        assertEquals(1, again.removed());
        CliTestSupport.Run r = CliTestSupport.run("broken", "--index", idx.toString(), "--format", "tsv");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("\tlibfoo.so.1(LIBFOO_1.0)(64bit)\tbase\tbase\n"), r.out());
        assertEquals(1, CliTestSupport.run("whatprovides", "--index", idx.toString(), "libfoo.so.1*").code());
    }

    @Test
    void tsvLinesAreExactlySevenColumnsSortedBytewise() {
        CliTestSupport.Run r = query("whatprovides", "--format", "tsv", "libfoo.so.1(LIBFOO_1.0)(64bit)");
        String deb = inputs.stream().filter(p -> p.getFileName().toString().equals("libfoo1_1.0-1_amd64.deb"))
                .findFirst().orElseThrow().toString();
        String rpm = inputs.stream().filter(p -> p.getFileName().toString().equals("libfoo1-1.0-1.x86_64.rpm"))
                .findFirst().orElseThrow().toString();
        assertEquals("libfoo1\t1.0-1\tamd64\t" + deb + "\t/usr/lib/x86_64-linux-gnu/libfoo.so.1.0.0\t"
                + "libfoo.so.1(LIBFOO_1.0)(64bit)\tfixtures\n"
                + "libfoo1\t1.0-1\tx86_64\t" + rpm + "\t-\tlibfoo.so.1(LIBFOO_1.0)(64bit)\tfixtures\n"
                + "libfoo1\t1.0-1\tx86_64\t" + rpm + "\t/usr/lib/x86_64-linux-gnu/libfoo.so.1.0.0\t"
                + "libfoo.so.1(LIBFOO_1.0)(64bit)\tfixtures\n", r.out());
        List<String> all = lines(query("whatrequires", "--format", "tsv", "*"));
        assertEquals(all.stream().sorted().toList(), all);
        all.forEach(l -> assertEquals(7, l.split("\t", -1).length, l));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHitsMatchTheTsvLines() {
        CliTestSupport.Run r = query("whatrequires", "--format", "json", "libc.so.6(GLIBC_2.*)*");
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
        assertEquals("whatrequires", doc.get("command"));
        assertEquals(Boolean.TRUE, ((Map<?, ?>) doc.get("query")).get("glob"));
        List<String> fromJson = new ArrayList<>();
        for (Object o : (List<?>) doc.get("results")) {
            Map<?, ?> h = (Map<?, ?>) o;
            fromJson.add(Tsv.line((String) h.get("name"), (String) h.get("version"), (String) h.get("arch"),
                    (String) h.get("packageFile"), h.get("path") == null ? "-" : (String) h.get("path"),
                    (String) h.get("capability"), String.join(",", (List<String>) h.get("labels"))));
            assertEquals(((List<?>) h.get("labels")).get(0), h.get("label"));
        }
        assertEquals(lines(query("whatrequires", "--format", "tsv", "libc.so.6(GLIBC_2.*)*")), fromJson);
    }

    @Test
    void exitCodesForUsageAndMissingIndex() {
        CliTestSupport.Run none = CliTestSupport.run("whatprovides", "--index", tmp.resolve("nothing").toString(), "x");
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("symdex: " + tmp.resolve("nothing") + ": no symdex index there"), none.err());
        assertEquals(2, CliTestSupport.run("broken", "--index", tmp.resolve("nothing").toString()).code());
        assertEquals(2, query("whatprovides").code()); // CAP missing
        assertEquals(2, query("whatprovides", "").code());
        assertEquals(2, query("whatrequires", "--format", "xml", "x").code());
        assertEquals(2, query("broken", "--bogus").code());
        assertEquals(1, query("whatrequires", "--recursive", "no-such-capability").code());
    }

    @Test
    void everyQueryCommandHasHelpWithAnExample() {
        for (String cmd : List.of("whatprovides", "whatrequires", "provides", "requires", "broken")) {
            CliTestSupport.Run r = CliTestSupport.run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Examples:\n  symdex " + cmd), cmd + ":\n" + r.out());
            assertTrue(r.out().contains("Exit codes:"), cmd);
        }
    }
}
