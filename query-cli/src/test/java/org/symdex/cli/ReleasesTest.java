package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases and nights in one index (releases issue): two suites sharing a pool, read as sources, over
 * four nights in which packages are added, updated, relabelled and removed. Every broken answer is
 * checked, universe by universe, against the brute force over {@code deps --format json} of the
 * packages each suite lists; by-label counts, candidates from the index and diffs between nights are
 * checked against what the fixtures are known to do.
 */
class ReleasesTest {
    @TempDir
    Path tmp;
    Path repo;
    Path index;
    static final Path SCENARIOS = CliTestSupport.root().resolve("fixtures/scenarios");

    @BeforeEach
    void repo() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v apt-ftparchive").start().waitFor() == 0,
                "apt-ftparchive not installed (apt-utils; .ci/run installs it)");
        repo = tmp.resolve("debian");
        index = tmp.resolve("idx");
        Files.createDirectories(repo.resolve("pool/main"));
        try (var s = Files.list(SCENARIOS.resolve("base/deb"))) {
            for (Path p : s.toList()) {
                Files.copy(p, repo.resolve("pool/main").resolve(p.getFileName()));
            }
        }
        Files.copy(SCENARIOS.resolve("node-removed/deb/libfoo1_1.1-1_amd64.deb"),
                repo.resolve("pool/main/libfoo1_1.1-1_amd64.deb"));
    }

    /** SUITE lists exactly the pool files named. */
    private void publish(String suite, List<String> files) throws Exception {
        Path dir = repo.resolve("dists/" + suite + "/main/binary-amd64");
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder();
        for (String f : files) {
            b.append(sh("cd " + repo + " && apt-ftparchive packages pool/main/" + f));
        }
        Files.writeString(dir.resolve("Packages"), b.toString());
        Files.writeString(repo.resolve("dists/" + suite + "/Release"), sh("cd " + repo + " && apt-ftparchive "
                + "-o APT::FTPArchive::Release::Origin=Debian -o APT::FTPArchive::Release::Codename=" + suite
                + " -o APT::FTPArchive::Release::Architectures=amd64 -o APT::FTPArchive::Release::Components=main "
                + "release dists/" + suite));
    }

    private static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), script);
        return out;
    }

    private String line(String suite) {
        return "deb [arch=amd64] " + repo.toUri() + " " + suite + " main";
    }

    private static final List<String> BASE = List.of("barapp_1.0-1_amd64.deb", "fooapp_1.0-1_amd64.deb",
            "libbar1_1.0-1_amd64.deb", "libc6_2.36-9_amd64.deb", "libfoo1_1.0-1_amd64.deb", "librte1_1.0-1_amd64.deb",
            "rteapp_1.0-1_amd64.deb");

    private static List<String> with(List<String> files, String remove, String add) {
        List<String> out = new ArrayList<>(files);
        if (remove != null) {
            out.remove(remove);
        }
        if (add != null) {
            out.add(add);
        }
        return out;
    }

    private CliTestSupport.Run index(String... suites) {
        List<String> args = new ArrayList<>(List.of("index", "--index", index.toString(), "--prune", "--keep", "3"));
        for (String s : suites) {
            args.addAll(List.of("--source", line(s)));
        }
        CliTestSupport.Run r = CliTestSupport.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.out() + r.err());
        return r;
    }

    /** broken's tsv, universe by universe, against the brute force over each suite's deps json. */
    private void brokenMatchesBruteForce(Map<String, String> universeToSuite) {
        CliTestSupport.Run broken = CliTestSupport.run("broken", "--index", index.toString(), "--format", "tsv");
        TreeSet<String> got = new TreeSet<>();
        for (String l : broken.out().lines().toList()) {
            String[] f = l.split("\t", -1);
            // NAME VERSION ARCH PACKAGE-FILE PATH CAPABILITY LABELS UNIVERSE: labels aside (a pool package has both)
            got.add(String.join("\t", f[0], f[1], f[2], f[3], f[4], f[5], f[7]));
        }
        TreeSet<String> want = new TreeSet<>();
        universeToSuite.forEach((universe, suite) -> {
            CliTestSupport.Run deps = CliTestSupport.run("deps", "--format", "json", "--source", line(suite));
            assertEquals(0, deps.code(), deps.err());
            BruteForce brute = BruteForce.fromDepsJson((Map<?, ?>) MiniJson.parse(deps.out()), "-");
            brute.broken(p -> true).forEach((p, rows) -> rows.forEach(r -> want.add(String.join("\t", p.name(), p.evr(),
                    p.arch(), p.file(), r.path() == null ? "-" : r.path(), r.capability(), universe))));
        });
        assertEquals(want, got, broken.out());
        assertEquals(want.isEmpty() ? 0 : 1, broken.code());
    }

    @Test
    void twoSuitesOverOnePoolFourNights() throws Exception {
        // Night 1: bookworm is whole; trixie has libfoo1 1.1, which removed the LIBFOO_1.0 node fooapp needs.
        publish("bookworm", BASE);
        publish("trixie", with(BASE, "libfoo1_1.0-1_amd64.deb", "libfoo1_1.1-1_amd64.deb"));
        CliTestSupport.Run first = index("bookworm", "trixie");
        assertTrue(first.out().contains("added 8,"), "one pool: 8 packages read once: " + first.out());
        brokenMatchesBruteForce(Map.of("Debian/bookworm", "bookworm", "Debian/trixie", "trixie"));
        CliTestSupport.Run text = CliTestSupport.run("broken", "--index", index.toString());
        assertTrue(text.out().startsWith("universe: Debian/trixie\npackage: fooapp-1.0-1.amd64 from "
                + "Debian/bookworm/main/amd64,Debian/trixie/main/amd64\n"), text.out());

        // Which releases provide the node: one call, a 0 line for the release without it.
        CliTestSupport.Run byLabel = CliTestSupport.run("whatprovides", "--index", index.toString(), "--by-label",
                "--format", "tsv", "libfoo.so.1(LIBFOO_1.0)(64bit)");
        assertEquals(0, byLabel.code(), byLabel.err());
        assertEquals(List.of("Debian/bookworm/main/amd64\tlibfoo.so.1(LIBFOO_1.0)(64bit)\t1\t1",
                "Debian/trixie/main/amd64\tlibfoo.so.1(LIBFOO_1.0)(64bit)\t0\t0"), byLabel.out().lines().toList());
        CliTestSupport.Run none = CliTestSupport.run("whatprovides", "--index", index.toString(), "--by-label",
                "--label", "Debian/trixie/*", "libfoo.so.1(LIBFOO_1.0)(64bit)");
        assertEquals(1, none.code(), "every count 0: " + none.out());
        assertEquals("Debian/trixie/main/amd64: libfoo.so.1(LIBFOO_1.0)(64bit): 0 packages, 0 files\n", none.out());

        // What would break if trixie's libfoo1 replaced bookworm's: candidates from the index itself.
        CliTestSupport.Run up = CliTestSupport.run("upgrade-report", "--index", index.toString(), "--label",
                "Debian/bookworm*", "--candidate", "libfoo1", "--candidate-label", "Debian/trixie/*", "--format", "tsv");
        assertEquals(1, up.code(), up.out() + up.err());
        assertTrue(up.out().contains("fooapp\t1.0-1\tamd64\t/usr/bin/fooapp\tlibfoo.so.1(LIBFOO_1.0)(64bit)\t"
                + "version-node-removed\tlibfoo1-1.0-1.amd64\tlibfoo1-1.1-1.amd64\tDebian/bookworm*\t"
                + "Debian/bookworm/main/amd64,Debian/trixie/main/amd64\n"), up.out());

        // Night 2, a relabel: bookworm-security appears, listing bookworm's libbar1: nothing read.
        publish("bookworm-security", List.of("libbar1_1.0-1_amd64.deb"));
        CliTestSupport.Run second = index("bookworm", "trixie", "bookworm-security");
        assertTrue(second.out().contains("added 0,") && second.out().contains("relabelled 1,"), second.out());
        brokenMatchesBruteForce(Map.of("Debian/bookworm", "bookworm", "Debian/trixie", "trixie"));

        // Night 3, an update: bookworm takes libfoo1 1.1 too; the diff with last night names what broke.
        publish("bookworm", with(BASE, "libfoo1_1.0-1_amd64.deb", "libfoo1_1.1-1_amd64.deb"));
        index("bookworm", "trixie", "bookworm-security");
        brokenMatchesBruteForce(Map.of("Debian/bookworm", "bookworm", "Debian/trixie", "trixie"));
        CliTestSupport.Run diff = CliTestSupport.run("diff", "--format", "tsv", index + "@-1", index.toString());
        assertEquals(1, diff.code(), diff.out() + diff.err());
        assertEquals(List.of("fooapp\t1.0-1\tamd64\t/usr/bin/fooapp\tlibfoo.so.1(LIBFOO_1.0)(64bit)\tversion-node-removed\t"
                + "libfoo1-1.0-1.amd64\tupdate of libfoo1.amd64 1.0-1 -> 1.1-1\tDebian/bookworm\t"
                + "Debian/bookworm/main/amd64,Debian/trixie/main/amd64"), diff.out().lines().toList(),
                "only bookworm newly broke; trixie was broken already");

        // Night 4, a removal: fooapp leaves both suites and is pruned; nothing is broken any more.
        publish("bookworm", with(with(BASE, "libfoo1_1.0-1_amd64.deb", "libfoo1_1.1-1_amd64.deb"), "fooapp_1.0-1_amd64.deb", null));
        publish("trixie", with(with(BASE, "libfoo1_1.0-1_amd64.deb", "libfoo1_1.1-1_amd64.deb"), "fooapp_1.0-1_amd64.deb", null));
        CliTestSupport.Run fourth = index("bookworm", "trixie", "bookworm-security");
        assertTrue(fourth.out().contains("removed 1,"), "fooapp, from both suites: " + fourth.out());
        brokenMatchesBruteForce(Map.of("Debian/bookworm", "bookworm", "Debian/trixie", "trixie"));

        // --keep 3: the first night is gone, and naming it says what is kept.
        CliTestSupport.Run info = CliTestSupport.run("info", "--index", index.toString(), "--format", "json");
        assertEquals(3, info.out().split("\"generation\"", -1).length - 1, info.out());
        CliTestSupport.Run dropped = CliTestSupport.run("broken", "--index", index + "@-3");
        assertEquals(2, dropped.code());
        assertTrue(dropped.err().contains("@-3: only 3 nights are kept"), dropped.err());
        // A kept night still answers as it was: night 2 had fooapp broken in trixie only.
        CliTestSupport.Run night2 = CliTestSupport.run("broken", "--index", index + "@-2", "--format", "tsv");
        assertEquals(1, night2.code());
        assertTrue(night2.out().lines().allMatch(l -> l.endsWith("\tDebian/trixie")), night2.out());
    }
}
