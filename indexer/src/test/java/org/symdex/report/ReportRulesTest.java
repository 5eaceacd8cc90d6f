package org.symdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.symdex.cap.Scope;

/**
 * Two rules found on real Debian 12 -> 13 updates (docs/reports.md), on archives small enough to read:
 * which file a candidate's file replaces, and unversioned imports in a closure that misses a library.
 * The scenario packages (UpgradeScenarioTest) cover binding itself with real ELF files.
 */
class ReportRulesTest {
    private static final Scope X64 = Scope.parse("x86-64/64");

    private static FileFacts lib(PackageRef p, String path, String soname, List<String> needed,
                                 List<FileFacts.Export> exports, List<FileFacts.Import> imports) {
        return new FileFacts(p, path, X64, soname, needed, false, List.of(soname + "()(64bit)"),
                needed.stream().map(n -> n + "()(64bit)").toList(), exports, imports);
    }

    private static PackageRef pkg(String name, String version) {
        return new PackageRef(name, version, "amd64", name, "/m/" + name + "_" + version + ".deb");
    }

    private static List<String> findings(MemoryArchive before, PackageRef candidate, FileFacts... files) throws Exception {
        return UpgradeReport.compute(before, List.of(new UpgradeReport.Candidate(candidate, List.of(files), List.of())),
                Set.of(), false).findings().stream().map(f -> f.path() + " " + f.missing() + " " + f.reason().keyword()).toList();
    }

    /**
     * libtiff.so.6.0.0 in /lib becomes libtiff.so.6.1.0 in /usr/lib: the same library, so what it
     * already missed (here an import from nowhere) is not new.
     */
    @Test
    void aRenamedOrUsrMovedFileReplacesTheFileWithItsSoname() throws Exception {
        PackageRef c = pkg("libc6", "1");
        FileFacts libc = lib(c, "/usr/lib/libc.so.6", "libc.so.6", List.of(),
                List.of(new FileFacts.Export("memcpy", null, 1, false)), List.of());
        PackageRef t1 = pkg("libtiff6", "1");
        FileFacts tiff1 = lib(t1, "/lib/libtiff.so.6.0.0", "libtiff.so.6", List.of("libc.so.6"), List.of(),
                List.of(new FileFacts.Import("memcpy", null, null, false, false),
                        new FileFacts.Import("from_the_executable", null, null, false, false)));
        MemoryArchive before = new MemoryArchive();
        before.add(c, List.of(libc), List.of());
        before.add(t1, List.of(tiff1), List.of());
        PackageRef t2 = pkg("libtiff6", "2");
        List<FileFacts.Import> imports = List.of(new FileFacts.Import("memcpy", null, null, false, false),
                new FileFacts.Import("from_the_executable", null, null, false, false),
                new FileFacts.Import("really_new", null, null, false, false));
        assertEquals(List.of("/usr/lib/libtiff.so.6.1.0 really_new unversioned-symbol-removed"),
                findings(before, t2, lib(t2, "/usr/lib/libtiff.so.6.1.0", "libtiff.so.6", List.of("libc.so.6"),
                        List.of(), imports)));
        assertEquals("/usr/lib/x86_64-linux-gnu/libthread_db.so.1",
                UpgradeReport.mergedUsrPath("/lib/x86_64-linux-gnu/libthread_db.so.1"));
        assertEquals("/usr/lib64/ld-linux-x86-64.so.2", UpgradeReport.mergedUsrPath("/lib64/ld-linux-x86-64.so.2"));
        assertEquals("/usr/sbin/x", UpgradeReport.mergedUsrPath("/sbin/x"));
        assertEquals("/library/x", UpgradeReport.mergedUsrPath("/library/x"));
        assertEquals("/usr/lib/x", UpgradeReport.mergedUsrPath("/usr/lib/x"));
    }

    /**
     * A new libcurl needs libbrotlidec.so.1, which the archive lacks: the missing library is the
     * finding, not each unversioned symbol it would have defined. A versioned import still names its
     * library, so it is judged as before.
     */
    @Test
    void unversionedImportsOfAClosureMissingALibraryAreTheLibrarysFinding() throws Exception {
        PackageRef c = pkg("libc6", "1");
        FileFacts libc = lib(c, "/usr/lib/libc.so.6", "libc.so.6", List.of(),
                List.of(new FileFacts.Export("memcpy", null, 1, false)), List.of());
        MemoryArchive before = new MemoryArchive();
        before.add(c, List.of(libc), List.of());
        PackageRef curl = pkg("libcurl4t64", "8");
        FileFacts f = lib(curl, "/usr/lib/libcurl.so.4", "libcurl.so.4", List.of("libc.so.6", "libbrotlidec.so.1"),
                List.of(), List.of(new FileFacts.Import("BrotliDecoderCreateInstance", null, null, false, false),
                        new FileFacts.Import("memcpy", null, null, false, false)));
        assertEquals(List.of("/usr/lib/libcurl.so.4 libbrotlidec.so.1()(64bit) new-package-unsatisfied"),
                findings(before, curl, f));
        // Complete closure: the same import is a finding of its own.
        FileFacts g = lib(curl, "/usr/lib/libcurl.so.4", "libcurl.so.4", List.of("libc.so.6"), List.of(),
                List.of(new FileFacts.Import("BrotliDecoderCreateInstance", null, null, false, false)));
        assertEquals(List.of("/usr/lib/libcurl.so.4 BrotliDecoderCreateInstance unversioned-symbol-removed"),
                findings(before, curl, g));
        assertEquals(Map.of(), ClosureCheck.problems(libc, before));
    }
}
