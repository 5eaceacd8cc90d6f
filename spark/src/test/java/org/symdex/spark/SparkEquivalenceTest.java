package org.symdex.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job's index and {@code symdex index}'s, over the same inputs, give the same answers to
 * every question, night after night (issue 17, item 3): a first crawl of walked packages (debs, rpms,
 * a source rpm) and of a Debian source built with apt-ftparchive from real Debian packages; a night
 * with additions, an update, a removal, a move and a label change on both sides; a night with an
 * unreadable package. Spark runs in this JVM, local[2].
 */
class SparkEquivalenceTest {
    @TempDir
    Path tmp;

    @Test
    void threeNightsGiveTheSameAnswers() throws Exception {
        assumeTool("apt-ftparchive");
        Path walk = tmp.resolve("walk");
        Path repo = tmp.resolve("repo");
        Path viaSymdex = tmp.resolve("idx-symdex");
        Path viaSpark = tmp.resolve("idx-spark");
        // Night 1: the walked scenario packages, the fixture debs and rpms of every compression (a source
        // rpm among them), and a source with four real Debian packages.
        copy(walk.resolve("deb"), SparkTestSupport.fixture("scenarios/base/deb"), null);
        copy(walk.resolve("rpm"), SparkTestSupport.fixture("scenarios/base/rpm"), null);
        copy(walk.resolve("fixtures"), SparkTestSupport.fixture("rpm"), ".rpm");
        copy(walk.resolve("fixtures"), SparkTestSupport.fixture("deb"), ".deb");
        publish(repo, List.of("libbz2-1.0_1.0.8-5+b1_amd64.deb", "libexpat1_2.5.0-1+deb12u5_amd64.deb",
                "libzstd1_1.5.4+dfsg2-5_amd64.deb", "zlib1g_1.2.13.dfsg-1_amd64.deb"));
        night(1, walk, repo, viaSymdex, viaSpark, "night/1", 2);

        // Night 2: an addition, an update in place, a removal, a move, all walked packages relabelled;
        // the source adds one package and drops one.
        Files.copy(SparkTestSupport.fixture("scenarios/node-added/deb/libfoo1_1.4-1_amd64.deb"),
                walk.resolve("deb/libfoo1_1.4-1_amd64.deb"));
        Path updated = walk.resolve("rpm/libfoo1-1.0-1.x86_64.rpm");
        Files.copy(SparkTestSupport.fixture("scenarios/soname-bump/rpm/libfoo2-2.0-1.x86_64.rpm"), updated,
                StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(updated, FileTime.fromMillis(1_700_000_000_000L));
        Files.delete(walk.resolve("deb/rteapp_1.0-1_amd64.deb"));
        Files.createDirectories(walk.resolve("moved"));
        Files.move(walk.resolve("deb/barapp_1.0-1_amd64.deb"), walk.resolve("moved/barapp_1.0-1_amd64.deb"));
        publish(repo, List.of("libbz2-1.0_1.0.8-5+b1_amd64.deb", "libexpat1_2.5.0-1+deb12u5_amd64.deb",
                "libffi8_3.4.4-1_amd64.deb", "libzstd1_1.5.4+dfsg2-5_amd64.deb"));
        night(2, walk, repo, viaSymdex, viaSpark, "night/2", 3);

        // Night 3: a package that cannot be read (a deb cut short), and nothing else new.
        byte[] deb = Files.readAllBytes(SparkTestSupport.fixture("scenarios/base/deb/libbar1_1.0-1_amd64.deb"));
        Files.write(walk.resolve("deb/broken_1.0-1_amd64.deb"), java.util.Arrays.copyOf(deb, 300));
        Map<String, String> last = night(3, walk, repo, viaSymdex, viaSpark, "night/2", 5);
        // The answers compared are not empty ones: the cut deb is a failure, the move and the relabel held.
        String failures = last.get("failures --index INDEX --format tsv");
        org.junit.jupiter.api.Assertions.assertTrue(failures.contains("broken_1.0-1_amd64.deb"), failures);
        String provides = last.get("whatprovides --index INDEX --format tsv *");
        org.junit.jupiter.api.Assertions.assertTrue(provides.contains("moved/barapp_1.0-1_amd64.deb")
                || provides.contains("barapp"), provides);
    }

    /** One night on both indexes: same exit code, same summary (times aside), same answers. */
    private static Map<String, String> night(int n, Path walk, Path repo, Path viaSymdex, Path viaSpark, String label,
                              int partitions) {
        String source = "deb [arch=amd64 trusted=yes] " + repo.toUri() + " bookworm main";
        SparkTestSupport.Run a = SparkTestSupport.symdex("index", "--index", viaSymdex.toString(), "--jobs", "2",
                "--prune", "--force-prune", "--label", label, "--source", source, walk.toString());
        SparkTestSupport.Run b = SparkTestSupport.spark(SparkTestSupport.local().setMaster("local[2]"),
                Settings.Hooks.NONE, "--index", viaSpark.toString(), "--partitions", Integer.toString(partitions),
                "--prune", "--force-prune", "--label", label, "--source", source, walk.toString());
        assertEquals(a.code(), b.code(), "night " + n + " exit code\nsymdex: " + a.err() + "\nspark: " + b.err());
        assertEquals(SparkTestSupport.untimed(a.out()), SparkTestSupport.untimed(b.out()), "night " + n + " summary");
        Map<String, String> want = SparkTestSupport.answers(viaSymdex, n > 1);
        Map<String, String> have = SparkTestSupport.answers(viaSpark, n > 1);
        assertEquals(want.keySet(), have.keySet());
        for (String q : want.keySet()) {
            assertEquals(want.get(q), have.get(q), "night " + n + ": " + q);
        }
        return have;
    }

    /** A Debian source in {@code repo}: these real packages in pool/main, Packages and Release by apt-ftparchive. */
    private static void publish(Path repo, List<String> debs) throws IOException, InterruptedException {
        Path pool = repo.resolve("pool/main");
        if (Files.isDirectory(pool)) {
            try (var s = Files.list(pool)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(pool);
        for (String d : debs) {
            Files.copy(SparkTestSupport.fixture("deb/real/" + d), pool.resolve(d));
        }
        Path dist = repo.resolve("dists/bookworm/main/binary-amd64");
        Files.createDirectories(dist);
        Files.writeString(dist.resolve("Packages"), sh(repo, "apt-ftparchive", "--arch", "amd64", "packages", "pool/main"));
        Files.deleteIfExists(repo.resolve("dists/bookworm/Release"));
        String release = sh(repo, "apt-ftparchive", "-o", "APT::FTPArchive::Release::Origin=Debian", "-o",
                "APT::FTPArchive::Release::Codename=bookworm", "-o", "APT::FTPArchive::Release::Suite=stable", "-o",
                "APT::FTPArchive::Release::Architectures=amd64", "-o", "APT::FTPArchive::Release::Components=main",
                "-o", "APT::FTPArchive::Release::Date=" + releaseDate(), "release", "dists/bookworm");
        Files.writeString(repo.resolve("dists/bookworm/Release"), release);
    }

    /** A Release date that moves forward with each publication (a mirror that lags is skipped otherwise). */
    private static String releaseDate() {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(COUNTER++));
    }

    private static int COUNTER;

    private static void copy(Path to, Path from, String suffix) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p) && (suffix == null || p.getFileName().toString().endsWith(suffix))) {
                    Files.copy(p, to.resolve(p.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    static void assumeTool(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            found |= Files.isExecutable(Path.of(dir, tool));
        }
        assumeTrue(found, tool + " not installed");
    }

    private static String sh(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + ": failed");
        }
        return out;
    }
}
