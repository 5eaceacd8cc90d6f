package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.index.Schema;

/** symdex index, info and failures as a user runs them, on real .debs built by dpkg-deb. */
class IndexCommandTest {
    static final Path LIBMAL = CliTestSupport.root().resolve("indexer/src/test/resources/org/symdex/elf/libmal.so.1");

    @TempDir
    Path tmp;
    Path repo;
    Path index;
    Path good;
    Path bad;

    @BeforeEach
    void setUp() throws Exception {
        repo = Files.createDirectories(tmp.resolve("repo"));
        index = tmp.resolve("idx");
        good = deb(repo.resolve("libmal1_1.0-1_amd64.deb"));
        bad = repo.resolve("broken_1_amd64.deb");
        Files.writeString(bad, "not a package", StandardCharsets.UTF_8);
    }

    /** A one-file .deb of libmal.so.1, built by dpkg-deb. */
    private Path deb(Path out) throws IOException, InterruptedException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("DEBIAN"));
        Files.writeString(root.resolve("DEBIAN/control"), "Package: libmal1\nVersion: 1.0-1\nArchitecture: amd64\n"
                + "Maintainer: t <t@symdex.invalid>\nDescription: test\n", StandardCharsets.UTF_8);
        Path lib = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu")).resolve("libmal.so.1");
        Files.copy(LIBMAL, lib);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-r--r--"));
        Process p = new ProcessBuilder("dpkg-deb", "-Zgzip", "--root-owner-group", "--build", root.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), log);
        Files.setLastModifiedTime(out, FileTime.from(1_700_000_000L, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void indexReportsTheBadPackageAndExitsTwoThenSkipsOnReRun() {
        var r = CliTestSupport.run("index", "--index", index.toString(), "--label", "t/main", "--jobs", "2",
                repo.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("symdex: " + bad + ": not a .deb or .rpm (unknown magic)"), r.errLines());
        assertTrue(r.out().startsWith("added 1, skipped 0, replaced 0, removed 0, relabelled 0, moved 0, failed 1 (1 not a .deb or .rpm); 1 ELF files, "
                + "7 capabilities; "), r.out());
        assertEquals(1, r.out().lines().count());

        var again = CliTestSupport.run("index", "--index", index.toString(), "--label", "t/main", repo.toString());
        assertEquals(2, again.code());
        assertTrue(again.out().startsWith("added 0, skipped 1, replaced 0, removed 0, relabelled 0, moved 0, failed 1 (1 not a .deb or .rpm);"), again.out());

        var failures = CliTestSupport.run("failures", "--index", index.toString());
        assertEquals(1, failures.code());
        assertEquals(bad + ": not a .deb or .rpm (unknown magic)\n", failures.out());
        var tsv = CliTestSupport.run("failures", "--index", index.toString(), "--format", "tsv");
        assertEquals(bad + "\tt/main\tnot a .deb or .rpm (unknown magic)\n", tsv.out());
    }

    @Test
    void cleanRunExitsZeroAndInfoDescribesTheIndex() throws IOException {
        Files.delete(bad);
        var r = CliTestSupport.run("index", "-i", index.toString(), "-l", "t/main", repo.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        var failures = CliTestSupport.run("failures", "--index", index.toString());
        assertEquals(0, failures.code());
        assertEquals("", failures.out());

        var info = CliTestSupport.run("info", "--index", index.toString());
        assertEquals(0, info.code(), info.err());
        List<String> lines = info.out().lines().toList();
        assertEquals("index: " + index, lines.get(0));
        assertEquals("version: schema " + Schema.SCHEMA_VERSION + ", extractor " + Schema.EXTRACTOR_VERSION
                + ", symbols yes", lines.get(1));
        assertTrue(lines.get(2).startsWith("last run: started "), lines.get(2));
        assertTrue(lines.get(3).startsWith("last run summary: added 1, skipped 0,"), lines.get(3));
        assertEquals(List.of("labels: t/main 1", "packages: 1 (deb 1)", "packages per arch: amd64 1",
                "ELF files: 1 (x86-64/64 1)", "failures: 0"), lines.subList(4, 9));

        var json = CliTestSupport.run("info", "--index", index.toString(), "--format", "json");
        assertTrue(json.out().startsWith("{\"schema\":\"symdex/1\",\"command\":\"info\",\"results\":[{\"index\":"),
                json.out());
        assertTrue(json.out().contains("\"arches\":{\"amd64\":1}"), json.out());
    }

    /** --merge leaves one segment, the same answers and the same version stamp and run summary. */
    @Test
    void mergeLeavesOneSegmentAndTheSameAnswers() throws Exception {
        Path fixtures = CliTestSupport.root().resolve("fixtures/deb");
        Path plain = tmp.resolve("plain");
        Path merged = tmp.resolve("merged");
        assertEquals(0, CliTestSupport.run("index", "--index", plain.toString(), "--commit-every", "1", "--jobs", "1",
                fixtures.toString()).code());
        var m = CliTestSupport.run("index", "--index", merged.toString(), "--commit-every", "1", "--jobs", "1",
                "--merge", fixtures.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("merged into one segment in "), m.out());
        try (var d = org.apache.lucene.store.FSDirectory.open(plain);
             var r = org.apache.lucene.index.DirectoryReader.open(d)) {
            assertTrue(r.leaves().size() > 1, "segments before: " + r.leaves().size());
        }
        try (var d = org.apache.lucene.store.FSDirectory.open(merged);
             var r = org.apache.lucene.index.DirectoryReader.open(d)) {
            assertEquals(1, r.leaves().size());
            assertEquals(Schema.SCHEMA_VERSION + "", r.getIndexCommit().getUserData().get(Schema.DATA_SCHEMA));
        }
        for (String q : List.of("libc.so.6(GLIBC_2.*)(64bit)", "*")) {
            for (String cmd : List.of("whatprovides", "whatrequires")) {
                var a = CliTestSupport.run(cmd, "--index", plain.toString(), "--format", "tsv", q);
                var b = CliTestSupport.run(cmd, "--index", merged.toString(), "--format", "tsv", q);
                assertEquals(a.out(), b.out(), cmd + " " + q);
                assertEquals(a.code(), b.code());
            }
        }
        assertTrue(CliTestSupport.run("info", "--index", merged.toString()).out().contains("added "));
    }

    @Test
    void anIndexOfAnotherVersionIsRefusedWithExitTwo() throws Exception {
        Files.delete(bad);
        assertEquals(0, CliTestSupport.run("index", "--index", index.toString(), repo.toString()).code());
        var r = CliTestSupport.run("index", "--index", index.toString(), "--no-symbols", repo.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: " + index + ": built with symbols; this run is without them: "
                + "use the same setting, or --rebuild"), r.errLines());
        var rebuilt = CliTestSupport.run("index", "--index", index.toString(), "--no-symbols", "--rebuild",
                repo.toString());
        assertEquals(0, rebuilt.code(), rebuilt.err());
        assertTrue(rebuilt.out().startsWith("added 1, skipped 0,"), rebuilt.out());
    }

    @Test
    void noIndexIsAnInputError() {
        var r = CliTestSupport.run("info", "--index", tmp.resolve("nothing").toString());
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: " + tmp.resolve("nothing") + ": no symdex index there"), r.errLines());
    }

    @Test
    void badOptionsAreUsageErrors() {
        var r = CliTestSupport.run("index", "--index", index.toString(), "--jobs", "0", repo.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--jobs must be at least 1"), r.err());
    }

    /** A flat repository (deb URI ./) over the repo dir, built by apt-ftparchive. */
    private String flatRepo() throws Exception {
        Files.delete(bad);
        Process p = new ProcessBuilder("sh", "-c", "apt-ftparchive packages . > Packages && apt-ftparchive "
                + "-o APT::FTPArchive::Release::Origin=Local -o APT::FTPArchive::Release::Suite=flat release . > Release.tmp "
                + "&& mv Release.tmp Release").directory(repo.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() != 127, "apt-ftparchive not installed");
        assertEquals(0, p.waitFor(), log);
        return "deb " + repo.toUri() + " ./";
    }

    @Test
    void indexWithASourceSaysWhatEachSourceDidAndPrintsJsonForCi() throws Exception {
        String line = flatRepo();
        var r = CliTestSupport.run("index", "--index", index.toString(), "--source", line);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(line + ": 1 packages listed: 1 read,"), r.out());
        var again = CliTestSupport.run("index", "--index", index.toString(), "--source", line, "--format", "json");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("\"status\":\"unchanged\""), again.out());
        assertTrue(again.out().startsWith("{\"schema\":\"symdex/1\",\"command\":\"index\""), again.out());
        var q = CliTestSupport.run("whatprovides", "--index", index.toString(), "--format", "tsv", "libmal.so.1()(64bit)");
        assertEquals(0, q.code(), q.err());
        assertTrue(q.out().endsWith("\tLocal/flat/-/amd64\n"), q.out()); // a flat repository: component -
    }

    @Test
    void indexWithNothingToReadIsAUsageError() {
        var r = CliTestSupport.run("index", "--index", index.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nothing to index: give a PATH, a --source LINE or a --sources FILE"), r.err());
    }

    @Test
    void aSourceThatCannotBeReadIsOneLineAndExitTwo() throws Exception {
        String line = flatRepo();
        Files.delete(repo.resolve("Release"));
        var r = CliTestSupport.run("index", "--index", index.toString(), "--source", line, good.toString());
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> l.startsWith("symdex: ")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).contains("Release"), lines.get(0));
        assertTrue(r.out().contains("added 1,"), "the path given beside it is still indexed: " + r.out());
        var bad = CliTestSupport.run("index", "--index", index.toString(), "--source", "deb [arch=amd64] " + repo.toUri());
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("symdex: --source"), bad.err());
    }
}
