package org.symdex.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.index.IndexDump;
import org.symdex.index.IndexException;
import org.symdex.index.IndexInfo;
import org.symdex.index.Schema;
import org.symdex.index.SymbolTable;

/**
 * The Done-when list of issue 4 against real .deb files built by dpkg-deb and a real Lucene index:
 * fresh index, re-run, replace, prune, failures recorded and retried, a crashed run resumed, and
 * version refusal. Answers are exact.
 */
class IndexRunTest {
    private static final String X64 = "x86-64/64";
    private static final String A64 = "aarch64/64";
    private static final List<String> MAL_PROVIDES = List.of("libmal.so.1()(64bit)", "libmal.so.1(MAL_1.0)(64bit)",
            "libmal.so.1(MAL_1.1)(64bit)", "libmal.so.1(MAL_2.0)(64bit)");
    private static final List<String> MAL_REQUIRES = List.of("libc.so.6()(64bit)", "libc.so.6(GLIBC_2.2.5)(64bit)",
            "rtld(GNU_HASH)");

    @TempDir
    Path tmp;
    Path repo;
    Path index;
    Map<String, Path> debs;

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
        return new IndexRun(o, RunListener.NONE).run(List.of(inputs));
    }

    /** A bad ELF inside a readable package is said on the listener, as deps says it, and stored. */
    @Test
    void anElfFilesWarningsAreSaidAndKept() throws Exception {
        byte[] lib = TestDebs.resource(TestDebs.LIBMAL);
        org.symdex.elf.ElfFile parsed = org.symdex.elf.ElfFile.parse(java.nio.ByteBuffer.wrap(lib), false);
        org.symdex.elf.Section dynamic = parsed.sections().stream()
                .filter(x -> x.type() == org.symdex.elf.ElfConstants.SHT_DYNAMIC).findFirst().orElseThrow();
        // sh_entsize of .dynamic is 0: rpm 4.20 skips the section (rpm 4.18's elfdeps divides by it).
        java.nio.ByteBuffer.wrap(lib).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong((int) (parsed.header().shoff() + (long) dynamic.index() * 64) + 56, 0);
        Path deb = TestDebs.build(repo.resolve("libodd_1.0_amd64.deb"), "libodd", "1.0", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/x86_64-linux-gnu/libodd.so.1", lib, 0644)), 1_700_000_000L);
        List<String> said = new ArrayList<>();
        new IndexRun(opts(), new RunListener() {
            @Override
            public synchronized void warning(String line) {
                said.add(line);
            }
        }).run(List.of(deb));
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith(deb.toAbsolutePath() + "!/usr/lib/x86_64-linux-gnu/libodd.so.1: "), said.get(0));
        assertTrue(said.get(0).contains("sh_entsize is 0"), said.get(0));
        List<String> stored = new ArrayList<>();
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(index))) {
            for (int i = 0; i < r.maxDoc(); i++) {
                for (String w : r.storedFields().document(i).getValues(Schema.WARNING)) {
                    stored.add(w);
                }
            }
        }
        assertEquals(said, stored);
    }

    private Path garbage(String name) throws IOException {
        Path p = repo.resolve(name);
        Files.writeString(p, "this is not a package\n", StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(1_700_000_300L, TimeUnit.SECONDS));
        return p;
    }

    // ---- fresh index -------------------------------------------------------------------------------

    @Test
    void freshIndexHoldsExactlyWhatTheScannerSays() throws Exception {
        Path bad = garbage("zz-broken_1.0_amd64.deb");
        RunReport r = run(opts(), repo);
        assertEquals(3, r.added());
        assertEquals(0, r.skipped());
        assertEquals(List.of(new RunReport.Failure(bad.toString(), "not a .deb or .rpm (unknown magic)")), r.failed());
        assertEquals(3, r.elfFiles());
        // libmal twice (4 provides + 3 requires each), boundary 1 + 1
        assertEquals(16, r.capabilities());
        assertEquals(Files.size(debs.get("libmal1")) + Files.size(debs.get("boundary"))
                + Files.size(debs.get("libmal-cross")) + Files.size(bad), r.bytesRead());

        try (var d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(reader);
            assertEquals(3, s.count(Schema.kind(Schema.KIND_PACKAGE)));
            assertEquals(3, s.count(Schema.kind(Schema.KIND_FILE)));
            assertEquals(1, s.count(Schema.kind(Schema.KIND_FAILURE)));

            // Scoped dictionaries: the aarch64 file of an Architecture: all package is in its own scope.
            assertEquals(MAL_PROVIDES, terms(reader, Schema.scoped(Schema.PROV, A64)));
            assertEquals(List.of("libmal.so.1()(64bit)", "libmal.so.1(MAL_1.0)(64bit)", "libmal.so.1(MAL_1.1)(64bit)",
                    "libmal.so.1(MAL_2.0)(64bit)", "libsymdexboundary.so()(64bit)"),
                    terms(reader, Schema.scoped(Schema.PROV, X64)));
            assertEquals(List.of("libc.so.6()(64bit)", "libc.so.6(GLIBC_2.2.5)(64bit)",
                    "libsymdexboundary.so.0()(64bit)", "rtld(GNU_HASH)"), terms(reader, Schema.scoped(Schema.REQ, X64)));
            assertEquals(List.of(A64, X64), terms(reader, Schema.SCOPE));
            assertEquals(List.of("libc.so.6", "libsymdexboundary.so.0"), terms(reader, Schema.scoped(Schema.NEEDED, X64)));
            // DT_SONAME, else the base name: how ld.so finds the file.
            assertEquals(List.of("libmal.so.1", "libsymdexboundary.so"), terms(reader, Schema.scoped(Schema.SONAME, X64)));
            assertEquals(List.of("MAL_1.0@@MAL_1.0", "MAL_1.1@@MAL_1.1", "MAL_2.0@@MAL_2.0", "mal_one@@MAL_1.0",
                    "mal_three@@MAL_2.0", "mal_two@@MAL_1.1"), terms(reader, Schema.scoped(Schema.SYM_DEF, A64)));
            assertEquals(List.of("_ITM_deregisterTMCloneTable", "_ITM_registerTMCloneTable",
                    "__cxa_finalize@GLIBC_2.2.5", "__gmon_start__", "puts@GLIBC_2.2.5"), terms(reader, Schema.scoped(Schema.SYM_REF, A64)));

            Document mal = only(s, Schema.FILE_PATH, "/usr/lib/x86_64-linux-gnu/libmal.so.1");
            assertEquals(debs.get("libmal1").toString(), mal.get(Schema.PKG_FILE));
            assertEquals("libmal1", mal.get(Schema.PKG_NAME));
            assertEquals("1.0-1", mal.get(Schema.PKG_EVR));
            assertEquals("amd64", mal.get(Schema.PKG_ARCH));
            assertEquals(X64, mal.get(Schema.SCOPE));
            assertEquals("libmal.so.1", mal.get(Schema.ELF_SONAME));
            assertEquals(List.of("libc.so.6"), List.of(mal.getValues(Schema.ELF_NEEDED)));
            assertEquals(MAL_PROVIDES, List.of(mal.getValues(Schema.FILE_PROVIDES)));
            assertEquals(MAL_REQUIRES, List.of(mal.getValues(Schema.FILE_REQUIRES)));
            assertEquals(0755, mal.getField(Schema.FILE_MODE).numericValue().intValue());
            BytesRef table = mal.getBinaryValue(Schema.SYMBOL_TABLE);
            List<SymbolTable.Symbol> syms = SymbolTable.decode(table.bytes, table.offset, table.length);
            assertEquals(11, syms.size());
            SymbolTable.Symbol puts = syms.stream().filter(x -> x.name().equals("puts")).findFirst().orElseThrow();
            assertEquals("GLIBC_2.2.5", puts.version());
            assertEquals("libc.so.6", puts.file());
            assertFalse(puts.defined());

            Document cross = only(s, Schema.FILE_PATH, "/usr/aarch64-linux-gnu/lib/libmal.so.1");
            assertEquals(A64, cross.get(Schema.SCOPE));
            assertEquals("all", cross.get(Schema.PKG_ARCH));
            assertEquals("1:1.0-2", cross.get(Schema.PKG_EVR));

            Document pkg = onlyPackage(s, "boundary");
            assertEquals("deb", pkg.get(Schema.PKG_FORMAT));
            assertEquals("test/main", pkg.get(Schema.PKG_LABEL));
            assertEquals(sha256(debs.get("boundary")), pkg.get(Schema.PKG_SHA256));
            assertEquals(Files.size(debs.get("boundary")), pkg.getField(Schema.PKG_SIZE).numericValue().longValue());
            assertEquals(1_700_000_100L * 1_000_000_000L, pkg.getField(Schema.PKG_MTIME).numericValue().longValue());
            assertEquals(1, pkg.getField(Schema.PKG_ELF_FILES).numericValue().intValue());
            assertEquals("2.0", pkg.get(Schema.PKG_VERSION));
            assertEquals("", pkg.get(Schema.PKG_RELEASE));
        }

        IndexInfo info = IndexInfo.read(index);
        assertEquals(Map.of("all", 1L, "amd64", 2L), info.arches());
        assertEquals(Map.of("deb", 3L), info.formats());
        assertEquals(Map.of("test/main", 4L), info.labels());
        assertEquals(Map.of(A64, 1L, X64, 2L), info.scopes());
        assertEquals(String.valueOf(Schema.SCHEMA_VERSION), info.commitData().get(Schema.DATA_SCHEMA));
        assertTrue(info.commitData().get(Schema.DATA_RUN_SUMMARY).startsWith("added 3, skipped 0, replaced 0, removed 0, relabelled 0, moved 0, failed 1 (1 not a .deb or .rpm);"));
        assertEquals(List.of(new IndexInfo.Failure(bad.toString(), "not a .deb or .rpm (unknown magic)", "test/main")),
                IndexInfo.failures(index));
    }

    @Test
    void aGlibcLoaderProvidesRtldGnuHashInItsScopeOnly() throws Exception {
        // libmal renamed: a file whose soname provide starts with ld-linux is the scope's loader.
        byte[] mal = TestDebs.resource(TestDebs.LIBMAL);
        TestDebs.build(repo.resolve("ld_1_amd64.deb"), "ld", "1", "amd64",
                List.of(new TestDebs.Entry("/lib64/ld-linux-x86-64.so.2", ldSoname(mal), 0755)), 1_700_000_400L);
        run(opts(), repo);
        try (var d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            assertTrue(terms(reader, Schema.scoped(Schema.PROV, X64)).contains(Schema.RTLD_GNU_HASH));
            assertFalse(terms(reader, Schema.scoped(Schema.PROV, A64)).contains(Schema.RTLD_GNU_HASH));
            Document ld = only(new IndexSearcher(reader), Schema.FILE_PATH, "/lib64/ld-linux-x86-64.so.2");
            // The stored provides stay exactly elfdeps' answer.
            assertFalse(List.of(ld.getValues(Schema.FILE_PROVIDES)).contains(Schema.RTLD_GNU_HASH));
        }
    }

    /** libmal.so.1 with its DT_SONAME string patched to "ld-linux-x8" (same length, so nothing moves). */
    private static byte[] ldSoname(byte[] elf) {
        byte[] from = "libmal.so.1\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] to = "ld-linux.so\0".getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = elf.clone();
        outer:
        for (int i = 0; i + from.length <= b.length; i++) {
            for (int j = 0; j < from.length; j++) {
                if (b[i + j] != from[j]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, b, i, to.length);
        }
        return b;
    }

    // ---- incremental -------------------------------------------------------------------------------

    @Test
    void reRunAddsNothingAndLeavesTheIndexAsItWas() throws Exception {
        run(opts(), repo);
        List<String> before = IndexDump.documents(index);
        RunReport r = run(opts(), repo);
        assertEquals(0, r.added());
        assertEquals(3, r.skipped());
        assertEquals(0, r.replaced());
        assertEquals(0, r.bytesRead());
        assertEquals(before, IndexDump.documents(index));
    }

    @Test
    void changedPackageIsReplaced() throws Exception {
        run(opts(), repo);
        byte[] boundary = TestDebs.resource(TestDebs.BOUNDARY);
        // Same path, new content and mtime: version 1.0-2 now ships the library under another name.
        TestDebs.build(debs.get("libmal1"), "libmal1", "1.0-2", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/x86_64-linux-gnu/libother.so", boundary, 0755)), 1_700_001_000L);
        RunReport r = run(opts(), repo);
        assertEquals(0, r.added());
        assertEquals(2, r.skipped());
        assertEquals(1, r.replaced());
        try (var d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(reader);
            assertEquals("1.0-2", onlyPackage(s, "libmal1").get(Schema.PKG_EVR));
            assertEquals(0, s.count(new TermQuery(new Term(Schema.FILE_PATH, "/usr/lib/x86_64-linux-gnu/libmal.so.1"))));
            assertEquals(1, s.count(new TermQuery(new Term(Schema.FILE_PATH, "/usr/lib/x86_64-linux-gnu/libother.so"))));
            assertEquals(0, s.count(Schema.scopedExact(Schema.PROV, X64, "libmal.so.1()(64bit)")));
            assertEquals(3, s.count(Schema.kind(Schema.KIND_PACKAGE)));
        }
        // The same as indexing the new state from scratch.
        assertEquals(IndexDump.documents(index), dumpOfFreshRun(tmp.resolve("fresh")));
    }

    private List<String> dumpOfFreshRun(Path dir) throws Exception {
        new IndexRun(RunOptions.defaults(dir).withLabel("test/main").withJobs(1).withCommitEvery(100), RunListener.NONE)
                .run(List.of(repo));
        return IndexDump.documents(dir);
    }

    @Test
    void pruneDeletesPackagesGoneFromTheGivenPathsOnly() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        Path kept = TestDebs.build(other.resolve("kept_1_amd64.deb"), "kept", "1", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/libsymdexboundary.so", TestDebs.resource(TestDebs.BOUNDARY), 0755)),
                1_700_000_500L);
        run(opts(), repo, other);
        Files.delete(debs.get("boundary"));

        RunReport noPrune = run(opts(), repo);
        assertEquals(0, noPrune.removed());
        assertEquals(4, count(Schema.KIND_PACKAGE));

        // Only repo/ is given: other/kept stays although this walk did not see it.
        RunReport pruned = run(opts().withPrune(true), repo);
        assertEquals(1, pruned.removed());
        assertEquals(2, pruned.skipped(), pruned.toString());
        assertEquals(3, count(Schema.KIND_PACKAGE));
        assertEquals(3, count(Schema.KIND_FILE));
        assertTrue(IndexDump.documents(index).stream().anyMatch(doc -> doc.contains("pkg.file=" + kept)));
        assertFalse(IndexDump.documents(index).stream().anyMatch(doc -> doc.contains("pkg.name=boundary")));
    }

    @Test
    void pruneNeverPrunesUnderAPathThatIsMissing() throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        TestDebs.build(mirror.resolve("m_1_amd64.deb"), "m", "1", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/libsymdexboundary.so", TestDebs.resource(TestDebs.BOUNDARY), 0755)),
                1_700_000_600L);
        run(opts(), repo, mirror);
        TestDebs.deleteTree(mirror); // an unmounted mirror, not an emptied one
        RunReport r = run(opts().withPrune(true), repo, mirror);
        assertEquals(0, r.removed());
        assertEquals(List.of(new RunReport.Failure(mirror.toString(), "no such file or directory")), r.failed());
        assertEquals(4, count(Schema.KIND_PACKAGE));
    }

    @Test
    void aPackageGivenAnotherLabelIsRelabelledNotRead() throws Exception {
        run(opts(), repo);
        RunReport r = run(opts().withLabel("test/updates"), debs.get("boundary"));
        assertEquals(1, r.relabelled());
        assertEquals(0, r.replaced());
        assertEquals(0, r.bytesRead());
        assertEquals(Map.of("test/main", 2L, "test/updates", 1L), IndexInfo.read(index).labels());
    }

    @Test
    void failuresAreRecordedAndRetried() throws Exception {
        Path bad = garbage("later_1_amd64.deb");
        RunReport first = run(opts(), repo);
        assertEquals(1, first.failed().size());
        assertEquals(1, count(Schema.KIND_FAILURE));

        // Still broken: retried (read again), still recorded once.
        RunReport second = run(opts(), repo);
        assertEquals(3, second.skipped());
        assertEquals(1, second.failed().size());
        assertEquals(Files.size(bad), second.bytesRead());
        assertEquals(1, count(Schema.KIND_FAILURE));

        // Fixed, even with the same mtime: retried and indexed, the failure is gone.
        TestDebs.build(bad, "later", "1", "amd64",
                List.of(new TestDebs.Entry("/usr/lib/libsymdexboundary.so", TestDebs.resource(TestDebs.BOUNDARY), 0755)),
                1_700_000_300L);
        RunReport third = run(opts(), repo);
        assertEquals(1, third.added());
        assertEquals(0, third.failed().size());
        assertEquals(0, count(Schema.KIND_FAILURE));
        assertEquals(4, count(Schema.KIND_PACKAGE));
        assertEquals(List.of(), IndexInfo.failures(index));
    }

    @Test
    void aPackageThatBreaksIsRecordedInPlaceOfItsOldDocuments() throws Exception {
        run(opts(), repo);
        Path p = debs.get("boundary");
        Files.writeString(p, "!<arch>\ndebian-binary   truncated", StandardCharsets.ISO_8859_1);
        RunReport r = run(opts(), repo);
        assertEquals(1, r.failed().size());
        assertEquals(2, count(Schema.KIND_PACKAGE));
        assertEquals(1, count(Schema.KIND_FAILURE));
        assertEquals(2, count(Schema.KIND_FILE));
    }

    // ---- crash safety ------------------------------------------------------------------------------

    @Test
    void aKilledRunResumedGivesTheSameIndexAsAnUninterruptedOne() throws Exception {
        addMorePackages(5);
        List<String> uninterrupted = dumpOfFreshRun(tmp.resolve("uninterrupted"));
        assertEquals(16, uninterrupted.size()); // 8 packages, 8 ELF files

        // One job, a commit after every package, killed right after the 3rd commit: exactly 3 packages.
        RunOptions o = opts().withJobs(1).withCommitEvery(1);
        IndexException e = assertThrows(IndexRun.InjectedCrash.class, () -> run(o.withCrashAfterCommits(3), repo));
        assertEquals("fault injected: run stopped after commit 3", e.getMessage());
        assertEquals(3, count(Schema.KIND_PACKAGE));
        assertEquals(3, count(Schema.KIND_FILE));
        assertEquals(null, IndexInfo.read(index).commitData().get(Schema.DATA_RUN_FINISHED));

        RunReport resumed = run(o, repo);
        assertEquals(5, resumed.added());
        assertEquals(3, resumed.skipped());
        assertEquals(uninterrupted, IndexDump.documents(index));
    }

    @Test
    void aKilledParallelRunResumedGivesTheSameIndexToo() throws Exception {
        addMorePackages(9);
        List<String> uninterrupted = dumpOfFreshRun(tmp.resolve("uninterrupted"));
        RunOptions o = opts().withJobs(2).withCommitEvery(2);
        assertThrows(IndexRun.InjectedCrash.class, () -> run(o.withCrashAfterCommits(2), repo));
        long committed = count(Schema.KIND_PACKAGE);
        assertTrue(committed >= 4 && committed < 12, "committed " + committed);
        RunReport resumed = run(o, repo);
        assertEquals(12 - committed, resumed.added());
        assertEquals(uninterrupted, IndexDump.documents(index));
    }

    private void addMorePackages(int n) throws Exception {
        byte[] boundary = TestDebs.resource(TestDebs.BOUNDARY);
        for (int i = 0; i < n; i++) {
            TestDebs.build(repo.resolve("extra" + i + "_1_amd64.deb"), "extra" + i, "1", "amd64",
                    List.of(new TestDebs.Entry("/usr/lib/extra" + i + "/libsymdexboundary.so", boundary, 0755)),
                    1_700_002_000L + i);
        }
    }

    // ---- versions ----------------------------------------------------------------------------------

    @Test
    void anIndexOfAnotherVersionIsRefusedUnlessRebuilt() throws Exception {
        run(opts(), repo);
        List<String> good = IndexDump.documents(index);
        restamp(Schema.DATA_EXTRACTOR, "0");
        IndexException e = assertThrows(IndexException.class, () -> run(opts(), repo));
        assertEquals(index + ": index built with schema " + Schema.SCHEMA_VERSION + ", extractor 0; "
                + "this symdex reads and writes schema " + Schema.SCHEMA_VERSION + ", extractor "
                + Schema.EXTRACTOR_VERSION + ": rebuild it with symdex index --rebuild", e.getMessage());

        RunReport rebuilt = run(opts().withRebuild(true), repo);
        assertEquals(3, rebuilt.added());
        assertEquals(0, rebuilt.skipped());
        assertEquals(good, IndexDump.documents(index));
        assertEquals(String.valueOf(Schema.EXTRACTOR_VERSION), IndexInfo.read(index).commitData().get(Schema.DATA_EXTRACTOR));
    }

    @Test
    void anIndexWithoutSymbolsIsNotMixedWithOneWith() throws Exception {
        RunReport r = run(opts().withSymbols(false), repo);
        assertEquals(3, r.added());
        try (var d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            assertTrue(Schema.scopedFields(reader, Schema.SYM_DEF).isEmpty());
            assertEquals(List.of(Schema.scoped(Schema.PROV, A64), Schema.scoped(Schema.PROV, X64)),
                    Schema.scopedFields(reader, Schema.PROV));
        }
        IndexException e = assertThrows(IndexException.class, () -> run(opts(), repo));
        assertTrue(e.getMessage().contains("built without symbols"), e.getMessage());
    }

    private void restamp(String key, String value) throws IOException {
        try (var d = FSDirectory.open(index)) {
            Map<String, String> data;
            try (DirectoryReader r = DirectoryReader.open(d)) {
                data = new TreeMap<>(r.getIndexCommit().getUserData());
            }
            data.put(key, value);
            try (IndexWriter w = new IndexWriter(d, new IndexWriterConfig())) {
                w.setLiveCommitData(data.entrySet());
                w.commit();
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private long count(String kind) throws IOException {
        try (var d = FSDirectory.open(index); DirectoryReader reader = DirectoryReader.open(d)) {
            return new IndexSearcher(reader).count(Schema.kind(kind));
        }
    }

    static List<String> terms(DirectoryReader reader, String field) throws IOException {
        List<String> out = new ArrayList<>();
        Terms t = MultiTerms.getTerms(reader, field);
        if (t == null) {
            return out;
        }
        TermsEnum te = t.iterator();
        for (BytesRef b = te.next(); b != null; b = te.next()) {
            out.add(b.utf8ToString());
        }
        return out;
    }

    private static Document only(IndexSearcher s, String field, String value) throws IOException {
        var hits = s.search(new TermQuery(new Term(field, value)), 2).scoreDocs;
        assertEquals(1, hits.length, field + "=" + value);
        return s.storedFields().document(hits[0].doc);
    }

    private static Document onlyPackage(IndexSearcher s, String name) throws IOException {
        var q = new BooleanQuery.Builder()
                .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(Schema.PKG_NAME, name)), BooleanClause.Occur.FILTER).build();
        ScoreDoc[] hits = s.search(q, 2).scoreDocs;
        assertEquals(1, hits.length, name);
        return s.storedFields().document(hits[0].doc);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
