package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;

/**
 * Debian's own archive, as this machine's apt reaches it (its http proxy, if apt has one): bookworm
 * main's InRelease checked by gpgv against Debian's archive keyring, by-hash Packages.xz parsed, a
 * few small libraries chosen with {@code --package} read over HTTP and verified, then fetched again
 * by {@code apt-get download NAME=VERSION} with the version symdex parsed: the same bytes, and the
 * same capabilities when scanned. Skipped when the archive, the keyring or apt's lists are not there.
 */
@Tag("live")
class LiveDebianTest {
    private static final String ARCHIVE = "http://deb.debian.org/debian/";
    private static final Path KEYRING = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
    private static final List<String> NAMES = List.of("libacl1", "libattr1", "libbz2-1.0", "libpopt0");

    @TempDir
    Path dir;

    /** apt's own http proxy, given to symdex as http_proxy: the archive "as apt reaches it". */
    private static Map<String, String> aptEnvironment() throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(System.getenv());
        String proxy = run(Path.of("/"), "apt-config", "dump", "--format", "%v%n", "Acquire::http::Proxy").strip();
        if (!proxy.isEmpty() && !proxy.equalsIgnoreCase("DIRECT")) {
            env.put("http_proxy", proxy);
        }
        return env;
    }

    private static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "";
        }
        return p.exitValue() == 0 ? out : "";
    }

    @Test
    void bookwormMainOverHttpEqualsAptGetDownload() throws Exception {
        TestRepos.assumeTool("apt-get");
        TestRepos.assumeTool("gpgv");
        assumeTrue(Files.isRegularFile(KEYRING), KEYRING + " not installed (debian-archive-keyring)");
        LongAdder bytes = new LongAdder();
        HttpSettings settings = HttpSettings.defaults(aptEnvironment()).withConnectTimeout(Duration.ofSeconds(10))
                .withStallWindow(Duration.ofSeconds(20)).withListener(bytes::add);
        Fetcher http = Fetchers.standard(settings);
        try (Fetched probe = http.open(URI.create(ARCHIVE + "dists/bookworm/Release.gpg")).orElse(null)) {
            assumeTrue(probe != null, "no Release.gpg at " + ARCHIVE);
        } catch (IOException e) {
            assumeTrue(false, ARCHIVE + " not reachable: " + e.getMessage());
        }

        SourceSpec spec = SourceParser.parseLine("deb [arch=amd64 signed-by=" + KEYRING + "] " + ARCHIVE
                + " bookworm main", SourceDefaults.of("amd64")).specs().get(0);
        SourceReader reader = new SourceReader(http, new SourceFilter(List.of(), NAMES));
        long t0 = System.nanoTime();
        SourceHead head = reader.open(spec);
        assertTrue(head.metadataUri().toString().endsWith("/InRelease"));
        assertFalse(head.notes().stream().anyMatch(n -> n.contains("signature")), "checked against Debian's keyring");
        assertTrue(head.release().orElseThrow().acquireByHash(), "Debian publishes by-hash");
        List<ListedPackage> ps = reader.list(head).packages();
        long listMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(NAMES, ps.stream().map(ListedPackage::name).sorted().toList());

        PackageScanner scanner = PackageScanner.withDefaults();
        for (ListedPackage p : ps) {
            Path ours = dir.resolve("http-" + p.name() + ".deb");
            try (VerifyingInputStream in = VerifyingInputStream.open(http, p); OutputStream o = Files.newOutputStream(ours)) {
                in.transferTo(o);
                assertEquals(p.checksum().hex(), in.verify().sha256());
            }
            Path aptDir = Files.createDirectories(dir.resolve("apt-" + p.name()));
            assumeTrue(!run(Path.of("/"), "apt-cache", "show", p.name() + "=" + p.version()).isEmpty(),
                    "apt's lists do not have " + p.name() + "=" + p.version() + " (apt-get update)");
            run(aptDir, "apt-get", "download", "-q", p.name() + "=" + p.version());
            List<Path> got = new ArrayList<>();
            try (var s = Files.list(aptDir)) {
                s.forEach(got::add);
            }
            assertEquals(1, got.size(), "apt-get download " + p + ": " + got);
            assertEquals(TestRepos.sha256(got.get(0)), TestRepos.sha256(ours), p + ": the same bytes as apt's");
            assertEquals(capabilities(scanner.scan(got.get(0))), capabilities(scanner.scan(ours)));
            assertFalse(capabilities(scanner.scan(ours)).isEmpty(), p + " is a library: it provides something");
        }
        System.out.printf("live: bookworm main amd64 listed in %d ms, %d bytes downloaded in all%n", listMs, bytes.sum());
    }

    private static List<String> capabilities(PackageScan scan) {
        List<String> out = new ArrayList<>();
        for (ScannedFile f : scan.files()) {
            out.add(f.path() + " provides " + f.caps().provides() + " requires " + f.caps().requires());
        }
        return out;
    }
}
