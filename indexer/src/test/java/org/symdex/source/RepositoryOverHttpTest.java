package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole repositories over HTTP from a server on 127.0.0.1: Debian's Acquire-By-Hash (the Packages
 * file read under by-hash/SHA256/, as apt reads it, so that a mirror caught mid-update still serves
 * the file its Release lists), an rpm-md repository made by createrepo_c, and mirror skew decided on
 * real Release dates and repomd revisions.
 */
class RepositoryOverHttpTest {
    private static final String PACKAGES_XZ = "dists/bookworm/main/binary-amd64/Packages.xz";

    @TempDir
    Path repo;

    private static SourceSpec deb(TestHttpServer s, String options) throws SourceException {
        return SourceParser.parseLine("deb [arch=amd64" + options + "] " + s.uri("") + " bookworm main",
                SourceDefaults.of("amd64")).specs().get(0);
    }

    @Test
    void byHashIsReadWhenTheReleaseSaysSoAndTheNamedFileWhenItIsMissing() throws Exception {
        TestRepos.debianArchive(repo, "Acquire-By-Hash=yes");
        Path xz = repo.resolve(PACKAGES_XZ);
        String sha = TestRepos.sha256(xz);
        // As the archive software publishes it: the same bytes under their hash, beside the name.
        Path byHash = repo.resolve("dists/bookworm/main/binary-amd64/by-hash/SHA256/" + sha);
        Files.createDirectories(byHash.getParent());
        Files.copy(xz, byHash);
        // The mirror is mid-update: the named file is already tomorrow's, which this Release does not list.
        byte[] today = Files.readAllBytes(xz);
        Files.write(xz, new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0, 0, 0, 0, 0, 0});
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            SourceReader reader = new SourceReader(Fetchers.standard(HttpFetcherTest.fast()), SourceFilter.none());
            assertEquals(7, reader.read(deb(s, "")).packages().size());
            assertEquals(1, s.requests("dists/bookworm/main/binary-amd64/by-hash/SHA256/" + sha).size());
            assertEquals(0, s.requests(PACKAGES_XZ).size(), "the named file is not read");

            // by-hash=no: the named file, which is now not the one listed.
            SourceException e = org.junit.jupiter.api.Assertions.assertThrows(SourceException.class,
                    () -> reader.read(deb(s, " by-hash=no")));
            assertTrue(e.getMessage().startsWith(s.uri(PACKAGES_XZ) + ": "), e.getMessage());

            // No by-hash file (a mirror that copies the Release but not by-hash/): the named file, as apt falls back.
            Files.delete(byHash);
            Files.write(xz, today);
            assertEquals(7, reader.read(deb(s, "")).packages().size());
            assertEquals(2, s.requests(PACKAGES_XZ).size(), "by-hash=no's read, then the fallback");
        }
    }

    @Test
    void anRpmMdRepositoryOverHttpListsAndVerifiesEveryPackage() throws Exception {
        TestRepos.assumeTool("createrepo_c");
        for (String n : List.of("gzip", "xz", "zstd", "none")) {
            TestRepos.copyInto(repo.resolve("Packages"), TestRepos.fixture("rpm/symdex-fixture-" + n + "-1.2.3-1.x86_64.rpm"));
        }
        TestRepos.run(repo, "createrepo_c", "-q", "--revision", "1764650000", ".");
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            Fetcher http = Fetchers.standard(HttpFetcherTest.fast());
            SourceSpec spec = SourceParser.parseLine("rpm-md [id=fixtures arch=x86_64] " + s.uri(""),
                    SourceDefaults.of("amd64")).specs().get(0);
            SourceReader reader = new SourceReader(http, SourceFilter.none());
            SourceHead h = reader.open(spec);
            assertEquals(Optional.of("1764650000"), h.releaseDate());
            assertTrue(h.notes().contains(s.uri("repodata/repomd.xml") + ": metadata not signature-checked (no signed-by=)"));
            List<ListedPackage> ps = reader.list(h).packages();
            assertEquals(4, ps.size());
            for (ListedPackage p : ps) {
                try (VerifyingInputStream in = VerifyingInputStream.open(http, p)) {
                    assertEquals(TestRepos.sha256(repo.resolve(p.path())), in.verify().sha256());
                }
            }
            assertEquals(Optional.of(spec.line() + ": Release of 1764650000 is older than the indexed 1764660000; skipped"),
                    MirrorSkew.check(h, Optional.of("1764660000"), false));
            assertEquals(Optional.empty(), MirrorSkew.check(h, Optional.of("1764640000"), false));
        }
    }

    @Test
    void aMirrorServingAnOlderReleaseThanTheIndexedOneIsSkipped() throws Exception {
        TestRepos.debianArchive(repo, "Date=Sat, 11 Jul 2026 10:16:37 UTC");
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            SourceSpec spec = deb(s, "");
            SourceHead h = new SourceReader(Fetchers.standard(HttpFetcherTest.fast()), SourceFilter.none()).open(spec);
            String date = h.releaseDate().orElseThrow();
            assertEquals("Sat, 11 Jul 2026 10:16:37 UTC", date);
            // Last night's run indexed a Release of an hour later, from a mirror further along.
            Optional<String> skip = MirrorSkew.check(h, Optional.of("Sat, 11 Jul 2026 11:16:37 +0000"), false);
            assertEquals(Optional.of("deb [arch=amd64] " + s.uri("") + " bookworm main: Release of Sat, 11 Jul 2026 "
                    + "10:16:37 UTC is older than the indexed Sat, 11 Jul 2026 11:16:37 +0000; skipped"), skip);
            assertEquals(Optional.empty(), MirrorSkew.check(h, Optional.of("Sat, 11 Jul 2026 11:16:37 +0000"), true),
                    "--allow-older takes it");
            assertEquals(Optional.empty(), MirrorSkew.check(h, Optional.of(date), false), "the same Release is read");
            assertEquals(Optional.empty(), MirrorSkew.check(h, Optional.of("Fri, 10 Jul 2026 10:16:37 UTC"), false));
            assertEquals(Optional.empty(), MirrorSkew.check(h, Optional.empty(), false), "first run");
            assertEquals(Optional.empty(), MirrorSkew.check(h, Optional.of("yesterday"), false), "cannot compare");
        }
    }
}
