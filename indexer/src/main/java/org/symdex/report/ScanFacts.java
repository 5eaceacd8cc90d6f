package org.symdex.report;

import org.symdex.index.IndexException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.symdex.index.Schema;
import org.symdex.pkg.Dependency;
import org.symdex.pkg.PackageFormat;
import org.symdex.pkg.PackageInfo;
import org.symdex.scan.PackageScan;
import org.symdex.scan.ScannedFile;

/** Turns scanned packages into report facts. */
public final class ScanFacts {
    private ScanFacts() {
    }

    /** Debian: the version verbatim ([epoch:]upstream[-revision]); RPM: [EPOCH:]VERSION-RELEASE. */
    public static String version(PackageInfo info) {
        return Schema.evr(info.epoch(), info.version(), info.release());
    }

    public static PackageRef ref(PackageInfo info, Path file) {
        return ref(info, file.toAbsolutePath().normalize().toString());
    }

    /** As {@link #ref(PackageInfo, Path)}, for a package known by its URI (a source's). */
    public static PackageRef ref(PackageInfo info, String file) {
        return new PackageRef(info.name(), version(info), info.arch(), sourceName(info), file);
    }

    /** The source package's name, as the index stores it, so that two builds of one source compare equal. */
    public static String sourceName(PackageInfo info) {
        return Schema.sourceName(info);
    }

    /**
     * The package as a report input. Declared provides count for RPM only: Debian's Provides name virtual
     * packages, a different namespace from ELF capabilities.
     */
    public static UpgradeReport.Candidate candidate(Path file, PackageScan scan) {
        return candidate(file.toAbsolutePath().normalize().toString(), scan);
    }

    /** As {@link #candidate(Path, PackageScan)}, for a package known by its URI (a source's). */
    public static UpgradeReport.Candidate candidate(String file, PackageScan scan) {
        PackageRef ref = ref(scan.info(), file);
        List<FileFacts> files = new ArrayList<>();
        for (ScannedFile f : scan.files()) {
            files.add(FileFacts.of(ref, f));
        }
        List<String> declared = new ArrayList<>();
        if (scan.info().format() == PackageFormat.RPM) {
            for (Dependency d : scan.info().provides()) {
                declared.add(d.name());
            }
        }
        return new UpgradeReport.Candidate(ref, files, declared);
    }

    /** A whole archive state in memory, from scanned packages. */
    public static MemoryArchive archive(List<UpgradeReport.Candidate> packages) throws IndexException {
        MemoryArchive a = new MemoryArchive();
        for (UpgradeReport.Candidate c : packages) {
            a.add(c.pkg(), c.files(), c.declaredProvides());
        }
        return a;
    }
}
