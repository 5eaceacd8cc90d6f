package org.symdex.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.symdex.pkg.PackageFormatException;

/**
 * Fuzzes the rpm reader: the lead, the signature and main headers ({@code RpmHeader}: index entries,
 * data store, typed reads of NAME, EPOCH, the PROVIDE and REQUIRE triples, PAYLOADCOMPRESSOR), the
 * payload decoders and the cpio payload, through {@code PackageScanner} under a 32 MiB entry budget.
 * The only documented failure is {@link PackageFormatException}.
 *
 * <p>Seeds: the binary fixture rpms of fixtures/rpm (payloads gzip, xz, zstd, bzip2, lzma and none)
 * and the source rpm, in RpmFuzzTestInputs/scan.
 */
class RpmFuzzTest {
    static {
        FuzzContract.warmUpPackages();
    }


    @Timeout(10)
    @FuzzTest
    void scan(byte[] input) {
        FuzzContract.check(() -> DebFuzzTest.touch(FuzzContract.scanner().scan(FuzzContract.packageFile(input))),
                List.of(PackageFormatException.class));
    }
}
