package org.symdex.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.index.IndexException;
import org.symdex.index.IndexInfo;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.RunState;
import org.symdex.index.Schema;

/**
 * The faults issue against real .deb files and a real index: symlink farms and one walker (item 2),
 * empty roots and a guarded --prune (item 3), commits that say how much of a run they hold (item 4)
 * and names over Lucene's term limit (item 5). Each of these lost or hid data before.
 */
class RunSafetyTest {
    @TempDir
    Path tmp;
    Path repo;
    Path index;
    Map<String, Path> debs;
    final List<String> said = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        repo = Files.createDirectories(tmp.resolve("repo"));
        index = tmp.resolve("index");
        debs = TestDebs.standardSet(repo);
    }

    private RunOptions opts() {
        return RunOptions.defaults(index).withJobs(2).withCommitEvery(2).withLabel("test/main");
    }

    private RunReport run(RunOptions o, Path... inputs) throws IndexException {
        return new IndexRun(o, new RunListener() {
            @Override
            public void warning(String line) {
                said.add(line);
            }

            @Override
            public void packageFailed(String packageFile, String message) {
                said.add(packageFile + ": " + message);
            }
        }).run(List.of(inputs));
    }

    private long packages() throws IOException {
        try (var d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
            return new IndexSearcher(r).count(Schema.kind(Schema.KIND_PACKAGE));
        }
    }

    private List<String> files() throws IOException {
        List<String> out = new ArrayList<>();
        try (var d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r);
            for (var sd : s.search(Schema.kind(Schema.KIND_PACKAGE), 1000).scoreDocs) {
                out.add(s.storedFields().document(sd.doc).get(Schema.PKG_FILE));
            }
        }
        out.sort(null);
        return out;
    }

    // ---- item 2: symlinks and one walker ------------------------------------------------------------

    /** A Pulp/aptly-style farm: links to files and to a directory, a dangling link and a loop. */
    @Test
    void aSymlinkFarmIsIndexedEachFileOnceUnderItsFirstName() throws Exception {
        Path farm = Files.createDirectories(tmp.resolve("farm"));
        Files.createSymbolicLink(farm.resolve("b-mal.deb"), debs.get("libmal1"));
        Files.createSymbolicLink(farm.resolve("a-store"), repo); // a directory link: all three, mal again
        Files.createSymbolicLink(farm.resolve("gone.deb"), tmp.resolve("nowhere.deb"));
        Files.createSymbolicLink(repo.resolve("loop"), farm);
        RunReport r = run(opts(), farm);
        assertEquals(3, r.added(), said.toString());
        // "a-store/" sorts before "b-mal.deb": the directory's name for libmal1 wins; the link is the same inode.
        assertEquals(List.of(farm + "/a-store/boundary_2.0_amd64.deb", farm + "/a-store/libmal-cross_1:1.0-2_all.deb",
                farm + "/a-store/libmal1_1.0-1_amd64.deb"), files());
        assertTrue(said.contains(farm + "/gone.deb: dangling symbolic link to " + tmp.resolve("nowhere.deb")),
                said.toString());
        assertTrue(said.contains(farm + "/a-store/loop: symbolic link loop (back to a directory being walked); "
                + "not followed"), said.toString());
    }

    /** Whole-path bytewise order: "a-c" (0x2d) comes before "a/b" (0x2f), whatever the directory nesting. */
    @Test
    void theWalkOrderIsTheBytewiseOrderOfTheWholePath() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("order"));
        Files.createDirectories(root.resolve("a"));
        Files.copy(debs.get("libmal1"), root.resolve("a/b.deb"));
        Files.copy(debs.get("boundary"), root.resolve("a-c.deb"));
        Files.copy(debs.get("libmal-cross"), root.resolve("a.deb"));
        Files.copy(debs.get("libmal1"), root.resolve("Z.deb"));
        List<String> order = InputWalker.walk(List.of(root), InputWalker.Accept.PACKAGES).inputs().stream()
                .map(InputWalker.Input::display).toList();
        List<String> expected = new ArrayList<>(order);
        expected.sort((x, y) -> java.util.Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, order);
        assertEquals(List.of(root + "/Z.deb", root + "/a-c.deb", root + "/a.deb", root + "/a/b.deb"), order);
    }

    /** A renamed package is read (by magic); a file named like one that is not is reported, never skipped. */
    @Test
    void packagesAreTakenByTheirBytesAndNothingNamedLikeOneIsSkippedSilently() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(debs.get("libmal1"), root.resolve("libmal1.pkg"));
        Files.writeString(root.resolve("README"), "not a package\n");
        Files.writeString(root.resolve("error-page.deb"), "<html>404</html>\n");
        RunReport r = run(opts(), root);
        assertEquals(1, r.added());
        assertEquals(List.of(new RunReport.Failure(root + "/error-page.deb", "not a .deb or .rpm (unknown magic)")),
                r.failed());
    }

    /** A name that is not UTF-8 (a cron job has no LANG) is read, and shown with its bytes. */
    @Test
    void aNameThatIsNotUtf8IsReadAndShownWithItsBytes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("names"));
        Path raw = rawName(root, new byte[] {'m', 'a', 'l', (byte) 0xff, '.', 'd', 'e', 'b'});
        Files.copy(debs.get("libmal1"), raw);
        Files.copy(debs.get("boundary"), root.resolve("caf\u00e9.deb"));
        RunReport r = run(opts(), root);
        assertEquals(2, r.added(), said.toString());
        assertEquals(List.of(root + "/caf\u00e9.deb", root + "/mal\\xff.deb"), files());
    }

    /** A path whose raw bytes are {@code name}, made through a file URI (Java's strings cannot hold them). */
    static Path rawName(Path dir, byte[] name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name) {
            sb.append(String.format("%%%02X", b & 0xff));
        }
        return Path.of(java.net.URI.create(dir.toUri() + sb.toString()));
    }

    // ---- item 3: empty roots and --prune ------------------------------------------------------------

    @Test
    void aRunWhoseEveryRootIsMissingOrEmptyCreatesNoIndex() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        RunReport r = run(opts(), empty, tmp.resolve("missing"));
        assertFalse(r.indexWritten());
        assertFalse(Files.exists(index));
        assertTrue(said.contains(empty + ": no .deb or .rpm package found"), said.toString());
        assertEquals(List.of(new RunReport.Failure(tmp.resolve("missing").toString(), "no such file or directory")),
                r.failed());
    }

    @Test
    void aMissingRootIsAFailureThatFailuresLists() throws Exception {
        run(opts(), repo);
        RunReport r = run(opts(), repo, tmp.resolve("missing"));
        assertEquals(1, r.failed().size());
        assertEquals(List.of(tmp.resolve("missing").toString()),
                IndexInfo.failures(index).stream().map(IndexInfo.Failure::packageFile).toList());
        // There again: the record goes.
        Files.createDirectories(tmp.resolve("missing"));
        Files.copy(debs.get("libmal1"), tmp.resolve("missing/x.deb"));
        RunReport again = run(opts(), repo, tmp.resolve("missing"));
        assertEquals(List.of(), again.failed());
        assertEquals(List.of(), IndexInfo.failures(index));
    }

    /** An unmounted mirror is an empty directory: --prune used to remove every package. */
    @Test
    void pruneRemovesNothingUnderARootThatBecameEmpty() throws Exception {
        run(opts(), repo);
        for (Path p : debs.values()) {
            Files.delete(p);
        }
        RunReport r = run(opts().withPrune(true), repo);
        assertEquals(0, r.removed());
        assertEquals(3, packages());
        assertEquals(List.of(repo + ": --prune would remove 3 of 3 indexed packages, but its walk found no package; "
                + "nothing removed there"), r.pruneRefusals());
        assertTrue(said.contains(repo + ": no .deb or .rpm package found"), said.toString());
    }

    @Test
    void pruneRemovesNothingUnderARootWhoseWalkHitAnError() throws Exception {
        run(opts(), repo);
        Files.delete(debs.get("boundary"));
        Files.createSymbolicLink(repo.resolve("stale.deb"), tmp.resolve("nowhere.deb")); // a dangling link
        RunReport r = run(opts().withPrune(true), repo);
        assertEquals(0, r.removed());
        assertEquals(3, packages());
        assertEquals(List.of(repo + ": --prune would remove 1 of 3 indexed packages, but its walk met 1 error(s); "
                + "nothing removed there"), r.pruneRefusals());
    }

    /** 27 of 30 gone: refused (90% > 10%), additions still committed; forced, removed. */
    @Test
    void pruneRefusesToRemoveMoreThanMaxPrunePercentOfARoot() throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        byte[] boundary = TestDebs.resource(TestDebs.BOUNDARY);
        List<Path> built = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            built.add(TestDebs.build(mirror.resolve("p" + i + "_1_amd64.deb"), "p" + i, "1", "amd64",
                    List.of(new TestDebs.Entry("/usr/lib/p" + i + "/libsymdexboundary.so", boundary, 0755)),
                    1_700_000_000L + i));
        }
        run(opts(), mirror);
        for (Path p : built.subList(3, 30)) {
            Files.delete(p);
        }
        Files.copy(debs.get("libmal1"), mirror.resolve("new_1_amd64.deb"));
        RunReport r = run(opts().withPrune(true), mirror);
        assertEquals(1, r.added());
        assertEquals(0, r.removed());
        assertEquals(List.of(mirror + ": --prune would remove 27 of 30 indexed packages (90% > --max-prune 10); "
                + "nothing removed there (--force-prune to allow)"), r.pruneRefusals());
        assertEquals(31, packages());
        // Five or fewer may always go, whatever their share.
        RunReport raised = run(opts().withPrune(true).withMaxPrune(95, false), mirror);
        assertEquals(27, raised.removed());
        assertEquals(4, packages());
    }

    @Test
    void forcePruneLiftsTheGuard() throws Exception {
        run(opts(), repo);
        Files.delete(debs.get("boundary"));
        Files.delete(debs.get("libmal1"));
        RunReport small = run(opts().withPrune(true), repo); // 2 of 3, but not more than 5: allowed
        assertEquals(2, small.removed());
        assertEquals(List.of(), small.pruneRefusals());
        assertEquals(1, packages());
    }

    // ---- item 4: a run's middle is never taken for the archive ---------------------------------------

    @Test
    void everyCommitSaysHowMuchOfItsRunItHolds() throws Exception {
        assertThrows(IndexRun.InjectedCrash.class, () -> run(opts().withJobs(1).withCommitEvery(1)
                .withCrashAfterCommits(2), repo));
        try (IndexSnapshot s = IndexSnapshot.open(index)) {
            RunState run = s.run();
            assertFalse(run.finished());
            assertEquals(2, run.done());
            assertEquals(3, run.total());
            assertEquals(index + ": the last run did not finish (2 of 3 packages committed)",
                    s.unfinishedWarning().orElseThrow());
            IndexException e = assertThrows(IndexException.class, () -> s.requireFinished(false));
            assertTrue(e.getMessage().endsWith("give --allow-partial"), e.getMessage());
            s.requireFinished(true);
        }
        RunReport r = run(opts(), repo);
        assertEquals(1, r.added());
        try (IndexSnapshot s = IndexSnapshot.open(index)) {
            assertTrue(s.run().finished());
            assertEquals(1, s.run().done());
            assertEquals(1, s.run().total());
            assertTrue(s.unfinishedWarning().isEmpty());
        }
    }

    @Test
    void aRunInProgressIsToldFromOneThatDidNotFinish() throws Exception {
        assertThrows(IndexRun.InjectedCrash.class, () -> run(opts().withJobs(1).withCommitEvery(1)
                .withCrashAfterCommits(1), repo));
        assertFalse(IndexSnapshot.runInProgress(index));
        try (var d = FSDirectory.open(index);
             IndexWriter w = new IndexWriter(d, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND).setCommitOnClose(false));
             IndexSnapshot s = IndexSnapshot.open(index)) {
            assertTrue(IndexSnapshot.runInProgress(index));
            assertEquals(index + ": a run is in progress (1 of 3 packages committed so far)",
                    s.unfinishedWarning().orElseThrow());
        }
    }

    /** Another run's lock is waited for, up to 10 s, instead of failing at once. */
    @Test
    void aRunWaitsForAnotherRunsLock() throws Exception {
        run(opts(), repo);
        var d = FSDirectory.open(index);
        IndexWriter other = new IndexWriter(d, new IndexWriterConfig().setCommitOnClose(false));
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
                other.close();
                d.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        long t0 = System.nanoTime();
        RunReport r = run(opts(), repo);
        release.join();
        assertEquals(3, r.skipped());
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "did not wait for the lock");
    }

    // ---- item 5: one package must not sink a run -----------------------------------------------------

    /** Symbols over 32,766 UTF-8 bytes: left out of the terms with a warning, kept in the symbol table. */
    @Test
    void namesOverTheTermLimitAreLeftOutOfTheTermsNotOutOfTheRun() throws Exception {
        byte[] lib = TestDebs.resource("/org/symdex/index/liblongname.so.1");
        Path deb = TestDebs.build(repo.resolve("liblongname1_1_amd64.deb"), "liblongname1", "1", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/x86_64-linux-gnu/liblongname.so.1", lib, 0644)), 1_700_000_500L);
        RunReport r = run(opts(), repo);
        assertEquals(4, r.added());
        assertEquals(List.of(), r.failed());
        String where = deb + "!/usr/lib/x86_64-linux-gnu/liblongname.so.1: ";
        assertTrue(said.contains(where + "symbol of 40,001 bytes left out of the index terms"), said.toString());
        assertTrue(said.contains(where + "symbol of 20,000 bytes (40,000 in UTF-8) left out of the index terms"),
                said.toString());
        assertTrue(said.contains(where + "symbol of 33,000 bytes left out of the index terms"), said.toString());
        // The short symbol is a term; the long ones are still in the stored symbol table.
        try (var d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(reader);
            assertEquals(1, s.count(Schema.scopedExact(Schema.SYM_DEF, "x86-64/64", "short_one")));
            assertEquals(List.of(), IndexRunTest.terms(reader, Schema.scoped(Schema.SYM_DEF, "x86-64/64")).stream()
                    .filter(t -> t.length() > 1000).toList());
        }
        try (org.symdex.query.IndexArchiveView view = org.symdex.query.IndexArchiveView.open(index)) {
            var facts = view.filesWithSoname(org.symdex.cap.Scope.parse("x86-64/64"), "liblongname.so.1");
            assertEquals(1, facts.size());
            assertEquals(List.of(40001, 20000), facts.get(0).exports().stream().map(e -> e.name().length())
                    .filter(n -> n > 1000).sorted(Collections.reverseOrder()).toList());
        }
    }

    /** A package whose own name is over the limit cannot be keyed: that package fails, the run goes on. */
    @Test
    void aPackageThatCannotBeIndexedIsThatPackagesFailure() throws Exception {
        String name = "x" + "y".repeat(40_000);
        Path deb = TestDebs.build(repo.resolve("long_1_amd64.deb"), name, "1", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/libsymdexboundary.so", TestDebs.resource(TestDebs.BOUNDARY), 0755)),
                1_700_000_600L);
        RunReport r = run(opts(), repo);
        assertEquals(3, r.added());
        assertEquals(List.of(new RunReport.Failure(deb.toString(),
                "package name of 40,001 bytes is over the index's 32,766-byte term limit")), r.failed());
        assertEquals(3, packages());
        assertEquals(1, IndexInfo.failures(index).size());
    }
}
