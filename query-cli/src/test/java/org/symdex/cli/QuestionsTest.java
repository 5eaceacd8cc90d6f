package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.batch.RunReport;

/**
 * Issue 16: every answer of whatimports, whatexports, whatprovides PATH and SONAME, --packages,
 * whatrequires --of-package, the package argument forms and why, over an index of the fixture packages,
 * equals {@link BruteForce}'s answer from {@code symdex deps --format json --symbols} of the same packages;
 * and a query that matches nothing says so, with suggestions.
 */
class QuestionsTest {
    @TempDir
    static Path tmp;
    static Path index;
    static BruteForce brute;

    @BeforeAll
    static void indexAndScan() throws Exception {
        Path fx = CliTestSupport.root().resolve("fixtures");
        List<Path> inputs = new ArrayList<>();
        inputs.addAll(QueryCommandsTest.list(fx.resolve("scenarios/base/deb")));
        inputs.addAll(QueryCommandsTest.list(fx.resolve("scenarios/base/rpm")));
        inputs.addAll(QueryCommandsTest.list(fx.resolve("deb/real")));
        inputs.addAll(QueryCommandsTest.list(fx.resolve("deb")));
        inputs.addAll(QueryCommandsTest.list(fx.resolve("query")));
        inputs.addAll(QueryCommandsTest.list(fx.resolve("rpm")).stream()
                .filter(p -> !p.getFileName().toString().contains("-big-")).toList());
        index = tmp.resolve("index");
        RunReport report = new IndexRun(RunOptions.defaults(index).withJobs(2).withCommitEvery(7).withLabel("fx/main"),
                RunListener.NONE).run(inputs);
        assertEquals(List.of(), report.failed());
        List<String> args = new ArrayList<>(List.of("deps", "--format", "json", "--symbols", "--jobs", "2"));
        inputs.forEach(p -> args.add(p.toString()));
        CliTestSupport.Run deps = CliTestSupport.run(args.toArray(new String[0]));
        assertEquals(0, deps.code(), deps.err());
        brute = BruteForce.fromDepsJson((Map<?, ?>) MiniJson.parse(deps.out()), "fx/main");
    }

    static CliTestSupport.Run q(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--index");
        a.add(index.toString());
        return CliTestSupport.run(a.toArray(new String[0]));
    }

    static List<String> lines(CliTestSupport.Run r) {
        return r.out().lines().toList();
    }

    /** Every distinct imported or exported term, its bare name and name@VERSION, and globs. */
    static List<String> symbolArguments(boolean exports) {
        Set<String> terms = new TreeSet<>();
        for (BruteForce.Pkg p : brute.packages) {
            for (BruteForce.File f : p.files()) {
                (exports ? f.exported() : f.imported()).forEach(s -> terms.add(s.term()));
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String t : terms) {
            if (i++ % 5 != 0) {
                continue; // every 5th, as the issue asks
            }
            out.add(t.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[").replace("{", "\\{"));
            int at = t.indexOf('@');
            if (at > 0) {
                out.add(t.substring(0, at));
                out.add(t.substring(0, at) + "@" + t.substring(t.lastIndexOf('@') + 1));
                out.add(t.substring(0, at) + "@@" + t.substring(t.lastIndexOf('@') + 1));
            }
        }
        out.addAll(List.of("*", "foo_*", "*@GLIBC_PRIVATE", "*@LIBFOO_1.0", "*@@LIBFOO_1.0", "mem*", "mem???",
                "str[!c]*", "str[a-c]*", "{malloc,free}", "{malloc,free}@*", "__*_chk", "foo_[kn]*@@*", "*@GLIBC_2.2.?",
                "lib*", "ZSTD_*", "XML_*@*", "?", "no_such_symbol*", "deflate*"));
        return out;
    }

    @Test
    void whatimportsAndWhatexportsEqualBruteForce() {
        int found = 0;
        for (boolean exports : new boolean[] {false, true}) {
            String cmd = exports ? "whatexports" : "whatimports";
            for (String a : symbolArguments(exports)) {
                List<String> want = BruteForce.tsv(brute.whatSymbols(a, exports, p -> true));
                CliTestSupport.Run r = q(cmd, "--format", "tsv", a);
                assertEquals(want, lines(r), cmd + " " + a);
                assertEquals(want.isEmpty() ? 1 : 0, r.code(), cmd + " " + a + ": " + r.err());
                found += want.isEmpty() ? 0 : 1;
                if (want.isEmpty()) {
                    assertEquals("symdex: nothing " + cmd.substring(4) + " '" + a + "'", r.errLines().get(0));
                }
            }
        }
        assertTrue(found > 100, "arguments with answers: " + found);
        // --packages and a filter, on a few
        for (String a : List.of("memcpy", "foo_*", "*@GLIBC_2.2.5")) {
            assertEquals(BruteForce.packageLines(brute.whatSymbols(a, false, p -> p.arch().equals("amd64"))),
                    lines(q("whatimports", "--format", "tsv", "--packages", "--arch", "amd64", a)), a);
        }
    }

    @Test
    void symbolJsonCarriesWhatDepsSaysOfTheSymbol() {
        CliTestSupport.Run r = q("whatimports", "--format", "json", "foo_*@LIBFOO_1.0");
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
        List<?> results = (List<?>) doc.get("results");
        assertTrue(!results.isEmpty());
        Set<String> want = new TreeSet<>();
        for (BruteForce.Pkg p : brute.packages) {
            for (BruteForce.File f : p.files()) {
                for (BruteForce.Sym s : f.imported()) {
                    if (s.term().matches("foo_.*@LIBFOO_1\\.0")) {
                        want.add(p.file() + " " + f.path() + " " + s.term() + " " + s.version() + " " + s.hidden() + " "
                                + s.binding() + " " + s.type() + " " + s.from() + " " + f.scope());
                    }
                }
            }
        }
        Set<String> have = new TreeSet<>();
        for (Object o : results) {
            Map<?, ?> h = (Map<?, ?>) o;
            have.add(h.get("packageFile") + " " + h.get("path") + " " + h.get("symbol") + " " + h.get("symbolVersion") + " "
                    + h.get("hidden") + " " + h.get("binding") + " " + h.get("type") + " " + h.get("from") + " "
                    + h.get("scope"));
            assertEquals("foo_*@LIBFOO_1.0", h.get("query"));
        }
        assertEquals(want, have);
    }

    @Test
    void whatprovidesPathsAndSonamesEqualBruteForce() {
        Set<String> paths = new TreeSet<>();
        int links = 0;
        for (BruteForce.Pkg p : brute.packages) {
            for (BruteForce.File f : p.files()) {
                paths.add(f.path());
                paths.addAll(f.links());
                links += f.links().size();
                if (BruteForce.twin(f.path()) != null) {
                    paths.add(BruteForce.twin(f.path()));
                }
                f.links().stream().map(BruteForce::twin).filter(java.util.Objects::nonNull).forEach(paths::add);
            }
        }
        assertTrue(links >= 5, "symlinks to ELF files in the fixtures: " + links);
        List<String> args = new ArrayList<>(paths);
        args.addAll(List.of("/usr/lib/x86_64-linux-gnu/libz.so*", "/lib/*/lib{z,bz2}.so.?", "/usr/bin/*",
                "/usr/lib/*/libfoo.so.[0-9]", "/no/such/file", "/usr/lib/x86_64-linux-gnu/lib[!z]*.so.1"));
        int found = 0;
        for (String a : args) {
            List<String> want = BruteForce.tsv(brute.whatShips(a, p -> true));
            CliTestSupport.Run r = q("whatprovides", "--format", "tsv", a);
            assertEquals(want, lines(r), a);
            assertEquals(want.isEmpty() ? 1 : 0, r.code(), a);
            found += want.isEmpty() ? 0 : 1;
            if (want.isEmpty()) {
                assertEquals("symdex: no indexed ELF file at " + a + " (symdex indexes ELF files only)", r.errLines().get(0));
            }
            assertEquals(BruteForce.packageLines(brute.whatShips(a, p -> true)),
                    lines(q("whatprovides", "--format", "tsv", "--packages", a)), a);
        }
        assertTrue(found > 50);
        // a soname: the term and every SONAME(... capability, for whatprovides and whatrequires
        for (String so : List.of("libz.so.1", "libfoo.so.1", "libc.so.6", "libbaz.so.1", "libfoo*.so.?", "libc.so.[0-9]")) {
            assertEquals(BruteForce.tsv(brute.whatProvides(so, p -> true)), lines(q("whatprovides", "--format", "tsv", so)), so);
            assertEquals(BruteForce.tsv(brute.whatRequires(so, p -> true)), lines(q("whatrequires", "--format", "tsv", so)), so);
        }
    }

    @Test
    void severalArgumentsAreAUnionWithANoteForEachThatMatchedNothing() {
        List<String> want = new ArrayList<>(BruteForce.tsv(brute.whatProvides("libz.so.1", p -> true)));
        want.addAll(BruteForce.tsv(brute.whatShips("/usr/bin/fooapp", p -> true)));
        want = want.stream().sorted().distinct().toList();
        CliTestSupport.Run r = q("whatprovides", "--format", "tsv", "libz.so.1", "/usr/bin/fooapp", "libz.so.2");
        assertEquals(want, lines(r));
        assertEquals(0, r.code());
        assertEquals(List.of("symdex: nothing provides 'libz.so.2'", "symdex: did you mean 'libz.so.1'?"), r.errLines());
        CliTestSupport.Run j = q("whatprovides", "--format", "json", "libz.so.1", "libz.so.1()(64bit)", "libz.so.2");
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(j.out());
        for (Object o : (List<?>) doc.get("results")) {
            Map<?, ?> h = (Map<?, ?>) o;
            assertEquals("libz.so.1", h.get("query"));
            assertTrue(((List<?>) h.get("queries")).contains(h.get("query")));
        }
        List<?> sugg = (List<?>) doc.get("suggestions");
        assertEquals(1, sugg.size());
        assertEquals(List.of("libz.so.1"), ((Map<?, ?>) sugg.get(0)).get("didYouMean"));
        CliTestSupport.Run none = q("whatrequires", "libfoo.so.1(LIBFOO_9.0)(64bit)");
        assertEquals(1, none.code());
        assertEquals("symdex: nothing requires 'libfoo.so.1(LIBFOO_9.0)(64bit)'", none.errLines().get(0));
        assertTrue(none.errLines().size() >= 2 && none.errLines().size() <= 4, none.err());
        assertTrue(none.errLines().get(1).startsWith("symdex: did you mean 'libfoo.so.1(LIBFOO_"), none.err());
        CliTestSupport.Run typo = q("whatexports", "foo_kep");
        assertEquals(List.of("symdex: nothing exports 'foo_kep'", "symdex: did you mean 'foo_keep'?",
                "symdex: did you mean 'foo_new'?"), typo.errLines()); // distance 1, then 2
        CliTestSupport.Run bad = q("whatprovides", "libc.so.[6");
        assertEquals(2, bad.code());
        assertEquals("symdex: whatprovides: bad glob 'libc.so.[6': '[' at 9 is not closed", bad.errLines().get(0));
    }

    /**
     * An argument the other question finds is spelled as the index has it: the note says where it is
     * ("; it is exported (whatexports)"), and no typo (Levenshtein) suggestions are made for it, which
     * for a bare symbol name leaves none at all. A typo still gets them (above: foo_kep).
     */
    @Test
    void anArgumentTheOtherQuestionFindsIsNoTypo() {
        Set<String> imported = new TreeSet<>();
        Set<String> exported = new TreeSet<>();
        Set<String> provided = new TreeSet<>();
        Set<String> required = new TreeSet<>();
        for (BruteForce.Pkg p : brute.packages) {
            for (BruteForce.File f : p.files()) {
                f.imported().forEach(x -> imported.add(x.name()));
                f.exported().forEach(x -> exported.add(x.name()));
                provided.addAll(f.provides());
                required.addAll(f.requires());
            }
        }
        int checked = 0;
        for (boolean exports : new boolean[] {false, true}) {
            String cmd = exports ? "whatexports" : "whatimports";
            Set<String> only = new TreeSet<>(exports ? imported : exported);
            only.removeAll(exports ? exported : imported);
            for (String name : only.stream().limit(15).toList()) {
                assertTrue(brute.whatSymbols(name, exports, p -> true).isEmpty(), name);
                assertTrue(!brute.whatSymbols(name, !exports, p -> true).isEmpty(), name);
                CliTestSupport.Run r = q(cmd, name);
                assertEquals(List.of("symdex: nothing " + cmd.substring(4) + " '" + name + "'; it is "
                        + (exports ? "imported (whatimports)" : "exported (whatexports)")), r.errLines(), cmd + " " + name);
                assertEquals(1, r.code());
                checked++;
            }
        }
        for (boolean provides : new boolean[] {true, false}) {
            String cmd = provides ? "whatprovides" : "whatrequires";
            Set<String> only = new TreeSet<>(provides ? required : provided);
            only.removeAll(provides ? provided : required);
            for (String cap : only.stream().filter(c -> c.contains("(")).limit(15).toList()) {
                CliTestSupport.Run r = q(cmd, "--format", "json", cap);
                Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
                List<?> sugg = (List<?>) doc.get("suggestions");
                assertEquals(1, sugg.size(), cmd + " " + cap);
                Map<?, ?> one = (Map<?, ?>) sugg.get(0);
                assertEquals("nothing " + cmd.substring(4) + " '" + cap + "'; it is "
                        + (provides ? "required (whatrequires)" : "provided (whatprovides)"), one.get("message"));
                String stem = cap.substring(0, cap.indexOf(".so") + 3);
                for (Object s : (List<?>) one.get("didYouMean")) {
                    assertTrue(((String) s).startsWith(stem), cmd + " " + cap + ": " + s); // same soname or its stem
                }
                checked++;
            }
        }
        assertTrue(checked >= 30, "arguments checked: " + checked);
    }

    @Test
    void whatrequiresOfPackageEqualsBruteForceForEveryPackage() {
        for (BruteForce.Pkg p : brute.packages) {
            String arg = p.nevra();
            List<BruteForce.Pkg> of = brute.packages.stream().filter(x -> x.nevra().equals(arg)).toList();
            List<String> want = BruteForce.tsv(brute.users(of, x -> true));
            CliTestSupport.Run r = q("whatrequires", "--format", "tsv", "--of-package", arg);
            assertEquals(want, lines(r), arg);
            assertEquals(want.isEmpty() ? 1 : 0, r.code(), arg + r.err());
        }
        CliTestSupport.Run unknown = q("whatrequires", "--of-package", "no-such-package");
        assertEquals(2, unknown.code());
    }

    @Test
    void everyPackageFormNamesThePackage() {
        for (BruteForce.Pkg p : brute.packages) {
            List<String> want = brute.packageList(p.name(), p.arch(), p.evr(), true);
            String version = p.evr();
            String noEpoch = version.replaceFirst("^[0-9]+:", "");
            List<String> forms = new ArrayList<>(List.of(p.nevra(), p.name() + ":" + p.arch() + "=" + version,
                    p.name() + ":" + p.arch() + "=" + noEpoch, p.name() + "-" + noEpoch + "." + p.arch()));
            if (!p.rpm()) {
                forms.add(p.name() + "_" + version.replace(":", "%3a") + "_" + p.arch());
                forms.add(p.name() + "_" + noEpoch + "_" + p.arch() + ".deb");
            }
            for (String f : forms) {
                CliTestSupport.Run r = q("provides", "--format", "tsv", f);
                // a form may name more than one package (the same NEVRA as .deb and .rpm): p's lines are among them
                assertTrue(lines(r).containsAll(want), f + ": " + lines(r));
                assertEquals(0, r.code(), f + ": " + r.err());
            }
        }
        assertEquals(lines(q("provides", "--format", "tsv", "libfoo1")), lines(q("provides", "--format", "tsv", "libfo?1")));
        assertEquals(lines(q("provides", "--format", "tsv", "libfoo1=0:1.0-1")), lines(q("provides", "--format", "tsv", "libfoo1=1.0-1")));
    }

    @Test
    void whyEqualsBruteForceForEveryPackage() {
        int broken = 0;
        for (BruteForce.Pkg p : brute.packages) {
            CliTestSupport.Run r = q("why", "--format", "json", p.nevra());
            Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
            List<String> have = new ArrayList<>();
            boolean any = false;
            for (Object o : (List<?>) doc.get("results")) {
                Map<?, ?> res = (Map<?, ?>) o;
                if (!res.get("packageFile").equals(p.file())) {
                    continue;
                }
                for (Object uo : (List<?>) res.get("unsatisfied")) {
                    Map<?, ?> u = (Map<?, ?>) uo;
                    Set<String> same = new TreeSet<>();
                    for (Object so : (List<?>) u.get("sameSoname")) {
                        Map<?, ?> s = (Map<?, ?>) so;
                        same.add(s.get("package") + " " + s.get("path") + " " + new TreeSet<>((List<?>) s.get("versions")));
                    }
                    List<String> syms = new ArrayList<>();
                    for (Object so : (List<?>) u.get("symbols")) {
                        Map<?, ?> s = (Map<?, ?>) so;
                        Set<String> defs = new TreeSet<>();
                        for (Object d : (List<?>) s.get("nowDefinedIn")) {
                            Map<?, ?> dm = (Map<?, ?>) d;
                            defs.add(dm.get("package") + " " + dm.get("path") + " " + dm.get("symbol"));
                        }
                        syms.add(s.get("name") + "@" + s.get("version") + " -> " + defs);
                    }
                    have.add((u.get("file") == null ? "-" : u.get("file")) + " | " + u.get("requirement") + " | "
                            + u.get("scope") + " | same " + same + " | scopes " + new TreeSet<>((List<?>) u.get("otherScopes"))
                            + " | symbols " + syms);
                    any = true;
                }
            }
            assertEquals(brute.why(p), have, p.nevra());
            broken += any ? 1 : 0;
            assertEquals(r.code(), doc.get("results") != null && ((List<?>) doc.get("results")).stream()
                    .anyMatch(x -> !((List<?>) ((Map<?, ?>) x).get("unsatisfied")).isEmpty()) ? 1 : 0, p.nevra());
        }
        assertTrue(broken >= 5, "broken packages: " + broken);
        CliTestSupport.Run unknown = q("why", "no-such-package");
        assertEquals(2, unknown.code());
        assertEquals("symdex: no package 'no-such-package' in " + index, unknown.errLines().get(0));
        CliTestSupport.Run text = q("why", "zlib1g");
        assertEquals(1, text.code());
        assertTrue(text.out().startsWith("zlib1g-1:1.2.13.dfsg-1.amd64 from fx/main: 3 unsatisfied requirements.\n"
                + "  /lib/x86_64-linux-gnu/libz.so.1.2.13 requires libc.so.6(GLIBC_2.14)(64bit), which nothing in "
                + "x86-64/64 provides.\n"), text.out());
        assertTrue(text.out().contains("    memcpy@GLIBC_2.14 is defined nowhere in x86-64/64.\n"), text.out());
        assertEquals(0, q("why", "libfoo1").code());
    }

    @Test
    void anIndexWithoutSymbolsRefusesSymbolQuestions() throws Exception {
        Path bare = tmp.resolve("bare");
        new IndexRun(RunOptions.defaults(bare).withSymbols(false), RunListener.NONE)
                .run(QueryCommandsTest.list(CliTestSupport.root().resolve("fixtures/scenarios/base/deb")));
        for (String cmd : List.of("whatimports", "whatexports")) {
            CliTestSupport.Run r = CliTestSupport.run(cmd, "--index", bare.toString(), "memcpy");
            assertEquals(2, r.code());
            assertEquals("symdex: " + bare + ": built without symbols (--no-symbols); " + cmd + " needs them",
                    r.errLines().get(0));
        }
    }

    @Test
    void demangleShowsCxxNamesAndLeavesCNamesAlone() throws Exception {
        Map<String, String> d = Demangler.demangle(List.of("_ZNSt6vectorIiSaIiEED1Ev", "memcpy", "_Znot_mangled"));
        assertEquals(Map.of("_ZNSt6vectorIiSaIiEED1Ev", "std::vector<int, std::allocator<int> >::~vector()"), d);
        CliTestSupport.Run r = q("whatimports", "--format", "tsv", "--demangle", "memcpy");
        assertEquals(lines(q("whatimports", "--format", "tsv", "memcpy")), lines(r));
    }
}
