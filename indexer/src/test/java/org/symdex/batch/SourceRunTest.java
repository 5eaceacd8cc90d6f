package org.symdex.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;
import org.symdex.index.SourceRecord;
import org.symdex.source.SourceDefaults;
import org.symdex.source.SourceFilter;
import org.symdex.source.SourceParser;
import org.symdex.source.SourceSpec;
import org.symdex.source.FileFetcher;
import org.symdex.source.TestRepos;

/**
 * The index run over sources (repository issue, items 3, 5, 6 and 9), on real repositories that
 * apt-ftparchive and createrepo_c build from the fixture packages: one pool read once for two suites,
 * labels per source, unchanged sources skipped whole, verification failures, prune by listing.
 */
class SourceRunTest {
    @TempDir
    Path tmp;
    Path repo;
    Path index;
    final List<String> sourceFailures = new ArrayList<>();
    final List<String> packageFailures = new ArrayList<>();

    @BeforeEach
    void repo() throws Exception {
        TestRepos.assumeTool("apt-ftparchive");
        repo = tmp.resolve("debian");
        index = tmp.resolve("idx");
        Path pool = repo.resolve("pool/main");
        Files.createDirectories(pool);
        try (var s = Files.list(TestRepos.fixture("scenarios/base/deb"))) {
            for (Path p : s.toList()) {
                Files.copy(p, pool.resolve(p.getFileName()));
            }
        }
        suite("bookworm", null);
        suite("trixie", null);
    }

    /** dists/SUITE/main/binary-amd64/Packages.xz and a Release, leaving out packages named in {@code without}. */
    private void suite(String suite, String without) throws Exception {
        Path dir = repo.resolve("dists/" + suite + "/main/binary-amd64");
        Files.createDirectories(dir);
        Path packages = dir.resolve("Packages");
        TestRepos.packages(repo, packages, "amd64", "pool/main");
        if (without != null) {
            List<String> kept = new ArrayList<>();
            for (String stanza : Files.readString(packages).split("\n\n")) {
                if (!stanza.contains("Package: " + without + "\n")) {
                    kept.add(stanza);
                }
            }
            Files.writeString(packages, String.join("\n\n", kept) + "\n");
        }
        Files.deleteIfExists(dir.resolve("Packages.xz"));
        TestRepos.compress(packages, "xz");
        Files.delete(packages);
        TestRepos.release(repo, "dists/" + suite, "Origin=Debian", "Codename=" + suite, "Suite=" + suite,
                "Architectures=amd64", "Components=main");
    }

    private SourceSpec deb(String suite) throws Exception {
        return SourceParser.parseLine("deb [arch=amd64] " + TestRepos.uri(repo) + " " + suite + " main",
                SourceDefaults.of("amd64")).specs().get(0);
    }

    private RunReport run(boolean prune, SourceSpec... specs) throws Exception {
        return run(RunOptions.defaults(index).withJobs(2).withPrune(prune)
                .withSources(List.of(specs), SourceFilter.none(), new FileFetcher()));
    }

    private RunReport run(RunOptions o) throws Exception {
        return new IndexRun(o, new RunListener() {
            @Override
            public void sourceFailed(String line) {
                sourceFailures.add(line);
            }

            @Override
            public void packageFailed(String packageFile, String message) {
                packageFailures.add(packageFile + ": " + message);
            }
        }).run(List.of());
    }

    /** name → labels, over the package documents. */
    private Map<String, List<String>> labels() throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (Document d : packageDocs()) {
            out.put(d.get(Schema.PKG_NAME), List.of(d.getValues(Schema.PKG_LABEL)));
        }
        return out;
    }

    private List<Document> packageDocs() throws Exception {
        List<Document> out = new ArrayList<>();
        try (IndexSnapshot s = IndexSnapshot.open(index)) {
            IndexSearcher searcher = new IndexSearcher(s.reader());
            for (ScoreDoc sd : searcher.search(Schema.kind(Schema.KIND_PACKAGE), 1000).scoreDocs) {
                out.add(searcher.storedFields().document(sd.doc));
            }
        }
        return out;
    }

    private List<SourceRecord> records() throws Exception {
        try (IndexSnapshot s = IndexSnapshot.open(index)) {
            return SourceRecord.fromJson(s.commitData().get(Schema.DATA_SOURCES));
        }
    }

    @Test
    void aSecondSuiteOverTheSamePoolReadsNothingAndAddsItsLabel() throws Exception {
        RunReport first = run(false, deb("bookworm"));
        assertEquals(7, first.added(), first.summary());
        assertEquals(List.of("Debian/bookworm/main/amd64"), labels().get("libfoo1"));
        RunReport second = run(false, deb("bookworm"), deb("trixie"));
        assertEquals(0, second.added() + second.replaced() + second.failed().size(), second.summary());
        assertEquals(0, second.bytesRead(), "adding a second suite over the same pool reads zero packages");
        assertEquals(7, second.relabelled(), second.summary());
        assertEquals("unchanged", second.sources().get(0).status());
        assertEquals(7, second.sources().get(1).relabelled());
        assertEquals(List.of("Debian/bookworm/main/amd64", "Debian/trixie/main/amd64"), labels().get("libfoo1"));
        assertEquals(7, packageDocs().size(), "one pool: each package stored once");
        Document foo = packageDocs().stream().filter(d -> d.get(Schema.PKG_NAME).equals("libfoo1")).findFirst().orElseThrow();
        String uri = TestRepos.uri(repo) + "pool/main/libfoo1_1.0-1_amd64.deb";
        assertEquals(uri, foo.get(Schema.PKG_FILE));
        assertEquals(List.of(uri), List.of(foo.getValues(Schema.PKG_LOCATION)));
        assertEquals(TestRepos.sha256(repo.resolve("pool/main/libfoo1_1.0-1_amd64.deb")), foo.get(Schema.PKG_SHA256));
        List<SourceRecord> recs = records();
        assertEquals(2, recs.size());
        assertTrue(recs.stream().allMatch(SourceRecord::ok), recs.toString());
        assertEquals(List.of("Debian/trixie/main/amd64"), recs.get(1).labels());
    }

    @Test
    void anUnchangedSourceIsSkippedWithoutReadingItsPackageList() throws Exception {
        run(false, deb("bookworm"));
        // Unreadable now; an unchanged Release pins it, so an unchanged source never opens it.
        Path packages = repo.resolve("dists/bookworm/main/binary-amd64/Packages.xz");
        Files.write(packages, new byte[] {1, 2, 3});
        RunReport again = run(false, deb("bookworm"));
        assertEquals("unchanged", again.sources().get(0).status(), again.sources().toString());
        assertEquals(0, again.skipped() + again.added(), "no package even looked at: " + again.summary());
        assertTrue(sourceFailures.isEmpty(), sourceFailures.toString());
    }

    @Test
    void aPackageWhoseBytesDisagreeIsNeverIndexedAndIsRetried() throws Exception {
        Path foo = repo.resolve("pool/main/libfoo1_1.0-1_amd64.deb");
        byte[] good = Files.readAllBytes(foo);
        byte[] bad = good.clone();
        bad[bad.length - 20] ^= 0x55; // same size, other bytes
        Files.write(foo, bad);
        RunReport r = run(false, deb("bookworm"));
        assertEquals(6, r.added());
        assertEquals(1, r.failed().size());
        assertTrue(r.failed().get(0).message().startsWith("SHA256 mismatch (expected "), r.failed().toString());
        assertEquals(Map.of("SHA256 mismatch", 1), r.failureKinds());
        assertTrue(r.summary().contains("failed 1 (1 SHA256 mismatch)"), r.summary());
        assertFalse(labels().containsKey("libfoo1"), "never indexed");
        assertEquals("1 package failure", records().get(0).status());
        // The mirror heals: the source is not skipped (it has a failure), and the package is read.
        Files.write(foo, good);
        RunReport healed = run(false, deb("bookworm"));
        assertEquals(1, healed.added(), healed.summary());
        assertTrue(healed.failed().isEmpty());
        assertTrue(labels().containsKey("libfoo1"));
        assertTrue(records().get(0).ok());
    }

    @Test
    void aShortPackageIsAShortRead() throws Exception {
        Path foo = repo.resolve("pool/main/libfoo1_1.0-1_amd64.deb");
        byte[] good = Files.readAllBytes(foo);
        Files.write(foo, java.util.Arrays.copyOf(good, good.length - 100));
        RunReport r = run(false, deb("bookworm"));
        assertEquals(1, r.failed().size());
        assertTrue(r.failed().get(0).message().startsWith("short read"), r.failed().toString());
        assertEquals(r.failed().get(0).packageFile(), TestRepos.uri(repo) + "pool/main/libfoo1_1.0-1_amd64.deb");
    }

    @Test
    void aSourceThatCannotBeReadLosesNothingAndPrunesNothing() throws Exception {
        run(false, deb("bookworm"), deb("trixie"));
        // A new trixie Release whose Packages then changes under it: the source fails, whole.
        suite("trixie", "barapp");
        Path packages = repo.resolve("dists/trixie/main/binary-amd64/Packages.xz");
        byte[] b = Files.readAllBytes(packages);
        b[b.length / 2] ^= 1;
        Files.write(packages, b);
        suite("bookworm", "fooapp"); // and bookworm drops fooapp
        RunReport r = run(true, deb("bookworm"), deb("trixie"));
        assertEquals(1, r.sourceFailures().size(), r.sourceFailures().toString());
        assertTrue(r.sourceFailures().get(0).contains("Packages.xz"), r.sourceFailures().toString());
        assertEquals(r.sourceFailures(), sourceFailures);
        // fooapp is still listed by trixie as last read: it keeps that label and is not pruned.
        assertEquals(List.of("Debian/trixie/main/amd64"), labels().get("fooapp"));
        assertEquals(0, r.removed());
        assertTrue(records().get(1).status().startsWith("failed: "), records().toString());
        // Next run, trixie readable again (its old Release and Packages back): it is read, not skipped.
        suite("trixie", null);
        RunReport healed = run(true, deb("bookworm"), deb("trixie"));
        assertTrue(healed.sourceFailures().isEmpty());
        assertEquals("ok", healed.sources().get(1).status(), healed.sources().toString());
    }

    @Test
    void pruneRemovesAPackageNoSourceListsAndKeepsOneAnotherStillDoes() throws Exception {
        run(false, deb("bookworm"), deb("trixie"));
        suite("trixie", "fooapp");
        RunReport r = run(true, deb("bookworm"), deb("trixie"));
        assertEquals(0, r.removed(), "bookworm still lists it");
        assertEquals(List.of("Debian/bookworm/main/amd64"), labels().get("fooapp"));
        assertEquals(1, r.sources().get(1).relabelled() + (r.relabelled() - r.sources().get(1).relabelled()), r.summary());
        suite("bookworm", "fooapp");
        RunReport gone = run(true, deb("bookworm"), deb("trixie"));
        assertEquals(1, gone.removed(), gone.summary());
        assertFalse(labels().containsKey("fooapp"));
        assertEquals(6, labels().size());
    }

    @Test
    void withoutPruneAPackageNoSourceListsIsKeptWithNoLabel() throws Exception {
        run(false, deb("bookworm"));
        suite("bookworm", "fooapp");
        RunReport r = run(false, deb("bookworm"));
        assertEquals(0, r.removed());
        assertEquals(List.of(), labels().get("fooapp"));
        // --prune later removes it, whatever source is given (a package with no label is no one's).
        RunReport p = run(true, deb("bookworm"));
        assertEquals("unchanged", p.sources().get(0).status());
        assertEquals(0, p.removed(), "an unchanged source decides nothing: " + p.summary());
    }

    @Test
    void maxPruneAppliesPerSource() throws Exception {
        run(false, deb("bookworm"));
        // An emptied Packages: bookworm would lose all 7.
        Path dir = repo.resolve("dists/bookworm/main/binary-amd64");
        Files.delete(dir.resolve("Packages.xz"));
        Files.writeString(dir.resolve("Packages"), "");
        TestRepos.compress(dir.resolve("Packages"), "xz");
        Files.delete(dir.resolve("Packages"));
        TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Codename=bookworm", "Suite=bookworm",
                "Architectures=amd64", "Components=main");
        RunReport r = run(true, deb("bookworm"));
        assertEquals(0, r.removed(), r.summary());
        assertEquals(1, r.pruneRefusals().size(), r.pruneRefusals().toString());
        assertTrue(r.pruneRefusals().get(0).contains("--prune would remove 7 of its 7 indexed packages"),
                r.pruneRefusals().get(0));
        assertEquals(List.of("Debian/bookworm/main/amd64"), labels().get("fooapp"), "kept as it was");
        assertEquals("prune refused", records().get(0).status());
    }

    @Test
    void aWalkedCopyOfTheSameBytesIsNotReadAgain() throws Exception {
        RunOptions walk = RunOptions.defaults(index).withJobs(1).withLabel("local");
        new IndexRun(walk, RunListener.NONE).run(List.of(repo.resolve("pool/main/libfoo1_1.0-1_amd64.deb")));
        RunReport r = run(false, deb("bookworm"));
        assertEquals(6, r.added(), r.summary());
        assertEquals(1, r.relabelled(), "copied from the walked package's stored fields: " + r.summary());
        List<Document> foos = packageDocs().stream().filter(d -> d.get(Schema.PKG_NAME).equals("libfoo1")).toList();
        assertEquals(2, foos.size(), "the walked one stays, the listed one is its own");
        assertEquals(List.of(List.of("local"), List.of("Debian/bookworm/main/amd64")),
                foos.stream().sorted(java.util.Comparator.comparing(d -> d.getValues(Schema.PKG_LOCATION).length))
                        .map(d -> List.of(d.getValues(Schema.PKG_LABEL))).toList());
        assertEquals(foos.get(0).get(Schema.PKG_SHA256), foos.get(1).get(Schema.PKG_SHA256));
        String uri = TestRepos.uri(repo) + "pool/main/libfoo1_1.0-1_amd64.deb";
        assertTrue(foos.stream().anyMatch(d -> List.of(d.getValues(Schema.PKG_LOCATION)).equals(List.of(uri))),
                "the copy carries its location");
    }

    @Test
    void rpmMdSourcesFromCreaterepo() throws Exception {
        TestRepos.assumeTool("createrepo_c");
        Path rpms = tmp.resolve("fedora");
        Files.createDirectories(rpms.resolve("Packages"));
        try (var s = Files.list(TestRepos.fixture("scenarios/base/rpm"))) {
            for (Path p : s.toList()) {
                Files.copy(p, rpms.resolve("Packages").resolve(p.getFileName()));
            }
        }
        TestRepos.run(rpms, "createrepo_c", "-q", "--checksum", "sha1", ".");
        SourceSpec spec = SourceParser.parseLine("rpm-md [id=fedora arch=x86_64] " + TestRepos.uri(rpms),
                SourceDefaults.of("amd64")).specs().get(0);
        RunReport r = run(false, spec);
        assertEquals(7, r.added(), r.summary() + packageFailures + sourceFailures + r.sources());
        assertEquals(List.of("fedora/x86_64"), labels().get("libfoo1"));
        Document foo = packageDocs().stream().filter(d -> d.get(Schema.PKG_NAME).equals("libfoo1")).findFirst().orElseThrow();
        assertTrue(foo.get(Schema.PKG_CHECKSUM).startsWith("sha1:"), foo.get(Schema.PKG_CHECKSUM));
        assertEquals(TestRepos.sha256(rpms.resolve("Packages/libfoo1-1.0-1.x86_64.rpm")), foo.get(Schema.PKG_SHA256));
        // New metadata (one more package): the source is listed again, the others skipped on their sha1.
        try (var s = Files.list(TestRepos.fixture("scenarios/dpdk-kept-old/rpm"))) {
            Path extra = s.sorted().findFirst().orElseThrow();
            Files.copy(extra, rpms.resolve("Packages").resolve("extra-" + extra.getFileName()));
        }
        TestRepos.run(rpms, "createrepo_c", "-q", "--checksum", "sha1", ".");
        RunReport again = run(false, spec);
        assertEquals(1, again.added(), again.summary());
        assertEquals(7, again.skipped(), again.summary());
    }

    @Test
    void aPackageListedAtTwoLocationsIsReadOnceAndKeepsBoth() throws Exception {
        List<SourceSpec> flats = new ArrayList<>();
        for (String name : List.of("mirror-b", "mirror-a")) {
            Path flat = tmp.resolve(name);
            Files.createDirectories(flat);
            Files.copy(repo.resolve("pool/main/libfoo1_1.0-1_amd64.deb"), flat.resolve("libfoo1_1.0-1_amd64.deb"));
            TestRepos.packages(flat, flat.resolve("Packages"), null, ".");
            TestRepos.release(flat, ".", "Origin=" + name, "Suite=flat");
            flats.add(SourceParser.parseLine("deb " + TestRepos.uri(flat) + " ./", SourceDefaults.of("amd64")).specs().get(0));
        }
        RunReport r = run(false, flats.toArray(new SourceSpec[0]));
        assertEquals(1, r.added(), r.summary());
        Document foo = packageDocs().get(0);
        String a = TestRepos.uri(tmp.resolve("mirror-a")) + "libfoo1_1.0-1_amd64.deb";
        String b = TestRepos.uri(tmp.resolve("mirror-b")) + "libfoo1_1.0-1_amd64.deb";
        assertEquals(a, foo.get(Schema.PKG_FILE), "the first location, bytewise");
        assertEquals(List.of(a, b), List.of(foo.getValues(Schema.PKG_LOCATION)));
        assertEquals(List.of("mirror-a/flat/-/amd64", "mirror-b/flat/-/amd64"), List.of(foo.getValues(Schema.PKG_LABEL)));
        // mirror-a drops it: the package stays, known at mirror-b only, under its new first location.
        Files.writeString(tmp.resolve("mirror-a/Packages"), "");
        TestRepos.release(tmp.resolve("mirror-a"), ".", "Origin=mirror-a", "Suite=flat");
        RunReport moved = run(true, flats.toArray(new SourceSpec[0]));
        assertEquals(0, moved.added() + moved.removed(), moved.summary());
        List<Document> docs = packageDocs();
        assertEquals(1, docs.size());
        assertEquals(b, docs.get(0).get(Schema.PKG_FILE));
        assertEquals(List.of(b), List.of(docs.get(0).getValues(Schema.PKG_LOCATION)));
        assertEquals(List.of("mirror-b/flat/-/amd64"), List.of(docs.get(0).getValues(Schema.PKG_LABEL)));
    }

    @Test
    void aMirrorWhoseReleaseIsOlderThanTheIndexedOneIsSkippedAndPrunesNothing() throws Exception {
        TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Codename=bookworm", "Suite=bookworm",
                "Architectures=amd64", "Components=main", "Date=Tue, 01 Dec 2026 00:00:00 UTC");
        run(false, deb("bookworm"));
        suite("bookworm", "fooapp"); // a lagging mirror: fooapp not there yet, and an older Release
        TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Codename=bookworm", "Suite=bookworm",
                "Architectures=amd64", "Components=main", "Date=Mon, 30 Nov 2026 00:00:00 UTC");
        List<String> warnings = new ArrayList<>();
        RunOptions o = RunOptions.defaults(index).withJobs(2).withPrune(true)
                .withSources(List.of(deb("bookworm")), SourceFilter.none(), new FileFetcher());
        RunReport r = new IndexRun(o, new RunListener() {
            @Override
            public void warning(String line) {
                warnings.add(line);
            }
        }).run(List.of());
        assertEquals(0, r.removed(), r.summary());
        assertEquals("older", r.sources().get(0).status());
        assertEquals(List.of(deb("bookworm").line() + ": Release of Mon, 30 Nov 2026 00:00:00 UTC is older than the "
                + "indexed Tue, 01 Dec 2026 00:00:00 UTC; skipped"), warnings);
        assertEquals(List.of("Debian/bookworm/main/amd64"), labels().get("fooapp"));
        assertEquals("Tue, 01 Dec 2026 00:00:00 UTC", records().get(0).date(), "the indexed date stays");
        RunReport taken = run(o.withAllowOlder(true));
        assertEquals(1, taken.removed(), "--allow-older takes it: " + taken.summary());
    }

    @Test
    void aSourceOverHttpIsIndexedAsTheSameSourceOverFile() throws Exception {
        try (org.symdex.source.TestHttpServer server = org.symdex.source.TestHttpServer.http(repo)) {
            SourceSpec http = SourceParser.parseLine("deb [arch=amd64] " + server.uri("/") + " bookworm main",
                    SourceDefaults.of("amd64")).specs().get(0);
            java.util.concurrent.atomic.LongAdder bytes = new java.util.concurrent.atomic.LongAdder();
            org.symdex.source.Fetcher fetcher = org.symdex.source.Fetchers.standard(
                    org.symdex.source.HttpSettings.defaults(Map.of()).withListener(bytes::add));
            RunReport r = run(RunOptions.defaults(index).withJobs(2)
                    .withSources(List.of(http), SourceFilter.none(), fetcher));
            assertEquals(7, r.added(), r.summary() + sourceFailures + packageFailures);
            assertEquals(List.of("Debian/bookworm/main/amd64"), labels().get("libfoo1"));
            assertTrue(packageDocs().get(0).get(Schema.PKG_FILE).startsWith("http://127.0.0.1:"), packageDocs().get(0).get(Schema.PKG_FILE));
            assertTrue(bytes.sum() >= r.bytesRead(), bytes.sum() + " downloaded, " + r.bytesRead() + " read");
            // The same pool over file: is the same packages: nothing read, one more label-less location.
            RunReport viaFile = run(false, deb("bookworm"));
            assertEquals(0, viaFile.added(), viaFile.summary());
        }
    }
}
