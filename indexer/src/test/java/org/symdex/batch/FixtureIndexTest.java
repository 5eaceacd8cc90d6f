package org.symdex.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.index.IndexDump;
import org.symdex.index.Schema;
import org.symdex.pkg.Fixtures;

/**
 * A fresh index of the repository's fixtures/ (every .deb and .rpm: codecs, real Debian packages, the
 * upgrade scenarios): it must hold exactly what the scanner says (IndexVerifier) and, for each package
 * with golden files, exactly what rpm's elfdeps printed.
 */
class FixtureIndexTest {
    @TempDir
    static Path tmp;
    static Path fixtures;
    static Path index;
    static RunReport report;

    @BeforeAll
    static void indexFixtures() throws Exception {
        fixtures = root().resolve("fixtures");
        index = tmp.resolve("index");
        report = new IndexRun(RunOptions.defaults(index).withJobs(2).withCommitEvery(7).withLabel("fixtures"),
                RunListener.NONE).run(List.of(fixtures));
    }

    static Path root() {
        String p = System.getProperty("symdex.root");
        return p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
    }

    private static List<Path> packages() {
        return InputWalker.walk(List.of(fixtures), InputWalker.Accept.PACKAGES).inputs().stream().map(InputWalker.Input::path).toList();
    }

    /** The binary packages; the one source rpm is read, skipped (its requires are build requirements) and counted so. */
    private static List<Path> binaries() {
        return packages().stream().filter(p -> !p.toString().endsWith(".src.rpm")).toList();
    }

    @Test
    void everyFixturePackageIsIndexedAndNoneFails() {
        assertEquals(List.of(), report.failed());
        assertEquals(binaries().size(), report.added());
        assertEquals(packages().size() - binaries().size(), report.skipped());
        assertEquals(1, report.skipped());
        assertTrue(report.added() >= 40, "fixtures: " + report.added());
    }

    @Test
    void storedSha256IsSha256sumOfThePackageFile() throws Exception {
        try (var d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r);
            int checked = 0;
            for (Path p : binaries()) {
                ScoreDoc[] hits = s.search(new BooleanQuery.Builder()
                        .add(new TermQuery(Schema.packageTerm(p.toAbsolutePath().normalize().toString())),
                                BooleanClause.Occur.FILTER)
                        .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.FILTER)
                        .build(), 10).scoreDocs;
                assertEquals(1, hits.length, p.toString());
                String stored = s.storedFields().document(hits[0].doc).get(Schema.PKG_SHA256);
                assertEquals(Fixtures.sha256sum(p), stored, p.toString());
                checked++;
            }
            assertTrue(checked >= 40, "checked " + checked);
        }
    }

    @Test
    void theIndexHoldsExactlyWhatTheScannerSays() throws Exception {
        IndexVerifier.Result r = IndexVerifier.verify(index, packages());
        assertEquals(List.of(), r.differences());
        assertEquals(report.elfFiles(), r.files());
        assertTrue(r.symbols() > 1000, r.summary());
    }

    @Test
    void debFilesHoldExactlyElfdepsGoldenAnswers() throws Exception {
        List<Path> goldens;
        try (Stream<Path> s = Files.walk(fixtures.resolve("deb"))) {
            goldens = s.filter(p -> p.toString().endsWith(".deb.provides")).sorted().toList();
        }
        assertTrue(goldens.size() >= 10, "goldens: " + goldens);
        try (var d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r);
            for (Path g : goldens) {
                String deb = g.toString().substring(0, g.toString().length() - ".provides".length());
                Map<String, TreeSet<String>> wantP = golden(g);
                Map<String, TreeSet<String>> wantR = golden(Path.of(deb + ".requires"));
                Map<String, TreeSet<String>> haveP = new TreeMap<>();
                Map<String, TreeSet<String>> haveR = new TreeMap<>();
                for (ScoreDoc h : s.search(new TermQuery(Schema.packageTerm(Path.of(deb).toAbsolutePath()
                        .normalize().toString())), 1000).scoreDocs) {
                    Document doc = s.storedFields().document(h.doc);
                    String path = doc.get(Schema.FILE_PATH);
                    if (path == null) {
                        continue;
                    }
                    for (String c : doc.getValues(Schema.FILE_PROVIDES)) {
                        haveP.computeIfAbsent(path, k -> new TreeSet<>()).add(c);
                    }
                    for (String c : doc.getValues(Schema.FILE_REQUIRES)) {
                        haveR.computeIfAbsent(path, k -> new TreeSet<>()).add(c);
                    }
                }
                assertEquals(wantP, haveP, deb + " provides");
                assertEquals(wantR, haveR, deb + " requires");
            }
        }
    }

    @Test
    void rpmDeclaredCapabilitiesAreSearchableInThePackagesScope() throws Exception {
        Path rpm = fixtures.resolve("rpm/symdex-fixture-xz-1.2.3-1.x86_64.rpm");
        List<String> header = Files.readAllLines(Path.of(rpm + ".header"), StandardCharsets.ISO_8859_1);
        try (var d = FSDirectory.open(index); DirectoryReader r = DirectoryReader.open(d)) {
            IndexSearcher s = new IndexSearcher(r);
            for (String line : header) {
                String[] f = line.split("\t", -1);
                String field = Schema.scoped(f[0].equals("P") ? Schema.PROV : Schema.REQ, "x86-64/64");
                var q = new BooleanQuery.Builder()
                        .add(new TermQuery(new org.apache.lucene.index.Term(field, f[1])),
                                BooleanClause.Occur.FILTER)
                        .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.FILTER)
                        .add(new TermQuery(Schema.packageTerm(rpm.toAbsolutePath().normalize().toString())),
                                BooleanClause.Occur.FILTER).build();
                assertEquals(1, s.count(q), line);
            }
            Document pkg = s.storedFields().document(s.search(new BooleanQuery.Builder()
                    .add(Schema.kind(Schema.KIND_PACKAGE), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(Schema.packageTerm(rpm.toAbsolutePath().normalize().toString())),
                            BooleanClause.Occur.FILTER).build(), 1).scoreDocs[0].doc);
            List<String> requires = List.of(pkg.getValues(Schema.DECL_REQUIRES));
            assertTrue(requires.contains("rpmlib(CompressedFileNames) <= 3.0.4-1"), requires.toString());
            assertTrue(List.of(pkg.getValues(Schema.DECL_PROVIDES)).contains("symdex-fixture-xz = 1.2.3-1"));
            assertEquals("rpm", pkg.get(Schema.PKG_FORMAT));
            assertEquals("symdex-fixture-xz", pkg.get(Schema.PKG_SOURCE)); // SOURCERPM without -1.2.3-1.src.rpm
        }
    }

    @Test
    void aSecondIndexOfTheFixturesIsIdentical() throws Exception {
        Path again = tmp.resolve("again");
        new IndexRun(RunOptions.defaults(again).withJobs(1).withCommitEvery(100).withLabel("fixtures"),
                RunListener.NONE).run(List.of(fixtures));
        assertEquals(IndexDump.documents(index), IndexDump.documents(again));
    }

    /** path TAB capability lines → path → capabilities. */
    private static Map<String, TreeSet<String>> golden(Path p) throws Exception {
        Map<String, TreeSet<String>> m = new TreeMap<>();
        for (String line : Files.readAllLines(p, StandardCharsets.ISO_8859_1)) {
            if (line.isEmpty()) {
                continue;
            }
            int tab = line.indexOf('\t');
            m.computeIfAbsent(line.substring(0, tab), k -> new TreeSet<>()).add(line.substring(tab + 1));
        }
        return m;
    }
}
