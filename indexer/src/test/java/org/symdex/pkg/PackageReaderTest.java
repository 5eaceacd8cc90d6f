package org.symdex.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixtures read back as built: metadata, codecs, entry kinds, hard links, with and without system xz. */
class PackageReaderTest {
    record Read(PackageInfo info, List<PackageEntry> entries) {
    }

    static Read read(Path p, ReaderOptions options) throws Exception {
        List<PackageEntry> entries = new ArrayList<>();
        PackageInfo[] info = new PackageInfo[1];
        new PackageReader(options).read(p, new PackageVisitor() {
            @Override
            public boolean onInfo(PackageInfo i) {
                info[0] = i;
                return true;
            }

            @Override
            public void onEntry(PackageEntry e, InputStream data) throws IOException {
                assertEquals(e.size(), data.readAllBytes().length, e.path());
                entries.add(e);
            }
        });
        return new Read(info[0], entries);
    }

    static PackageEntry entry(Read r, String path) {
        return r.entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError(path));
    }

    @ParameterizedTest
    @CsvSource({"gzip,GZIP", "xz,XZ", "zstd,ZSTD", "none,NONE", "bzip2,BZIP2", "lzma,LZMA"})
    void debFixtures(String flavour, Codec codec) throws Exception {
        for (ReaderOptions o : List.of(ReaderOptions.pureJava(), ReaderOptions.systemXzAlways())) {
            Read r = read(Fixtures.deb("symdex-fixture-" + flavour + ".deb"), o);
            PackageInfo i = r.info;
            assertEquals(PackageFormat.DEB, i.format());
            assertEquals("symdex-fixture-" + flavour, i.name());
            assertEquals(Optional.of(1), i.epoch());
            assertEquals("1.2.3", i.version());
            assertEquals("1", i.release());
            assertEquals("amd64", i.arch());
            assertEquals(Optional.of("symdex-fixture (1.2.3-1)"), i.sourcePackage());
            assertEquals(Optional.of("same"), i.multiArch());
            assertEquals(60 * 1024, i.installedSize());
            assertEquals(codec, i.payloadCompressor());
            assertEquals(List.of(new Dependency("libfoo1", Dependency.EQUAL, "1.2.3"), new Dependency("symdex-virtual", 0, "")),
                    i.provides());
            assertEquals(new Dependency("dpkg", Dependency.GREATER | Dependency.EQUAL, "1.17"), i.requires().get(0));
            assertEquals(5, i.requires().size());
            String lib = "/usr/lib/x86_64-linux-gnu/";
            assertEquals(PackageEntry.Kind.SYMLINK, entry(r, lib + "libfoo.so.1").kind());
            assertEquals("libfoo.so.1.2.3", entry(r, lib + "libfoo.so.1").linkTarget());
            assertEquals(PackageEntry.Kind.DIRECTORY, entry(r, "/usr/bin").kind());
            assertEquals(0755, entry(r, "/usr/bin/fooapp").mode());
            assertEquals(0644, entry(r, "/usr/share/symdex/fooapp-noexec").mode());
            // tar stores the first name with the data and the second as a link to it.
            long links = r.entries.stream().filter(e -> e.kind() == PackageEntry.Kind.HARD_LINK).count();
            assertEquals(1, links);
            PackageEntry link = r.entries.stream().filter(e -> e.kind() == PackageEntry.Kind.HARD_LINK).findFirst().get();
            assertTrue(link.linkTarget().startsWith(lib + "libnoso"), link.toString());
        }
    }

    @ParameterizedTest
    @CsvSource({"gzip,GZIP", "xz,XZ", "zstd,ZSTD", "none,NONE", "bzip2,BZIP2", "lzma,LZMA"})
    void rpmFixtures(String flavour, Codec codec) throws Exception {
        for (ReaderOptions o : List.of(ReaderOptions.pureJava(), ReaderOptions.systemXzAlways())) {
            Read r = read(Fixtures.rpm("symdex-fixture-" + flavour + "-1.2.3-1.x86_64.rpm"), o);
            PackageInfo i = r.info;
            assertEquals(PackageFormat.RPM, i.format());
            assertEquals("symdex-fixture-" + flavour, i.name());
            assertEquals(Optional.empty(), i.epoch());
            assertEquals("1.2.3", i.version());
            assertEquals("1", i.release());
            assertEquals("x86_64", i.arch());
            assertEquals(Optional.of("symdex-fixture-" + flavour + "-1.2.3-1.src.rpm"), i.sourcePackage());
            assertEquals(codec, i.payloadCompressor());
            assertEquals(PackageEntry.Kind.SYMLINK, entry(r, "/usr/lib64/libfoo.so.1").kind());
            assertEquals(0755, entry(r, "/usr/bin/fooapp").mode());
            // rpm puts the data on the last link; we report it first, then the other name as a link.
            PackageEntry data = entry(r, "/usr/lib64/libnoso.so");
            PackageEntry link = entry(r, "/usr/lib64/libnoso-link.so");
            assertEquals(PackageEntry.Kind.FILE, data.kind());
            assertTrue(data.size() > 0);
            assertEquals(PackageEntry.Kind.HARD_LINK, link.kind());
            assertEquals(data.path(), link.linkTarget());
            assertTrue(r.entries.indexOf(data) < r.entries.indexOf(link));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = "symdex-fixture-src-1.2.3-1.src.rpm")
    void sourceRpmIsRecognised(String name) throws Exception {
        Read r = read(Fixtures.rpm(name), ReaderOptions.pureJava());
        assertTrue(r.info.isSourceRpm());
    }
}
