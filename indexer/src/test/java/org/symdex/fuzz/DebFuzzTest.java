package org.symdex.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.symdex.pkg.PackageFormatException;
import org.symdex.scan.PackageScan;
import org.symdex.scan.ScannedFile;
import org.symdex.scan.Warning;

/**
 * Fuzzes the .deb reader (ar, debian-binary, control.tar.*, data.tar.* in every compression, tar)
 * through {@code PackageScanner}, so that ELF entries inside are buffered, parsed and derived as in a
 * real run, under a 32 MiB entry budget. The only documented failure is {@link PackageFormatException}
 * (the scanner's IOException is its visitor's own, i.e. the scratch disk, never the input's).
 *
 * <p>Seeds: the six fixture .debs of fixtures/deb (one per data.tar compression: gzip, xz, zstd,
 * bzip2, lzma, none) and the four small .debs of fixtures/query (amd64, i386, s390x), in
 * DebFuzzTestInputs/scan.
 */
class DebFuzzTest {
    static {
        FuzzContract.warmUpPackages();
    }


    @Timeout(10)
    @FuzzTest
    void scan(byte[] input) {
        FuzzContract.check(() -> touch(FuzzContract.scanner().scan(FuzzContract.packageFile(input))),
                List.of(PackageFormatException.class));
    }

    /** Formats what a CLI would print, so a malformed record would fail here rather than there. */
    static void touch(PackageScan scan) {
        scan.info().toString();
        for (ScannedFile f : scan.files()) {
            for (Warning w : f.warnings()) {
                w.format("fuzz.pkg");
            }
        }
        for (Warning w : scan.warnings()) {
            w.format("fuzz.pkg");
        }
    }
}
