package org.symdex.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.symdex.pkg.Fixtures;
import org.symdex.pkg.PackageEntry;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.PackageInfo;
import org.symdex.pkg.PackageTools;
import org.symdex.pkg.PackageVisitor;
import org.symdex.pkg.RpmReader;

/**
 * Fuzzes the cpio walker ({@code CpioWalker}: newc 070701/070702, rpm's stripped 07070X with names,
 * modes and sizes from the header by file index, hard-link sets held back until their data arrives).
 * The input is the cpio payload alone; the target puts the lead and headers of the uncompressed
 * fixture rpm in front of it, whose header carries the file list the stripped form indexes and no
 * PAYLOADCOMPRESSOR (rpm's w0.ufdio writes none, so the payload is taken by its 07070 magic). The
 * walker is package-private, so this goes through the public {@link RpmReader}, whose only other work
 * on this path is the header read, the same every time. The visitor reads every entry's data to the
 * end and checks the shape the walker promises: installed paths, sizes, hard links after their data.
 * The only documented failure is {@link PackageFormatException}.
 *
 * <p>Seeds, in CpioFuzzTestInputs/walk: {@code rpm2cpio} of the uncompressed fixture rpm (newc with a
 * two-name hard-link set, a symlink and three ELF files), and a small newc archive written by GNU
 * {@code cpio -o -H newc} holding a directory, a file, a symlink and a hard-link pair.
 */
class CpioFuzzTest {
    static {
        FuzzContract.warmUpPackages();
    }

    private static final byte[] HEADERS = PackageTools.rpmHeaders(Fixtures.rpm("symdex-fixture-none-1.2.3-1.x86_64.rpm"));

    @Timeout(10)
    @FuzzTest
    void walk(byte[] input) {
        FuzzContract.check(() -> {
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(HEADERS), new ByteArrayInputStream(input));
            new RpmReader(FuzzContract.readerOptions()).read(in, new Checker());
        }, List.of(PackageFormatException.class));
    }

    /** Reads all data and checks each entry's shape; throws AssertionError (a finding) when one is off. */
    private static final class Checker implements PackageVisitor {
        private final byte[] buf = new byte[8192];
        private final java.util.Set<String> seen = new java.util.HashSet<>();

        @Override
        public boolean onInfo(PackageInfo info) {
            return true;
        }

        @Override
        public void onEntry(PackageEntry e, InputStream data) throws IOException {
            if (!e.path().startsWith("/")) {
                throw new AssertionError("not an installed path: " + e);
            }
            if (e.kind() == PackageEntry.Kind.HARD_LINK && (e.size() != 0 || !seen.contains(e.linkTarget()))) {
                throw new AssertionError("hard link before its data or with data of its own: " + e);
            }
            long n = 0;
            for (int k; (k = data.read(buf)) >= 0; ) {
                n += k;
            }
            if (n != e.size()) {
                throw new AssertionError("read " + n + " bytes of " + e);
            }
            seen.add(e.path());
        }
    }
}
