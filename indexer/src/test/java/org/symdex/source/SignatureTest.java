package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signed-by=} checked with the real gpgv against keys the test makes: InRelease, Release with
 * Release.gpg, rpm-md's repomd.xml.asc; a bad signature with an unsigned Release beside it (refused,
 * and the Release never asked for); a key not in the keyring; an expired Valid-Until; the forms of
 * signed-by symdex refuses. Over HTTP from a server on 127.0.0.1 and over file:, which are checked
 * alike.
 */
class SignatureTest {
    private static final String ARCHIVE = "archive@symdex.invalid";
    private static final String OTHER = "someone-else@symdex.invalid";

    @TempDir
    static Path keys;

    @TempDir
    Path repo;

    private static TestGpg gpg;
    private static Path keyring;
    private static Path armored;

    @BeforeAll
    static void makeKeys() throws Exception {
        gpg = TestGpg.create(keys, "symdex test archive <" + ARCHIVE + ">", "someone else <" + OTHER + ">");
        keyring = gpg.exportBinary(ARCHIVE, keys.resolve("archive.gpg"));
        armored = gpg.exportArmored(ARCHIVE, keys.resolve("archive.asc"));
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (gpg != null) {
            gpg.close();
        }
    }

    private SourceHead open(String options, Fetcher fetcher, String root) throws SourceException {
        String line = "deb [arch=amd64" + (options.isEmpty() ? "" : " " + options) + "] " + root + " bookworm main";
        SourceSpec spec = SourceParser.parseLine(line, SourceDefaults.of("amd64")).specs().get(0);
        return new SourceReader(fetcher, SourceFilter.none()).open(spec);
    }

    @Test
    void aSignedInReleaseVerifiesWithABinaryOrAnArmoredKeyring() throws Exception {
        Path release = TestRepos.debianArchive(repo);
        gpg.clearSign(ARCHIVE, release);
        Files.delete(release);
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            Fetcher http = Fetchers.standard(HttpFetcherTest.fast());
            SourceHead h = open("signed-by=" + keyring, http, s.uri("").toString());
            assertTrue(h.metadataUri().toString().endsWith("/InRelease"));
            assertFalse(h.notes().stream().anyMatch(n -> n.contains("signature")), "signed: no note");
            assertEquals(7, new SourceReader(http, SourceFilter.none()).list(h).packages().size());
            SourceHead unsigned = open("", http, s.uri("").toString());
            assertTrue(unsigned.notes().contains(s.uri("dists/bookworm/InRelease")
                    + ": metadata not signature-checked (no signed-by=)"), unsigned.notes().toString());
        }
        // file: is checked alike; an armored keyring is dearmored for gpgv.
        SourceHead viaFile = open("signed-by=" + armored, new FileFetcher(), repo.toUri().toString());
        assertFalse(viaFile.notes().stream().anyMatch(n -> n.contains("signature")));
    }

    @Test
    void aBadSignatureRefusesTheSourceAndTheUnsignedReleaseBesideItIsNeverRead() throws Exception {
        Path release = TestRepos.debianArchive(repo);
        Path in = gpg.clearSign(ARCHIVE, release);
        // One byte of the signed text changed after signing: the Release beside it stays, unsigned.
        String text = Files.readString(in, StandardCharsets.UTF_8);
        Files.writeString(in, text.replace("Origin: Debian", "Origin: Debiam"), StandardCharsets.UTF_8);
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            SourceException e = assertThrows(SourceException.class,
                    () -> open("signed-by=" + keyring, Fetchers.standard(HttpFetcherTest.fast()), s.uri("").toString()));
            assertEquals(SourceException.Kind.SOURCE, e.kind());
            assertTrue(e.getMessage().startsWith(s.uri("dists/bookworm/InRelease")
                    + ": signature check failed (BAD signature from "), e.getMessage());
            assertTrue(e.getMessage().contains(ARCHIVE), e.getMessage());
            assertEquals(List.of("/dists/bookworm/InRelease"),
                    s.requests().stream().map(TestHttpServer.Request::path).toList(), "Release is never asked for");
        }
        // Signed by a key that is not in the keyring.
        gpg.clearSign(OTHER, release);
        SourceException other = assertThrows(SourceException.class,
                () -> open("signed-by=" + keyring, new FileFetcher(), repo.toUri().toString()));
        assertTrue(other.getMessage().matches(".*/InRelease: signature check failed \\(signed by key [0-9A-F]{16}, "
                + "which is not in the signed-by keyring\\)"), other.getMessage());
        // Without signed-by= the same InRelease is read, with its note.
        assertTrue(open("", new FileFetcher(), repo.toUri().toString()).notes().stream()
                .anyMatch(n -> n.endsWith("/InRelease: metadata not signature-checked (no signed-by=)")));
    }

    @Test
    void releaseWithReleaseGpgAndNoInRelease() throws Exception {
        Path release = TestRepos.debianArchive(repo);
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            Fetcher http = Fetchers.standard(HttpFetcherTest.fast());
            String root = s.uri("").toString();
            SourceException unsigned = assertThrows(SourceException.class, () -> open("signed-by=" + keyring, http, root));
            assertEquals(s.uri("dists/bookworm/Release") + ": not signed (no InRelease, no Release.gpg), and signed-by= "
                    + "asks for a signature", unsigned.getMessage());

            gpg.detachSign(ARCHIVE, release, release.resolveSibling("Release.gpg"), false);
            SourceHead h = open("signed-by=" + keyring, http, root);
            assertEquals(s.uri("dists/bookworm/Release"), h.metadataUri());
            assertFalse(h.notes().stream().anyMatch(n -> n.contains("signature")));

            // Release.gpg by another key: refused.
            gpg.detachSign(OTHER, release, release.resolveSibling("Release.gpg"), false);
            SourceException other = assertThrows(SourceException.class, () -> open("signed-by=" + keyring, http, root));
            assertTrue(other.getMessage().startsWith(s.uri("dists/bookworm/Release.gpg") + ": signature check failed"),
                    other.getMessage());
        }
    }

    @Test
    void anExpiredValidUntilRefusesTheSourceUnlessCheckValidUntilIsNo() throws Exception {
        // apt-ftparchive writes Valid-Until as Date + ValidTime from the clock; the past one is set by hand.
        Path release = TestRepos.debianArchive(repo, "Date=Sat, 01 Jan 2022 00:00:00 UTC", "ValidTime=604800");
        Files.writeString(release, Files.readString(release).replaceFirst("Valid-Until: [^\n]*",
                "Valid-Until: Sat, 08 Jan 2022 00:00:00 UTC"));
        gpg.clearSign(ARCHIVE, release);
        SourceException e = assertThrows(SourceException.class,
                () -> open("signed-by=" + keyring, new FileFetcher(), repo.toUri().toString()));
        assertEquals(TestRepos.uri(repo) + "dists/bookworm/InRelease: expired (Valid-Until: Sat, 08 Jan 2022 00:00:00 UTC); "
                + "check-valid-until=no reads it anyway", e.getMessage());
        SourceHead h = open("signed-by=" + keyring + " check-valid-until=no", new FileFetcher(), repo.toUri().toString());
        assertEquals("Sat, 01 Jan 2022 00:00:00 UTC", h.releaseDate().orElseThrow());

        // A week from now, in apt-ftparchive's own form ("Wed, 09 Dec 2026 05:59:09 +0000").
        Path fresh = TestRepos.debianArchive(repo, "ValidTime=604800");
        assertTrue(Files.readString(fresh).matches("(?s).*\nValid-Until: [^\n]* \\+0000\n.*"));
        gpg.clearSign(ARCHIVE, fresh);
        assertTrue(open("signed-by=" + keyring, new FileFetcher(), repo.toUri().toString()).releaseDate().isPresent());
    }

    @Test
    void signedByFormsSymdexCannotUseRefuseTheSource() throws Exception {
        Path release = TestRepos.debianArchive(repo);
        gpg.clearSign(ARCHIVE, release);
        String root = repo.toUri().toString();
        String fpr = "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678";
        SourceException f = assertThrows(SourceException.class, () -> open("signed-by=" + fpr, new FileFetcher(), root));
        assertEquals(SourceException.Kind.SOURCE, f.kind());
        assertTrue(f.getMessage().endsWith(": signed-by=" + fpr + ": key fingerprints are not supported (symdex has no "
                + "keyring to look them up in); give the path of a keyring file (signed-by=/usr/share/keyrings/NAME.gpg)"),
                f.getMessage());
        SourceException rel = assertThrows(SourceException.class,
                () -> open("signed-by=keys/archive.gpg", new FileFetcher(), root));
        assertTrue(rel.getMessage().contains("signed-by=keys/archive.gpg: not an absolute path"), rel.getMessage());
        SourceException missing = assertThrows(SourceException.class,
                () -> open("signed-by=/nonexistent/k.gpg", new FileFetcher(), root));
        assertTrue(missing.getMessage().endsWith("/InRelease: signed-by=/nonexistent/k.gpg: no such file"),
                missing.getMessage());

        // deb822 with the key inline, as apt allows: parsed (as apt parses it), refused when opened.
        String stanza = "Types: deb\nURIs: " + root + "\nSuites: bookworm\nComponents: main\nArchitectures: amd64\n"
                + "Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mDMEZ...\n -----END PGP PUBLIC KEY BLOCK-----\n";
        SourceSpec spec = SourceParser.parse("inline.sources", stanza, SourceDefaults.of("amd64")).specs().get(0);
        SourceException inline = assertThrows(SourceException.class,
                () -> new SourceReader(new FileFetcher(), SourceFilter.none()).open(spec));
        assertEquals("inline.sources:1: signed-by holds an inline key, which symdex does not read; put it in a file and "
                + "give the path of a keyring file (signed-by=/usr/share/keyrings/NAME.gpg)", inline.getMessage());
    }

    @Test
    void rpmMdSignedByChecksRepomdXmlAsc() throws Exception {
        TestRepos.assumeTool("createrepo_c");
        TestRepos.copyInto(repo.resolve("Packages"), TestRepos.fixture("rpm/symdex-fixture-gzip-1.2.3-1.x86_64.rpm"),
                TestRepos.fixture("scenarios/noarch/libfoo-compat-1.0-1.noarch.rpm"));
        TestRepos.run(repo, "createrepo_c", "-q", ".");
        Path repomd = repo.resolve("repodata/repomd.xml");
        try (TestHttpServer s = TestHttpServer.http(repo)) {
            Fetcher http = Fetchers.standard(HttpFetcherTest.fast());
            SourceSpec spec = SourceParser.parseLine("rpm-md [id=fixtures arch=x86_64 signed-by=" + armored + "] "
                    + s.uri(""), SourceDefaults.of("amd64")).specs().get(0);
            SourceReader reader = new SourceReader(http, SourceFilter.none());
            SourceException none = assertThrows(SourceException.class, () -> reader.open(spec));
            assertEquals(s.uri("repodata/repomd.xml") + ": not signed (no repomd.xml.asc), and signed-by= asks for a "
                    + "signature", none.getMessage());

            gpg.detachSign(ARCHIVE, repomd, repo.resolve("repodata/repomd.xml.asc"), true);
            SourceHead h = reader.open(spec);
            assertEquals(List.of(), h.notes());
            assertTrue(h.releaseDate().orElseThrow().matches("\\d+"), "createrepo_c's revision is the Unix time");
            assertEquals(2, reader.list(h).packages().size());

            gpg.detachSign(OTHER, repomd, repo.resolve("repodata/repomd.xml.asc"), true);
            SourceException bad = assertThrows(SourceException.class, () -> reader.open(spec));
            assertTrue(bad.getMessage().startsWith(s.uri("repodata/repomd.xml.asc") + ": signature check failed (signed by "
                    + "key "), bad.getMessage());
        }
    }

    @Test
    void gpgvAnswersAreJudgedAsAptJudgesThem() {
        String good = "[GNUPG:] NEWSIG\n[GNUPG:] GOODSIG 0123456789ABCDEF test\n"
                + "[GNUPG:] VALIDSIG 0123 2026-12-02 1764650000 0 4 0 22 10 00 0123\n";
        assertNull(ReleaseSignature.judge(0, good, ""));
        assertEquals("signed with the weak digest SHA1, which apt refuses too",
                ReleaseSignature.judge(0, good.replace(" 22 10 00 ", " 22 2 00 "), ""));
        assertTrue(ReleaseSignature.judge(0, "[GNUPG:] GOODSIG 0123 test\n", "").startsWith("gpgv exit 0"));
        assertEquals("gpgv exit 2, no good signature: gpgv: no valid OpenPGP data found.",
                ReleaseSignature.judge(2, "[GNUPG:] NODATA 1\n".replace("NODATA", "X"), "gpgv: no valid OpenPGP data found.\n"));
        assertEquals("no signature found", ReleaseSignature.judge(2, "[GNUPG:] NODATA 1\n", ""));
        assertFalse(ReleaseSignature.judge(1, good + "[GNUPG:] BADSIG 0123 x\n", "").isEmpty());
    }

    @Test
    void armoredKeyringsAreDearmoredAsGpgDoes() throws Exception {
        byte[] ours = ReleaseSignature.dearmor(Files.readAllBytes(armored), "k", "w");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(keyring), ours), "the same packets as gpg --export");
        byte[] broken = Files.readString(armored).replaceFirst("\n=(....)\n", "\n=AAAA\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals("w: k: armor checksum mismatch",
                assertThrows(SourceException.class, () -> ReleaseSignature.dearmor(broken, "k", "w")).getMessage());
    }
}
