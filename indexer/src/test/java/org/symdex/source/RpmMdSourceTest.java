package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * rpm-md sources read from repositories createrepo_c builds from the fixture rpms, and hostile
 * repositories made from them: billion laughs and external entities, "../" and absolute
 * locations, a primary whose checksum disagrees, a bomb past open-size.
 */
class RpmMdSourceTest {
    @TempDir
    Path repo;

    private final SourceReader reader = new SourceReader(new FileFetcher(), SourceFilter.none());
    private final List<Path> rpms = new ArrayList<>();

    @BeforeEach
    void copyRpms() throws IOException {
        TestRepos.assumeTool("createrepo_c");
        for (String n : List.of("gzip", "xz", "zstd", "none")) {
            rpms.add(TestRepos.fixture("rpm/symdex-fixture-" + n + "-1.2.3-1.x86_64.rpm"));
        }
        rpms.add(TestRepos.fixture("scenarios/noarch/libfoo-compat-1.0-1.noarch.rpm"));
        TestRepos.copyInto(repo.resolve("Packages"), rpms.toArray(new Path[0]));
    }

    private Map<String, ListedPackage> byName(SourceListing l) {
        Map<String, ListedPackage> m = new TreeMap<>();
        for (ListedPackage p : l.packages()) {
            m.put(p.name(), p);
        }
        return m;
    }

    @Test
    void createrepoRepositoryListsEveryRpmWithItsChecksumAndLabel() throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", ".");
        SourceListing l = reader.read(TestRepos.rpm("id=fixtures arch=x86_64", repo));
        assertEquals(List.of("fixtures/x86_64"), l.labels());
        Map<String, ListedPackage> m = byName(l);
        assertEquals(List.of("libfoo-compat", "symdex-fixture-gzip", "symdex-fixture-none", "symdex-fixture-xz",
                "symdex-fixture-zstd"), new ArrayList<>(m.keySet()));
        ListedPackage gz = m.get("symdex-fixture-gzip");
        assertEquals("1.2.3-1", gz.version());
        assertEquals("x86_64", gz.arch());
        assertEquals("symdex-fixture-gzip", gz.source());
        assertEquals("libfoo-compat", m.get("libfoo-compat").source());
        assertEquals("noarch", m.get("libfoo-compat").arch());
        assertEquals(List.of("fixtures/x86_64"), gz.labels());
        assertEquals(TestRepos.uri(repo.resolve("Packages/symdex-fixture-gzip-1.2.3-1.x86_64.rpm")), gz.uri().toString());
        for (ListedPackage p : l.packages()) {
            Path file = Path.of(p.uri());
            assertEquals(Files.size(file), p.size());
            assertEquals(Checksum.sha256(TestRepos.sha256(file)), p.checksum());
            try (VerifyingInputStream in = VerifyingInputStream.open(new FileFetcher(), p)) {
                assertEquals(TestRepos.sha256(file), in.verify().sha256());
            }
        }
    }

    @Test
    void sha1RepositoryKeepsTypeAndHexBesideTheComputedSha256() throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", "--checksum", "sha1", ".");
        SourceListing l = reader.read(TestRepos.rpm("id=old", repo));
        assertEquals(List.of("old"), l.labels());
        for (ListedPackage p : l.packages()) {
            Path file = Path.of(p.uri());
            assertEquals("sha1", p.checksum().algorithm());
            String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file)));
            assertEquals("sha1:" + sha1, p.checksum().toString());
            try (VerifyingInputStream in = VerifyingInputStream.open(new FileFetcher(), p)) {
                VerifyingInputStream.Verified v = in.verify();
                assertEquals(TestRepos.sha256(file), v.sha256());
                assertEquals(Optional.of(p.checksum()), v.nonSha256());
            }
        }
        // The same bytes under sha1 fail as a SHA1 mismatch.
        ListedPackage p = l.packages().get(0);
        Path file = Path.of(p.uri());
        byte[] b = Files.readAllBytes(file);
        b[100] ^= 1;
        Files.write(file, b);
        try (VerifyingInputStream in = VerifyingInputStream.open(new FileFetcher(), p)) {
            SourceException e = assertThrows(SourceException.class, in::verify);
            assertTrue(e.getMessage().startsWith(p.uri() + ": SHA1 mismatch (expected " + p.checksum().hex() + ", got "),
                    e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "bz2", "zst", "plain"})
    void primaryInEveryCompressionReadsTheSame(String kind) throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", "--no-database", ".");
        List<String> expected = names(reader.read(TestRepos.rpm("id=r", repo)));
        byte[] xml = primaryXml();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream c = switch (kind) {
            case "xz" -> new XZOutputStream(bo, new LZMA2Options(1));
            case "bz2" -> new BZip2CompressorOutputStream(bo);
            case "zst" -> new ZstdOutputStream(bo);
            default -> new NoClose(bo);
        }) {
            c.write(xml);
        }
        rewritePrimary(bo.toByteArray(), kind.equals("plain") ? ".xml" : ".xml." + kind, xml.length);
        assertEquals(expected, names(reader.read(TestRepos.rpm("id=r", repo))));
        assertEquals(5, expected.size());
    }

    private static List<String> names(SourceListing l) {
        return l.packages().stream().map(ListedPackage::name).sorted().toList();
    }

    @Test
    void idFromTheUriAndNoBasearchMakeALabelOfOneSegment() throws Exception {
        Path named = repo.resolve("fedora-40");
        Files.createDirectories(named);
        Files.move(repo.resolve("Packages"), named.resolve("Packages"));
        TestRepos.run(named, "createrepo_c", "-q", ".");
        assertEquals(List.of("fedora-40"), reader.open(TestRepos.rpm("", named)).labels());
    }

    @Test
    void dotRepoFileEndToEnd() throws Exception {
        Path x86 = repo.resolve("40/x86_64");
        Files.createDirectories(x86);
        Files.move(repo.resolve("Packages"), x86.resolve("Packages"));
        TestRepos.run(x86, "createrepo_c", "-q", ".");
        Path file = repo.resolve("local.repo");
        Files.writeString(file, "[local]\nname=Local $releasever\nbaseurl=" + TestRepos.uri(repo) + "$releasever/$basearch/\n"
                + "enabled=1\n\n[off]\nbaseurl=file:///nowhere\nenabled=0\n");
        ParsedSources ps = SourceParser.parseFile(file, new SourceDefaults("amd64", Optional.of("40"), Optional.of("x86_64")));
        assertEquals(1, ps.specs().size());
        assertEquals(List.of(file + " [off]: enabled=0; skipped"), ps.notes());
        SourceListing l = reader.read(ps.specs().get(0));
        assertEquals(List.of("local/x86_64"), l.labels());
        assertEquals(5, l.packages().size());
    }

    @Test
    void xmlBaseLocatesPackagesElsewhere() throws Exception {
        Path mirror = repo.resolve("mirror");
        TestRepos.run(repo, "createrepo_c", "-q", "--baseurl", TestRepos.uri(mirror), ".");
        SourceListing l = reader.read(TestRepos.rpm("id=b", repo));
        for (ListedPackage p : l.packages()) {
            assertEquals(TestRepos.uri(mirror) + "/" + p.path(), p.uri().toString());
            assertEquals(TestRepos.uri(mirror) + "/", p.base().toString());
        }
    }

    /** A hand-made primary whose text replaces the createrepo_c one. */
    private SourceException hostilePrimary(String xml) throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", "--no-database", ".");
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream c = new GZIPOutputStream(bo)) {
            c.write(bytes);
        }
        rewritePrimary(bo.toByteArray(), ".xml.gz", bytes.length);
        SourceException e = assertThrows(SourceException.class, () -> reader.read(TestRepos.rpm("id=h", repo)));
        assertEquals(SourceException.Kind.SOURCE, e.kind());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    private static final String METADATA = "<metadata xmlns=\"http://linux.duke.edu/metadata/common\" "
            + "xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\" packages=\"1\">\n";

    private static String pkg(String location) {
        return "<package type=\"rpm\"><name>evil</name><arch>x86_64</arch><version epoch=\"0\" ver=\"1\" rel=\"1\"/>"
                + "<checksum type=\"sha256\" pkgid=\"YES\">" + "a".repeat(64) + "</checksum>"
                + "<size package=\"10\" installed=\"0\" archive=\"0\"/>" + location + "</package>\n";
    }

    @Test
    void billionLaughsPrimaryFailsTheSource() throws Exception {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE metadata [\n<!ENTITY lol \"lol\">\n");
        dtd.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) {
                dtd.append("&lol").append(i - 1).append(';');
            }
            dtd.append("\">\n");
        }
        dtd.append("]>\n");
        SourceException e = hostilePrimary(HEAD + dtd + METADATA
                + pkg("<location href=\"x.rpm\"/>").replace("<name>evil</name>", "<name>&lol9;</name>") + "</metadata>\n");
        assertTrue(e.getMessage().endsWith("XML DOCTYPE not allowed"), e.getMessage());
    }

    @Test
    void externalEntityPrimaryFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + "<!DOCTYPE metadata [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + METADATA + pkg("<location href=\"x.rpm\"/>").replace("<name>evil</name>", "<name>&xxe;</name>")
                + "</metadata>\n");
        assertTrue(e.getMessage().endsWith("XML DOCTYPE not allowed"), e.getMessage());
    }

    @Test
    void undeclaredEntityFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + METADATA
                + pkg("<location href=\"x.rpm\"/>").replace("<name>evil</name>", "<name>&xxe;</name>") + "</metadata>\n");
        assertTrue(e.getMessage().contains("malformed XML") || e.getMessage().contains("entity"), e.getMessage());
    }

    @Test
    void externalEntityRepomdFailsTheSource() throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", ".");
        Path repomd = repo.resolve("repodata/repomd.xml");
        Files.writeString(repomd, Files.readString(repomd).replace("<repomd ",
                "<!DOCTYPE repomd [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<repomd "));
        SourceException e = assertThrows(SourceException.class, () -> reader.open(TestRepos.rpm("id=h", repo)));
        assertEquals(TestRepos.uri(repomd) + ": XML DOCTYPE not allowed", e.getMessage());
    }

    @Test
    void dotDotLocationFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + METADATA + pkg("<location href=\"../../etc/passwd\"/>") + "</metadata>\n");
        assertTrue(e.getMessage().endsWith("location '../../etc/passwd': '..' in path"), e.getMessage());
    }

    @Test
    void absoluteLocationFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + METADATA + pkg("<location href=\"/etc/passwd\"/>") + "</metadata>\n");
        assertTrue(e.getMessage().endsWith("location '/etc/passwd': absolute path"), e.getMessage());
    }

    @Test
    void packageWithoutLocationFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + METADATA + pkg("") + "</metadata>\n");
        assertTrue(e.getMessage().endsWith("(evil): no location"), e.getMessage());
    }

    @Test
    void textOverOneMebibyteFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + METADATA
                + pkg("<location href=\"x.rpm\"/>").replace("<name>evil</name>", "<name>" + "x".repeat(1_100_000) + "</name>")
                + "</metadata>\n");
        assertTrue(e.getMessage().endsWith("a field over 1 MiB"), e.getMessage());
    }

    @Test
    void wrongRootFailsTheSource() throws Exception {
        SourceException e = hostilePrimary(HEAD + "<metadata>" + pkg("<location href=\"x.rpm\"/>") + "</metadata>\n");
        assertTrue(e.getMessage().contains("root element {}metadata, expected {http://linux.duke.edu/metadata/common}metadata"),
                e.getMessage());
    }

    @Test
    void primaryPastItsOpenSizeFailsTheSource() throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", "--no-database", ".");
        byte[] xml = primaryXml();
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream c = new GZIPOutputStream(bo)) {
            c.write(xml);
            c.write(new byte[8 << 20]);
        }
        rewritePrimary(bo.toByteArray(), ".xml.gz", xml.length);
        SourceException e = assertThrows(SourceException.class, () -> reader.read(TestRepos.rpm("id=b", repo)));
        assertTrue(e.getMessage().endsWith(": decompresses past the declared size (" + xml.length + " bytes)"),
                e.getMessage());
    }

    @Test
    void primaryWhoseChecksumDisagreesFailsTheSource() throws Exception {
        TestRepos.run(repo, "createrepo_c", "-q", ".");
        Path primary = primaryFile();
        byte[] b = Files.readAllBytes(primary);
        b[b.length - 10] ^= 1;
        Files.write(primary, b);
        SourceException e = assertThrows(SourceException.class, () -> reader.read(TestRepos.rpm("id=b", repo)));
        assertTrue(e.getMessage().startsWith(TestRepos.uri(primary) + ": "), e.getMessage());
    }

    @Test
    void missingRepomdNamesWhatWasExpected() {
        SourceException e = assertThrows(SourceException.class, () -> reader.open(TestRepos.rpm("id=x", repo)));
        assertEquals(TestRepos.uri(repo) + "repodata/repomd.xml: not found (is the URI the directory that holds repodata/?)",
                e.getMessage());
    }

    @Test
    void sourceRpmNames() {
        assertEquals("glibc", RpmMdReader.sourceName("glibc-2.39-22.fc40.src.rpm", "glibc-devel"));
        assertEquals("python-foo-bar", RpmMdReader.sourceName("python-foo-bar-1.0-1.nosrc.rpm", "x"));
        assertEquals("x", RpmMdReader.sourceName("", "x"));
        assertEquals("x", RpmMdReader.sourceName("nodash.src.rpm", "x"));
    }

    // ---------------------------------------------------------------- helpers

    private Path primaryFile() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(repo.resolve("repodata"), "*primary.xml*")) {
            for (Path p : ds) {
                return p;
            }
        }
        throw new IOException("no primary");
    }

    private byte[] primaryXml() throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(primaryFile()))) {
            return in.readAllBytes();
        }
    }

    /** Replaces the primary file and its repomd.xml entry (checksum, size, open-size, location). */
    private void rewritePrimary(byte[] data, String suffix, long openSize) throws Exception {
        Path old = primaryFile();
        String name = "primary" + suffix;
        Files.delete(old);
        Files.write(repo.resolve("repodata").resolve(name), data);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        Path repomd = repo.resolve("repodata/repomd.xml");
        String text = Files.readString(repomd);
        Matcher m = Pattern.compile("(?s)<data type=\"primary\">.*?</data>").matcher(text);
        assertTrue(m.find());
        String entry = "<data type=\"primary\">\n    <checksum type=\"sha256\">" + sha + "</checksum>\n"
                + "    <location href=\"repodata/" + name + "\"/>\n    <size>" + data.length + "</size>\n"
                + "    <open-size>" + openSize + "</open-size>\n  </data>";
        Files.writeString(repomd, text.substring(0, m.start()) + entry + text.substring(m.end()));
    }

    /** Lets the "plain" case share the try-with-resources of the compressors. */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }
    }
}
