package org.symdex.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.symdex.source.Fetched;
import org.symdex.source.Fetcher;
import org.symdex.source.ListedPackage;
import org.symdex.source.SourceDefaults;
import org.symdex.source.SourceException;
import org.symdex.source.SourceFilter;
import org.symdex.source.SourceListing;
import org.symdex.source.SourceParser;
import org.symdex.source.SourceReader;
import org.symdex.source.SourceSpec;

/**
 * Fuzzes the repository metadata parsers (repository issue, item 2): what a hostile mirror can put in
 * front of symdex. The input is served from memory by a {@link Fetcher}, so every run goes through the
 * public {@link SourceReader} as a run does:
 * <ul>
 * <li>{@code deb}: the first byte picks the part fuzzed. Even: the input is the Packages file, and the
 * Release around it lists it with its true size and SHA-256, so the parser (not the checksum) sees every
 * input. Odd: the input is the InRelease itself, with a Packages file it may or may not list.</li>
 * <li>{@code rpmMd}: the same for rpm-md: the primary.xml listed by a fixed repomd.xml with its true
 * checksum (even), or the repomd.xml itself (odd).</li>
 * </ul>
 * The only documented failure is {@link SourceException}; every listed package must satisfy the listing's
 * invariants (relative path, non-negative size), which {@link ListedPackage}'s constructor asserts.
 *
 * <p>Seeds: a Packages file written by apt-ftparchive and a primary.xml written by createrepo_c, both
 * over the fixture packages, in SourceFuzzTestInputs.
 */
class SourceFuzzTest {
    private static final String BASE = "file:/fuzz/";
    private static final byte[] PACKAGES_OK = ("Package: a\nVersion: 1\nArchitecture: amd64\nFilename: pool/a.deb\n"
            + "Size: 10\nSHA256: " + "0".repeat(64) + "\n").getBytes(StandardCharsets.UTF_8);

    static {
        // The first read loads the XML stack, the decoders and the parsers' classes: hundreds of MiB and
        // seconds that are the JVM's, not an input's. Done once before any input is measured.
        SourceFuzzTest t = new SourceFuzzTest();
        for (int i = 0; i < 3; i++) {
            for (byte first : new byte[] {0, 1}) {
                byte[] in = new byte[] {first};
                try {
                    t.deb(in);
                    t.rpmMd(in);
                } catch (AssertionError e) {
                    // warming up: the contract is checked on the real inputs
                }
            }
        }
    }

    @Timeout(10)
    @FuzzTest
    void deb(byte[] input) {
        FuzzContract.check(() -> {
            boolean release = input.length > 0 && (input[0] & 1) == 1;
            byte[] body = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
            byte[] packages = release ? PACKAGES_OK : body;
            byte[] inRelease = release ? body : release(packages);
            Map<String, byte[]> files = Map.of(
                    BASE + "dists/bookworm/InRelease", inRelease,
                    BASE + "dists/bookworm/main/binary-amd64/Packages", packages);
            SourceSpec spec = SourceParser.parseLine("deb [arch=amd64] " + BASE + " bookworm main",
                    SourceDefaults.of("amd64")).specs().get(0);
            check(new SourceReader(memory(files), SourceFilter.none()).read(spec));
        }, List.of(SourceException.class));
    }

    @Timeout(10)
    @FuzzTest
    void rpmMd(byte[] input) {
        FuzzContract.check(() -> {
            boolean repomd = input.length > 0 && (input[0] & 1) == 1;
            byte[] body = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
            byte[] primary = repomd ? "<metadata packages=\"0\"/>".getBytes(StandardCharsets.UTF_8) : body;
            byte[] md = repomd ? body : repomd(primary);
            Map<String, byte[]> files = Map.of(BASE + "repodata/repomd.xml", md, BASE + "repodata/primary.xml", primary);
            SourceSpec spec = SourceParser.parseLine("rpm-md [id=fuzz arch=x86_64] " + BASE,
                    SourceDefaults.of("amd64")).specs().get(0);
            check(new SourceReader(memory(files), SourceFilter.none()).read(spec));
        }, List.of(SourceException.class));
    }

    private static void check(SourceListing l) {
        for (ListedPackage p : l.packages()) {
            if (p.size() < 0 || p.path().startsWith("/") || p.labels().isEmpty()) {
                throw new AssertionError("listing invariant broken: " + p);
            }
            p.uri(); // resolvable
        }
    }

    private static Fetcher memory(Map<String, byte[]> files) {
        return (URI uri) -> {
            byte[] b = files.get(uri.toString());
            return b == null ? Optional.empty() : Optional.of(new Fetched(new ByteArrayInputStream(b), b.length));
        };
    }

    private static byte[] release(byte[] packages) {
        String text = "Origin: Debian\nCodename: bookworm\nSuite: stable\nArchitectures: amd64\nComponents: main\n"
                + "SHA256:\n " + sha256(packages) + " " + packages.length + " main/binary-amd64/Packages\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] repomd(byte[] primary) {
        String text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">"
                + "<revision>1</revision><data type=\"primary\"><checksum type=\"sha256\">" + sha256(primary)
                + "</checksum><location href=\"repodata/primary.xml\"/><size>" + primary.length + "</size>"
                + "<open-size>" + primary.length + "</open-size></data></repomd>\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
