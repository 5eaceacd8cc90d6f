package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Debian sources read from real repositories that apt-ftparchive builds from the fixture packages:
 * one pool shared by two suites, several architectures with an Architecture: all package, flat
 * repositories, Ubuntu-style pockets, a Release without Origin, InRelease armour, and hostile
 * metadata (checksum mismatch, "../" Filename, decompression bombs, oversized fields).
 */
class DebSourceTest {
    @TempDir
    Path repo;

    private final SourceReader reader = new SourceReader(new FileFetcher(), SourceFilter.none());

    @BeforeEach
    void pool() throws IOException {
        TestRepos.assumeTool("apt-ftparchive");
        Path base = TestRepos.fixture("scenarios/base/deb");
        TestRepos.copyInto(repo.resolve("pool/main/base"), base.resolve("libfoo1_1.0-1_amd64.deb"),
                base.resolve("libbar1_1.0-1_amd64.deb"), base.resolve("fooapp_1.0-1_amd64.deb"));
        TestRepos.copyInto(repo.resolve("pool/main/upd"),
                TestRepos.fixture("scenarios/node-removed/deb/libfoo1_1.1-1_amd64.deb"));
        Path q = TestRepos.fixture("query");
        TestRepos.copyInto(repo.resolve("pool/main/q"), q.resolve("libbaz1_1.0-1_amd64.deb"),
                q.resolve("bazapp_1.0-1_amd64.deb"), q.resolve("foo32app_1.0-1_i386.deb"),
                q.resolve("foos390app_1.0-1_s390x.deb"));
        TestRepos.copyInto(repo.resolve("pool/main/all"),
                TestRepos.fixture("scenarios/noarch/libfoo-compat_1.0-1_all.deb"));
    }

    private Path packages(String suite, String component, String arch, String... poolDirs) throws Exception {
        Path p = repo.resolve("dists/" + suite + "/" + component + "/binary-" + arch + "/Packages");
        TestRepos.packages(repo, p, arch, poolDirs);
        return p;
    }

    private static Map<String, List<String>> labelsByName(List<ListedPackage> ps) {
        Map<String, List<String>> m = new TreeMap<>();
        for (ListedPackage p : ps) {
            m.put(p.name() + "_" + p.version() + "_" + p.arch(), p.labels());
        }
        return m;
    }

    @Test
    void twoSuitesShareOnePoolAndEachPackageIsListedOnceWithEveryLabel() throws Exception {
        TestRepos.compress(packages("bookworm", "main", "amd64", "pool/main/base"), "xz");
        TestRepos.compress(packages("bookworm-updates", "main", "amd64", "pool/main/base", "pool/main/upd"), "gz");
        TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Suite=stable", "Codename=bookworm",
                "Architectures=amd64", "Components=main");
        TestRepos.release(repo, "dists/bookworm-updates", "Origin=Debian", "Suite=stable-updates",
                "Codename=bookworm-updates", "Architectures=amd64", "Components=main");

        SourceHead h1 = reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main"));
        SourceHead h2 = reader.open(TestRepos.deb("arch=amd64", repo, "bookworm-updates main"));
        Catalog.checkLabels(List.of(h1, h2));
        SourceListing l1 = reader.list(h1);
        SourceListing l2 = reader.list(h2);
        assertEquals(List.of("Debian/bookworm/main/amd64"), l1.labels());
        assertEquals(List.of("Debian/bookworm-updates/main/amd64"), l2.labels());
        assertEquals(3, l1.packages().size());
        assertEquals(4, l2.packages().size());
        // Membership per source: each listing carries its own labels only.
        assertTrue(l1.packages().stream().allMatch(p -> p.labels().equals(l1.labels())));
        assertTrue(l2.packages().stream().allMatch(p -> p.labels().equals(l2.labels())));

        Catalog c = Catalog.of(List.of(l1, l2));
        Map<String, List<String>> got = labelsByName(c.packages());
        List<String> both = List.of("Debian/bookworm-updates/main/amd64", "Debian/bookworm/main/amd64");
        assertEquals(Map.of(
                "fooapp_1.0-1_amd64", both,
                "libbar1_1.0-1_amd64", both,
                "libfoo1_1.0-1_amd64", both,
                "libfoo1_1.1-1_amd64", List.of("Debian/bookworm-updates/main/amd64")), got);
        ListedPackage foo = c.packages().stream().filter(p -> p.version().equals("1.0-1") && p.name().equals("libfoo1"))
                .findFirst().orElseThrow();
        assertEquals(List.of(l1, l2), c.sourcesOf(foo));
        assertEquals("foo", foo.source());
        assertEquals(TestRepos.uri(repo.resolve("pool/main/base/libfoo1_1.0-1_amd64.deb")), foo.uri().toString());
        assertEquals(TestRepos.sha256(repo.resolve("pool/main/base/libfoo1_1.0-1_amd64.deb")), foo.checksum().hex());

        // Every listed package reads back verified, SHA-256 and size as listed.
        for (ListedPackage p : c.packages()) {
            try (VerifyingInputStream in = VerifyingInputStream.open(new FileFetcher(), p)) {
                in.readAllBytes();
                VerifyingInputStream.Verified v = in.verify();
                assertEquals(p.checksum().hex(), v.sha256());
                assertEquals(p.size(), v.size());
            }
        }
        // The Release offers no binary-all: said in a note, nothing else.
        assertTrue(h1.notes().get(0).contains("main/binary-all/Packages not read (not offered)"), h1.notes().toString());
        assertTrue(h1.metadataUri().toString().endsWith("dists/bookworm/Release"));
    }

    @Test
    void skipKeyIsStableAndChangesWithMetadataAndFilters() throws Exception {
        TestRepos.compress(packages("bookworm", "main", "amd64", "pool/main/base"), "xz");
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        SourceSpec spec = TestRepos.deb("arch=amd64", repo, "bookworm main");
        String k1 = reader.open(spec).skipKey();
        assertEquals(k1, reader.read(spec).skipKey());
        assertNotEquals(k1, new SourceReader(new FileFetcher(), new SourceFilter(List.of(), List.of("lib*")))
                .open(spec).skipKey());
        assertNotEquals(k1, reader.open(TestRepos.deb("arch=amd64 arch-=all", repo, "bookworm main")).skipKey());
        TestRepos.compress(packages("bookworm", "main", "amd64", "pool/main/base", "pool/main/upd"), "xz");
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        assertNotEquals(k1, reader.open(spec).skipKey());
    }

    @Test
    void twoArchitecturesAndArchitectureAllInEachBinaryArch() throws Exception {
        packages("trixie", "main", "amd64", "pool/main/q", "pool/main/all");
        packages("trixie", "main", "s390x", "pool/main/q", "pool/main/all");
        packages("trixie", "main", "i386", "pool/main/q", "pool/main/all");
        TestRepos.release(repo, "dists/trixie", "Origin=Test", "Codename=trixie", "Suite=testing",
                "Architectures=amd64 i386 s390x", "Components=main");

        SourceListing l = reader.read(TestRepos.deb("arch=amd64,s390x", repo, "trixie main"));
        assertEquals(List.of("Test/trixie/main/amd64", "Test/trixie/main/s390x"), l.labels());
        assertEquals(Map.of(
                "bazapp_1.0-1_amd64", List.of("Test/trixie/main/amd64"),
                "libbaz1_1.0-1_amd64", List.of("Test/trixie/main/amd64"),
                "foos390app_1.0-1_s390x", List.of("Test/trixie/main/s390x"),
                "libfoo-compat_1.0-1_all", List.of("Test/trixie/main/amd64", "Test/trixie/main/s390x")),
                labelsByName(l.packages()));

        SourceException arch = assertThrows(SourceException.class,
                () -> reader.open(TestRepos.deb("arch=arm64", repo, "trixie main")));
        assertEquals(SourceException.Kind.SOURCE, arch.kind());
        assertEquals(TestRepos.uri(repo) + "dists/trixie/Release: architecture arm64 is not in this Release (it has: amd64 i386 s390x)",
                arch.getMessage());
        SourceException comp = assertThrows(SourceException.class,
                () -> reader.open(TestRepos.deb("arch=amd64", repo, "trixie main contrib")));
        assertTrue(comp.getMessage().endsWith("component contrib is not in this Release (it has: main)"), comp.getMessage());
    }

    @Test
    void binaryAllIsReadWhenOfferedUnlessReleaseSaysBinaryArchListsIt() throws Exception {
        packages("sid", "main", "amd64", "pool/main/base", "pool/main/all");
        packages("sid", "main", "all", "pool/main/all");
        Path release = TestRepos.release(repo, "dists/sid", "Origin=Test", "Codename=sid",
                "Architectures=all amd64", "Components=main");
        SourceListing l = reader.read(TestRepos.deb("", repo, "sid main"));
        assertEquals(List.of("Test/sid/main/amd64", "Test/sid/main/all"), l.labels());
        assertEquals(List.of("Test/sid/main/all", "Test/sid/main/amd64"),
                labelsByName(l.packages()).get("libfoo-compat_1.0-1_all"));

        // Debian's Release says No-Support-for-Architecture-all: Packages; apt then skips binary-all.
        Files.writeString(release, Files.readString(release) + "No-Support-for-Architecture-all: Packages\n");
        SourceListing l2 = reader.read(TestRepos.deb("", repo, "sid main"));
        assertEquals(List.of("Test/sid/main/amd64"), l2.labels());
        assertEquals(List.of("Test/sid/main/amd64"), labelsByName(l2.packages()).get("libfoo-compat_1.0-1_all"));
    }

    @Test
    void flatRepositoryWithoutOriginOrCodename() throws Exception {
        Path flat = repo.resolve("flat");
        TestRepos.copyInto(flat, TestRepos.fixture("scenarios/base/deb/libfoo1_1.0-1_amd64.deb"),
                TestRepos.fixture("query/foos390app_1.0-1_s390x.deb"),
                TestRepos.fixture("scenarios/noarch/libfoo-compat_1.0-1_all.deb"));
        TestRepos.packages(flat, flat.resolve("Packages"), null, ".");
        TestRepos.compress(flat.resolve("Packages"), "gz");
        TestRepos.release(flat, ".");
        SourceListing l = reader.read(TestRepos.deb("arch=amd64", flat, "./"));
        assertEquals(List.of("local/./-/amd64"), l.labels());
        assertEquals(Map.of("libfoo1_1.0-1_amd64", List.of("local/./-/amd64"),
                "libfoo-compat_1.0-1_all", List.of("local/./-/amd64")), labelsByName(l.packages()));
        ListedPackage p = l.packages().get(0);
        assertEquals(TestRepos.uri(flat.resolve(Path.of(p.path()).getFileName())), p.uri().toString());

        SourceListing both = reader.read(TestRepos.deb("arch=amd64,s390x", flat, "./"));
        assertEquals(List.of("local/./-/amd64", "local/./-/s390x"),
                labelsByName(both.packages()).get("libfoo-compat_1.0-1_all"));
        assertEquals(List.of("local/./-/s390x"), labelsByName(both.packages()).get("foos390app_1.0-1_s390x"));
    }

    @Test
    void flatRepositoryInASubdirectoryWithCodename() throws Exception {
        Path sub = repo.resolve("debs/sub");
        TestRepos.copyInto(sub, TestRepos.fixture("scenarios/base/deb/libbar1_1.0-1_amd64.deb"));
        // Filenames relative to the URI, Release and Packages under URI/SUITE (apt's flat layout).
        TestRepos.packages(repo.resolve("debs"), sub.resolve("Packages"), null, "sub");
        TestRepos.release(sub, ".", "Origin=Me", "Codename=flatland");
        SourceListing l = reader.read(TestRepos.deb("arch=amd64", repo.resolve("debs"), "sub/"));
        assertEquals(List.of("Me/flatland/-/amd64"), l.labels());
        assertEquals(TestRepos.uri(sub.resolve("libbar1_1.0-1_amd64.deb")), l.packages().get(0).uri().toString());
    }

    @Test
    void ubuntuPocketIsLabelledBySuiteDebianUpdatesByCodename() throws Exception {
        packages("noble-updates", "main", "amd64", "pool/main/base");
        TestRepos.release(repo, "dists/noble-updates", "Origin=Ubuntu", "Suite=noble-updates", "Codename=noble",
                "Architectures=amd64", "Components=main");
        assertEquals(List.of("Ubuntu/noble-updates/main/amd64"),
                reader.open(TestRepos.deb("", repo, "noble-updates main")).labels());
    }

    @Test
    void releaseWithoutOriginIsLabelledLocal() throws Exception {
        packages("bookworm", "main", "amd64", "pool/main/base");
        TestRepos.release(repo, "dists/bookworm", "Suite=stable", "Codename=bookworm");
        SourceHead h = reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main"));
        assertEquals(List.of("local/bookworm/main/amd64"), h.labels());
        assertTrue(h.release().orElseThrow().origin().isEmpty());
    }

    @Test
    void componentWithSlashIsEncodedInTheLabel() throws Exception {
        packages("bookworm", "main/debian-installer", "amd64", "pool/main/base");
        TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Codename=bookworm", "Architectures=amd64",
                "Components=main main/debian-installer");
        SourceListing l = reader.read(TestRepos.deb("arch=amd64", repo, "bookworm main/debian-installer"));
        assertEquals(List.of("Debian/bookworm/main%2Fdebian-installer/amd64"), l.labels());
        assertEquals(3, l.packages().size());
    }

    @Test
    void inReleaseIsPreferredAndItsArmourChecked() throws Exception {
        packages("bookworm", "main", "amd64", "pool/main/base");
        Path release = TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Codename=bookworm");
        Path in = TestRepos.inRelease(release);
        Files.writeString(release, "garbage that must not be read\n");
        SourceHead h = reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main"));
        assertTrue(h.metadataUri().toString().endsWith("/InRelease"));
        assertTrue(h.release().orElseThrow().signed());
        assertEquals(List.of("Debian/bookworm/main/amd64"), h.labels());
        assertEquals(3, reader.list(h).packages().size());

        String signed = Files.readString(in);
        Files.writeString(in, signed + "Origin: Evil\n");
        SourceException after = assertThrows(SourceException.class,
                () -> reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main")));
        assertTrue(after.getMessage().endsWith("InRelease holds unsigned lines after its signature"), after.getMessage());

        Files.writeString(in, signed.replace("Origin: Debian", "-Origin: Debian"));
        SourceException dash = assertThrows(SourceException.class,
                () -> reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main")));
        assertTrue(dash.getMessage().contains("unexpected line starting with a dash (msg)"), dash.getMessage());

        Files.writeString(in, signed.replace("Origin: Debian", "- Origin: Escaped"));
        assertEquals(List.of("Escaped/bookworm/main/amd64"),
                reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main")).labels());
    }

    @Test
    void corruptedPackageOfTheRightSizeFailsItsVerification() throws Exception {
        packages("bookworm", "main", "amd64", "pool/main/base");
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        SourceListing l = reader.read(TestRepos.deb("arch=amd64", repo, "bookworm main"));
        ListedPackage p = l.packages().get(0);
        Path file = Path.of(p.uri());
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x20;
        Files.write(file, b);
        String got = TestRepos.sha256(file);

        VerifyingInputStream in = VerifyingInputStream.open(new FileFetcher(), p);
        IOException io = assertThrows(IOException.class, in::readAllBytes);
        SourceException e = assertInstanceOf(SourceException.class, io.getCause());
        assertEquals(p.uri() + ": SHA256 mismatch (expected " + p.checksum().hex() + ", got " + got + ")", e.getMessage());
        assertEquals(SourceException.Kind.PACKAGE, e.kind());
        SourceException again = assertThrows(SourceException.class, in::verify);
        assertEquals(e.getMessage(), again.getMessage());
        in.close();

        Files.write(file, java.util.Arrays.copyOf(b, b.length - 100));
        SourceException shortRead = assertThrows(SourceException.class, () -> VerifyingInputStream.open(new FileFetcher(), p));
        assertEquals(p.uri() + ": short read (expected " + p.size() + " bytes, got " + (p.size() - 100) + ")",
                shortRead.getMessage());
        Files.delete(file);
        assertEquals(p.uri() + ": not found",
                assertThrows(SourceException.class, () -> VerifyingInputStream.open(new FileFetcher(), p)).getMessage());
    }

    @Test
    void packagesWhoseChecksumDisagreesWithReleaseFailsTheSource() throws Exception {
        Path plain = packages("bookworm", "main", "amd64", "pool/main/base");
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        String text = Files.readString(plain);
        Files.writeString(plain, text.replace("Package: fooapp", "Package: evilap"));
        SourceException e = assertThrows(SourceException.class,
                () -> reader.read(TestRepos.deb("arch=amd64", repo, "bookworm main")));
        assertEquals(SourceException.Kind.SOURCE, e.kind());
        assertTrue(e.getMessage().startsWith(TestRepos.uri(plain) + ": SHA256 mismatch (expected "), e.getMessage());
    }

    @Test
    void listedFormIsReadAndUnlistedFormsAreNeverProbed() throws Exception {
        Path plain = packages("bookworm", "main", "amd64", "pool/main/base");
        TestRepos.compress(plain, "xz", "gz");
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        Files.delete(plain.resolveSibling("Packages.xz"));
        SourceException e = assertThrows(SourceException.class,
                () -> reader.read(TestRepos.deb("arch=amd64", repo, "bookworm main")));
        assertEquals(TestRepos.uri(plain) + ".xz: listed in the Release but not found", e.getMessage());
    }

    private void hostileStanza(String from, String to, String expected) throws Exception {
        Path plain = packages("bookworm", "main", "amd64", "pool/main/base");
        String text = Files.readString(plain);
        assertTrue(text.contains(from), from);
        Files.writeString(plain, text.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)));
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        SourceException e = assertThrows(SourceException.class,
                () -> reader.read(TestRepos.deb("arch=amd64", repo, "bookworm main")));
        assertEquals(SourceException.Kind.SOURCE, e.kind());
        assertTrue(e.getMessage().startsWith(TestRepos.uri(plain) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void dotDotFilenameFailsTheSource() throws Exception {
        hostileStanza("Filename: pool/main/base/", "Filename: pool/../../../etc/", "'..' in path");
    }

    @Test
    void absoluteFilenameFailsTheSource() throws Exception {
        hostileStanza("Filename: pool/main/base/", "Filename: /etc/", "absolute path");
    }

    @Test
    void stanzaWithoutSha256FailsTheSource() throws Exception {
        hostileStanza("SHA256:", "SHA257:", "no SHA256 field");
    }

    @Test
    void stanzaWithoutSizeFailsTheSource() throws Exception {
        hostileStanza("Size:", "Sighs:", "no Size field");
    }

    @Test
    void fieldOverOneMebibyteFailsTheSource() throws Exception {
        hostileStanza("Description: ", "Description: " + "x".repeat(600_000) + "\n " + "y".repeat(600_000) + "\nX-D: ",
                "a field over 1 MiB");
    }

    @Test
    void duplicateFieldFailsTheSource() throws Exception {
        hostileStanza("Size:", "Size: 1\nSize:", "field size given twice");
    }

    /** Release lists the small plain Packages and a compressed form that decompresses far past it. */
    private void bomb(String suffix) throws Exception {
        Path plain = packages("bookworm", "main", "amd64", "pool/main/base");
        Path bomb = plain.resolveSibling("Packages." + suffix);
        byte[] zeros = new byte[1 << 20];
        try (OutputStream o = Files.newOutputStream(bomb);
             OutputStream c = suffix.equals("xz") ? new XZOutputStream(o, new LZMA2Options(0)) : new GZIPOutputStream(o)) {
            c.write(Files.readAllBytes(plain));
            for (int i = 0; i < 64; i++) {
                c.write(zeros);
            }
        }
        assertTrue(Files.size(bomb) < 1 << 20, "a bomb is small");
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        SourceException e = assertThrows(SourceException.class,
                () -> reader.read(TestRepos.deb("arch=amd64", repo, "bookworm main")));
        assertEquals(TestRepos.uri(bomb) + ": decompresses past the declared size (" + Files.size(plain) + " bytes)",
                e.getMessage());
    }

    @Test
    void gzipBombFailsTheSource() throws Exception {
        bomb("gz");
    }

    @Test
    void xzBombFailsTheSource() throws Exception {
        bomb("xz");
    }

    @Test
    void sectionAndPackageFiltersRestrictWhatASourceContributes() throws Exception {
        Path override = repo.resolve("override");
        Files.writeString(override, "libfoo1 optional libs\nlibbar1 optional non-free/libs\nfooapp optional utils\n");
        Path p = repo.resolve("dists/bookworm/main/binary-amd64/Packages");
        Files.createDirectories(p.getParent());
        Files.writeString(p, TestRepos.run(repo, "apt-ftparchive", "packages", "pool/main/base", "override"));
        TestRepos.release(repo, "dists/bookworm", "Codename=bookworm");
        SourceSpec spec = TestRepos.deb("arch=amd64", repo, "bookworm main");
        assertEquals(List.of("fooapp", "libbar1", "libfoo1"), names(reader.read(spec)));
        assertEquals(List.of("libbar1", "libfoo1"),
                names(new SourceReader(new FileFetcher(), new SourceFilter(List.of("libs"), List.of())).read(spec)));
        assertEquals(List.of("libbar1"), names(new SourceReader(new FileFetcher(),
                new SourceFilter(List.of("libs"), List.of("*bar[0-9]"))).read(spec)));
        assertEquals(List.of("fooapp", "libfoo1"), names(new SourceReader(new FileFetcher(),
                new SourceFilter(List.of(), List.of("foo*", "lib?oo1"))).read(spec)));
        assertEquals("non-free/libs", reader.read(spec).packages().stream()
                .filter(x -> x.name().equals("libbar1")).findFirst().orElseThrow().section());
    }

    private static List<String> names(SourceListing l) {
        return l.packages().stream().map(ListedPackage::name).sorted().collect(Collectors.toList());
    }

    @Test
    void twoSourcesYieldingOneLabelAreAUsageError() throws Exception {
        packages("bookworm", "main", "amd64", "pool/main/base");
        TestRepos.release(repo, "dists/bookworm", "Origin=Debian", "Suite=stable", "Codename=bookworm");
        SourceHead a = reader.open(TestRepos.deb("arch=amd64", repo, "bookworm main"));
        // The same suite by its Suite name: Codename makes the label, so the two clash.
        Files.createDirectories(repo.resolve("dists"));
        Files.createSymbolicLink(repo.resolve("dists/stable"), repo.resolve("dists/bookworm"));
        SourceHead b = reader.open(TestRepos.deb("arch=amd64", repo, "stable main"));
        SourceException e = assertThrows(SourceException.class, () -> Catalog.checkLabels(List.of(a, b)));
        assertEquals(SourceException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("label Debian/bookworm/main/amd64 is given by two sources"), e.getMessage());
        assertThrows(SourceException.class, () -> Catalog.of(List.of(reader.list(a), reader.list(b))));
    }

    @Test
    void missingReleaseFailsTheSource() throws Exception {
        SourceException e = assertThrows(SourceException.class,
                () -> reader.open(TestRepos.deb("arch=amd64", repo, "nowhere main")));
        assertEquals(TestRepos.uri(repo) + "dists/nowhere/: no InRelease or Release", e.getMessage());
    }

    @Test
    void releaseReadsDebianFields() throws Exception {
        Path r = repo.resolve("Release");
        Files.writeString(r, "Origin: Debian\nLabel: Debian\nSuite: oldstable\nCodename: bookworm\n"
                + "Date: Sat, 11 Jul 2026 10:16:37 UTC\nValid-Until: Sat, 18 Jul 2026 10:16:37 UTC\n"
                + "Architectures: all amd64\nComponents: main contrib\nNo-Support-for-Architecture-all: Packages\n"
                + "MD5Sum:\n 0ed6d4c8891eb86358b94bb35d9e4da4  1484322 main/binary-amd64/Packages\n"
                + "SHA256:\n 515e692f2c4121c6fcec444ef100cc18f79a991910615f3a88c8b7becfc94d2f 50060337 main/binary-amd64/Packages\n");
        DebRelease rel = DebRelease.parse(Files.readAllBytes(r), r.toUri(), false, SourceReader.MAX_FIELD_BYTES);
        assertEquals("Debian", rel.origin().orElseThrow());
        assertEquals("Debian", rel.label().orElseThrow());
        assertEquals("oldstable", rel.suite().orElseThrow());
        assertEquals("bookworm", rel.codename().orElseThrow());
        assertEquals("Sat, 11 Jul 2026 10:16:37 UTC", rel.date().orElseThrow());
        assertEquals("Sat, 18 Jul 2026 10:16:37 UTC", rel.validUntil().orElseThrow());
        assertEquals(List.of("all", "amd64"), rel.architectures());
        assertEquals(List.of("main", "contrib"), rel.components());
        assertEquals(List.of("Packages"), rel.noSupportForArchitectureAll());
        assertEquals(Map.of("main/binary-amd64/Packages", new DebRelease.FileEntry(50060337L,
                Checksum.sha256("515e692f2c4121c6fcec444ef100cc18f79a991910615f3a88c8b7becfc94d2f"))), rel.files());

        Files.writeString(r, "Origin: Debian\nMD5Sum:\n 0ed6d4c8891eb86358b94bb35d9e4da4  1484322 main/binary-amd64/Packages\n");
        SourceException md5 = assertThrows(SourceException.class,
                () -> DebRelease.parse(Files.readAllBytes(r), r.toUri(), false, SourceReader.MAX_FIELD_BYTES));
        assertTrue(md5.getMessage().endsWith("no SHA256 list (symdex checks index files against SHA256 only)"));
        Files.writeString(r, "SHA256:\n 515e692f 50060337 main/binary-amd64/Packages\n");
        assertThrows(SourceException.class,
                () -> DebRelease.parse(Files.readAllBytes(r), r.toUri(), false, SourceReader.MAX_FIELD_BYTES));
    }

    @Test
    void controlReaderKeepsMultiLineFieldsAndCrlf() throws Exception {
        String text = "Package: a\r\nDescription: one\r\n two\r\n .\r\n three\r\nSHA256:\r\n x 1 y\r\n\r\n\r\nPackage: b\n";
        ControlReader r = new ControlReader(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                "t", 1 << 20, List.of("package", "DESCRIPTION", "sha256"));
        String[] v = r.next();
        assertEquals("a", v[0]);
        assertEquals("one\n two\n .\n three", v[1]);
        assertEquals("\n x 1 y", v[2]);
        assertEquals(1, r.stanzaLine());
        v = r.next();
        assertEquals("b", v[0]);
        assertEquals(null, v[1]);
        assertEquals(10, r.stanzaLine());
        assertEquals(null, r.next());
        InputStream bad = new java.io.ByteArrayInputStream(" continuation first\n".getBytes(StandardCharsets.UTF_8));
        assertThrows(SourceException.class, () -> new ControlReader(bad, "t", 1 << 20, List.of("package")).next());
    }
}
