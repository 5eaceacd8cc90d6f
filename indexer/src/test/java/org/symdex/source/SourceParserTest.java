package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the parsers make of single lines and files, beyond the targets AptDifferentialTest compares with apt. */
class SourceParserTest {
    private static final SourceDefaults AMD64 = SourceDefaults.of("amd64");
    private static final SourceDefaults FEDORA = new SourceDefaults("amd64", Optional.of("40"), Optional.of("x86_64"));

    private static SourceSpec one(String line, SourceDefaults d) throws SourceException {
        ParsedSources ps = SourceParser.parseLine(line, d);
        assertEquals(1, ps.specs().size(), ps.toString());
        return ps.specs().get(0);
    }

    private static String usage(String name, String text, SourceDefaults d) {
        SourceException e = assertThrows(SourceException.class, () -> SourceParser.parse(name, text, d));
        assertEquals(SourceException.Kind.USAGE, e.kind());
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void debLineWithoutArchReadsTheHostArchitecturePlusAll() throws SourceException {
        SourceSpec s = one("deb http://deb.debian.org/debian bookworm main contrib", SourceDefaults.of("arm64"));
        assertEquals(SourceKind.DEB, s.kind());
        assertEquals("http://deb.debian.org/debian/", s.uri().toString());
        assertEquals("bookworm", s.suite());
        assertEquals(List.of("main", "contrib"), s.components());
        assertEquals(List.of("arm64"), s.arches());
        assertTrue(s.implicitAll());
        assertEquals("--source 'deb http://deb.debian.org/debian bookworm main contrib'", s.origin());
    }

    @Test
    void debLineKeepsEveryBracketOption() throws SourceException {
        SourceSpec s = one("deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/x.gpg trusted=yes] file:/srv/r ./", AMD64);
        assertEquals(List.of("amd64", "arm64"), s.arches());
        assertEquals(Map.of("arch", "amd64,arm64", "signed-by", "/usr/share/keyrings/x.gpg", "trusted", "yes"), s.options());
        assertTrue(s.flat());
        assertEquals(List.of(), s.components());
        assertEquals("file:/srv/r/", s.uri().toString());
    }

    @Test
    void debSrcLineIsSkippedWithANote() throws SourceException {
        ParsedSources ps = SourceParser.parseLine("deb-src http://deb.debian.org/debian bookworm main", AMD64);
        assertEquals(List.of(), ps.specs());
        assertEquals(1, ps.notes().size());
        assertTrue(ps.notes().get(0).contains("deb-src line skipped"), ps.notes().toString());
    }

    @Test
    void rpmMdLine() throws SourceException {
        SourceSpec s = one("rpm-md [id=fedora arch=x86_64] file:///srv/fedora/40/x86_64", AMD64);
        assertEquals(SourceKind.RPM_MD, s.kind());
        assertEquals("file:/srv/fedora/40/x86_64/", s.uri().toString());
        assertEquals(Optional.of("fedora"), s.id());
        assertEquals(Optional.of("x86_64"), s.basearch());
        SourceSpec bare = one("rpm-md file:/srv/r", FEDORA);
        assertEquals(Optional.empty(), bare.id());
        assertEquals(Optional.of("x86_64"), bare.basearch(), "--basearch when the line has no arch=");
        SourceException e = assertThrows(SourceException.class,
                () -> SourceParser.parseLine("rpm-md file:/srv/r extra", AMD64));
        assertEquals("--source 'rpm-md file:/srv/r extra': unexpected 'extra' after the URI "
                + "(rpm-md [id=NAME arch=BASEARCH] URI)", e.getMessage());
    }

    @Test
    void unknownTypeAndEmptyLineAreUsageErrors() {
        SourceException e = assertThrows(SourceException.class, () -> SourceParser.parseLine("yum file:/x", AMD64));
        assertEquals("--source 'yum file:/x': type 'yum' is not known (deb, deb-src or rpm-md)", e.getMessage());
        assertThrows(SourceException.class, () -> SourceParser.parseLine("   # only a comment", AMD64));
    }

    @Test
    void thisMachinesDebianSources() throws Exception {
        Path f = Path.of(SourceParserTest.class.getResource("apt/debian.sources").toURI());
        ParsedSources ps = SourceParser.parseFile(f, AMD64);
        assertEquals(List.of("http://deb.debian.org/debian/ bookworm", "http://deb.debian.org/debian/ bookworm-updates",
                "http://deb.debian.org/debian-security/ bookworm-security"),
                ps.specs().stream().map(s -> s.uri() + " " + s.suite()).toList());
        for (SourceSpec s : ps.specs()) {
            assertEquals(List.of("main"), s.components());
            assertEquals(List.of("amd64"), s.arches());
            assertEquals("/usr/share/keyrings/debian-archive-keyring.gpg", s.options().get("signed-by"));
        }
        assertTrue(ps.specs().get(2).origin().endsWith("debian.sources:8"), ps.specs().get(2).origin());
    }

    @Test
    void deb822DisabledStanzaAndDebSrcAreNotes() throws SourceException {
        ParsedSources ps = SourceParser.parse("x.sources", "Types: deb deb-src\nURIs: file:/a\nSuites: sid\nComponents: main\n\n"
                + "Types: deb\nURIs: file:/b\nSuites: sid\nComponents: main\nEnabled: no\n", AMD64);
        assertEquals(1, ps.specs().size());
        assertEquals(List.of("x.sources:1: deb-src skipped (symdex reads binary packages)",
                "x.sources:6: stanza skipped (Enabled: no)"), ps.notes());
        assertEquals("deb file:/a/ sid main", ps.specs().get(0).line());
    }

    @Test
    void unknownExtensionIsRefused() {
        assertEquals("sources.txt: unknown sources format (expected a .list, .sources or .repo file)",
                usage("sources.txt", "", AMD64));
    }

    @Test
    void parseFileRefusesWhatIsNotARegularFile(@TempDir Path dir) {
        SourceException e = assertThrows(SourceException.class, () -> SourceParser.parseFile(dir, AMD64));
        assertEquals(dir + ": not a regular file", e.getMessage());
        SourceException missing = assertThrows(SourceException.class,
                () -> SourceParser.parseFile(dir.resolve("none.list"), AMD64));
        assertEquals(dir.resolve("none.list") + ": no such file", missing.getMessage());
    }

    // ---------------------------------------------------------------- dnf .repo

    @Test
    void repoFileWithBaseurlAndSubstitutions() throws SourceException {
        ParsedSources ps = SourceParser.parse("f.repo", "# comment\n; another\n[fedora]\nname=Fedora $releasever - $basearch\n"
                + "baseurl=file:///srv/fedora/releases/${releasever}/Everything/$basearch/os/\n"
                + "enabled = 1\ngpgcheck=1\n", FEDORA);
        SourceSpec s = ps.specs().get(0);
        assertEquals(SourceKind.RPM_MD, s.kind());
        assertEquals("file:/srv/fedora/releases/40/Everything/x86_64/os/", s.uri().toString());
        assertEquals(Optional.of("fedora"), s.id());
        assertEquals(Optional.of("x86_64"), s.basearch());
        assertEquals("f.repo [fedora]", s.origin());
        assertEquals(List.of(), ps.notes());
    }

    @Test
    void metalinkOrMirrorlistOnlyIsRefusedWithTheIssuesMessage() {
        assertEquals("/etc/yum.repos.d/fedora.repo [fedora]: metalink= not supported; give baseurl=",
                usage("/etc/yum.repos.d/fedora.repo", "[fedora]\nname=Fedora\n"
                        + "metalink=https://mirrors.fedoraproject.org/metalink?repo=fedora-$releasever&arch=$basearch\n"
                        + "#baseurl=http://download.example/pub/fedora/linux/releases/$releasever/Everything/$basearch/os/\n"
                        + "mirrorlist=https://x/\n", FEDORA));
        assertEquals("c.repo [c]: mirrorlist= not supported; give baseurl=",
                usage("c.repo", "[c]\nmirrorlist=http://mirrorlist.centos.org/\n", FEDORA));
        assertEquals("c.repo [c]: no baseurl=", usage("c.repo", "[c]\nname=c\n", FEDORA));
    }

    @Test
    void severalBaseurlsTakeTheFirstAndSaySo() throws SourceException {
        ParsedSources ps = SourceParser.parse("m.repo", "[m]\nbaseurl=file:///a/,file:///b/\n  file:///c/\n"
                + "# a comment does not end a continuation\n  file:///d/\nenabled=1\n", FEDORA);
        assertEquals("file:/a/", ps.specs().get(0).uri().toString());
        assertEquals(List.of("m.repo [m]: baseurl= lists 4 URLs; reading the first, file:///a/"), ps.notes());
    }

    @Test
    void disabledRepositoriesAndMainAreSkipped() throws SourceException {
        ParsedSources ps = SourceParser.parse("d.repo", "[main]\ngpgcheck=1\n[a]\nbaseurl=file:///a\nenabled=0\n"
                + "[b]\nbaseurl=file:///b\nenabled=False\n[c]\nbaseurl=file:///c\n", FEDORA);
        assertEquals(List.of("file:/c/"), ps.specs().stream().map(s -> s.uri().toString()).toList());
        assertEquals(3, ps.notes().size());
        assertEquals("d.repo [a]: enabled=0; skipped", ps.notes().get(1));
    }

    @Test
    void missingVariablesAreUsageErrors() {
        SourceDefaults none = SourceDefaults.of("amd64");
        assertEquals("v.repo [v]: baseurl= uses $releasever; give --releasever",
                usage("v.repo", "[v]\nbaseurl=file:///r/$releasever/\n", none));
        assertEquals("v.repo [v]: baseurl= uses $basearch; give --basearch",
                usage("v.repo", "[v]\nbaseurl=file:///r/${basearch}/\n", none));
        assertEquals("v.repo [v]: baseurl= uses $contentdir, which symdex does not know (only $releasever and $basearch)",
                usage("v.repo", "[v]\nbaseurl=file:///r/$contentdir/\n", FEDORA));
        assertEquals("v.repo [v]: type=yast2 not supported; symdex reads rpm-md repositories",
                usage("v.repo", "[v]\nbaseurl=file:///r/\ntype=yast2\n", FEDORA));
    }

    @Test
    void variablesAsLibdnfExpandsThem() throws SourceException {
        assertEquals("/r/40.1/40/1/$x/", DnfRepoParser.substitute("/r/$releasever/$releasever_major/$releasever_minor/\\$x/",
                new SourceDefaults("amd64", Optional.of("40.1"), Optional.empty()), "w", "baseurl"));
    }

    @Test
    void iniSyntaxErrorsAsLibdnfReportsThem() {
        assertEquals("s.repo:1: missing section header", usage("s.repo", "baseurl=file:///x\n", FEDORA));
        assertEquals("s.repo:2: illegal continuation line", usage("s.repo", "[a]\n  file:///x\n", FEDORA));
        assertEquals("s.repo:1: missing ']'", usage("s.repo", "[a\n", FEDORA));
        assertEquals("s.repo:2: missing '='", usage("s.repo", "[a]\nbaseurl\n", FEDORA));
        assertEquals("s.repo:1: text after section", usage("s.repo", "[a] x\n", FEDORA));
    }
}
