package org.symdex.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.cap.TestPaths;
import org.symdex.index.IndexDump;
import org.symdex.index.IndexException;
import org.symdex.index.IndexInfo;

/**
 * A re-run keeps what it was told, and a moved mirror is the same packages (issue "What a new user still
 * trips on", items 3 and 4). Before: re-indexing without --label re-read every package and dropped its
 * label, and indexing a mirror under its new path kept both copies.
 */
class RelabelAndMoveTest {
    @TempDir
    Path tmp;
    final List<String> said = Collections.synchronizedList(new ArrayList<>());

    private RunReport run(RunOptions o, Path... inputs) throws IndexException {
        return new IndexRun(o, new RunListener() {
            @Override
            public void warning(String line) {
                said.add(line);
            }
        }).run(List.of(inputs));
    }

    /** Every fixture package (deb, rpm, scenarios, query: every codec, scope and declared capability). */
    private static Path fixtures() {
        return TestPaths.root().resolve("fixtures");
    }

    @Test
    void aRerunWithoutLabelKeepsLabelsAndReadsNothing() throws Exception {
        Path index = tmp.resolve("idx");
        RunReport first = run(RunOptions.defaults(index).withLabel("bookworm/main"), fixtures());
        assertTrue(first.added() > 40, first.summary());
        List<String> before = IndexDump.documents(index);
        RunReport again = run(RunOptions.defaults(index), fixtures());
        assertEquals(0, again.added() + again.replaced() + again.relabelled());
        assertEquals(0, again.bytesRead());
        assertEquals(before, IndexDump.documents(index));
        assertEquals(List.of("bookworm/main"), List.copyOf(IndexInfo.read(index).labels().keySet()));
    }

    /**
     * A label given on a re-run rewrites the documents from their stored fields, reading no package, and
     * the index is then exactly the one a fresh run with that label writes: every term and stored value.
     */
    @Test
    void aLabelOnlyRewriteEqualsAFreshIndexWithThatLabel() throws Exception {
        for (boolean symbols : List.of(true, false)) {
            Path index = tmp.resolve("idx-" + symbols);
            Path fresh = tmp.resolve("fresh-" + symbols);
            RunReport first = run(RunOptions.defaults(index).withLabel("bookworm/main").withSymbols(symbols), fixtures());
            RunReport relabel = run(RunOptions.defaults(index).withLabel("trixie/main").withSymbols(symbols), fixtures());
            assertEquals(first.added(), relabel.relabelled(), relabel.summary());
            assertEquals(0, relabel.added() + relabel.replaced());
            assertEquals(0, relabel.bytesRead());
            run(RunOptions.defaults(fresh).withLabel("trixie/main").withSymbols(symbols), fixtures());
            assertEquals(IndexDump.documents(fresh), IndexDump.documents(index), "symbols " + symbols);
        }
        Path index = tmp.resolve("idx-true");
        RunReport none = run(RunOptions.defaults(index).withLabel(""), fixtures());
        assertTrue(none.relabelled() > 40);
        assertEquals(Map.of("", (long) none.relabelled()), IndexInfo.read(index).labels());
        IndexVerifier.Result v = IndexVerifier.verify(index, InputWalker.walk(List.of(fixtures()),
                InputWalker.Accept.PACKAGES).inputs().stream().map(InputWalker.Input::path).toList());
        assertTrue(v.differences().stream().allMatch(d -> d.contains("deleted documents")), v.differences().toString());
    }

    /** mv mirrorA mirrorB: the packages are found again by checksum, moved, not added twice. */
    @Test
    void aMovedMirrorIsTheSamePackages() throws Exception {
        Path index = tmp.resolve("idx");
        Path a = tmp.resolve("mirrorA");
        Path b = tmp.resolve("mirrorB");
        Map<String, Path> debs = TestDebs.standardSet(Files.createDirectories(a));
        run(RunOptions.defaults(index).withLabel("stable"), a);
        Files.move(a, b);
        RunReport r = run(RunOptions.defaults(index).withPrune(true), b);
        assertEquals(3, r.moved(), r.summary());
        assertEquals(0, r.added());
        assertEquals(0, r.removed());
        assertEquals(3, IndexInfo.read(index).packages());
        assertEquals(Map.of("stable", 3L), IndexInfo.read(index).labels()); // kept: no --label given
        assertTrue(said.contains(a.resolve(debs.get("boundary").getFileName()) + ": moved to "
                + b.resolve(debs.get("boundary").getFileName())), said.toString());
        // The old root is missing: a failure, nothing pruned, unless --prune-missing-roots says it is gone for good.
        Path c = tmp.resolve("mirrorC");
        Files.createDirectories(c);
        Files.copy(b.resolve(debs.get("libmal1").getFileName()), c.resolve("extra.deb"));
        run(RunOptions.defaults(index), c);
        deleteTree(c);
        RunReport missing = run(RunOptions.defaults(index).withPrune(true), b, c);
        assertEquals(List.of(new RunReport.Failure(c.toString(), "no such file or directory")), missing.failed());
        assertEquals(4, IndexInfo.read(index).packages());
        RunReport gone = run(RunOptions.defaults(index).withPrune(true).withPruneMissingRoots(true), b, c);
        assertEquals(List.of(), gone.failed());
        assertEquals(1, gone.removed());
        assertEquals(3, IndexInfo.read(index).packages());
    }

    private static void deleteTree(Path p) throws Exception {
        TestDebs.deleteTree(p);
    }
}
