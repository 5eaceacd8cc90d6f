package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's contract where only a real process shows it: a full disk and a closed pipe on
 * stdout, the OS's reason for a refused open, the launcher with no command, the completion script
 * (bash and zsh) and the man page the build makes, and --version.
 */
class CliContractIT {
    @TempDir
    static Path tmp;
    static Path target;
    static Path fixtures;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void paths() {
        target = CliTestSupport.root().resolve("query-cli/target");
        fixtures = CliTestSupport.root().resolve("fixtures");
        assertTrue(Files.isExecutable(target.resolve("symdex")), "run mvn package first");
    }

    static Result sh(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -o pipefail; " + script);
        pb.environment().put("S", target.resolve("symdex").toString());
        pb.environment().put("SYMDEX_CDS", "0");
        pb.environment().put("FX", fixtures.toString());
        pb.environment().put("T", tmp.toString());
        pb.environment().remove("SYMDEX_JAVA_OPTS");
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "timed out: " + script);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** A full disk used to exit 0 having written nothing. */
    @Test
    void aFailedWriteToStdoutIsSaidAndExitsTwo() throws Exception {
        Result r = sh("$S deps \"$FX/deb/real\" > /dev/full");
        assertEquals(2, r.code(), r.err());
        assertEquals("symdex: cannot write output: No space left on device", r.err().strip());
    }

    /**
     * A closed pipe ends the output silently with the command's own exit code, and stops the work: the
     * run over many packages ends at once instead of reading them all.
     */
    @Test
    void aClosedPipeEndsOutputAndWorkSilently() throws Exception {
        // The first input is the largest, so it is read first (largest first) and printed at once;
        // head exits after that line, and the next write finds the pipe closed.
        Path many = Files.createDirectories(tmp.resolve("many"));
        Files.copy(fixtures.resolve("deb/real/libzstd1_1.5.4+dfsg2-5_amd64.deb"), many.resolve("000-first.deb"));
        for (int i = 1; i <= 600; i++) {
            Files.copy(fixtures.resolve("deb/real/zlib1g_1.2.13.dfsg-1_amd64.deb"),
                    many.resolve(String.format(Locale.ROOT, "%03d-zlib.deb", i)));
        }
        long t0 = System.nanoTime();
        Result all = sh("$S deps --jobs 1 --format tsv \"$T/many\" | wc -l");
        long full = System.nanoTime() - t0;
        assertEquals(0, all.code(), all.err());
        t0 = System.nanoTime();
        Result head = sh("$S deps --jobs 1 --format tsv \"$T/many\" | head -1");
        long cut = System.nanoTime() - t0;
        assertEquals(0, head.code(), head.err());
        assertEquals("", head.err());
        assertEquals(1, head.out().lines().count());
        // Reading all 600 packages takes several times a JVM's start; stopping at the closed pipe, a
        // fraction of that. The margin is wide: this checks "stops", not a speed.
        assertTrue(cut < full / 2, "head -1 took " + cut / 1_000_000 + " ms, the whole run " + full / 1_000_000 + " ms");
        Result findings = sh("$S whatprovides --index \"$T/none\" x | head -1");
        assertEquals(2, findings.code()); // its own code, through the pipe
    }

    /** "cannot open: FILE" used to drop the reason. */
    @Test
    void aRefusedOpenSaysPermissionDenied() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v setpriv && [ \"$(id -u)\" = 0 ]").start().waitFor() == 0,
                "needs root and setpriv to run as another user");
        Path dir = Files.createDirectories(tmp.resolve("private"));
        Path deb = dir.resolve("zlib.deb");
        Files.copy(fixtures.resolve("deb/real/zlib1g_1.2.13.dfsg-1_amd64.deb"), deb);
        Files.setPosixFilePermissions(deb, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The jar where nobody can read it whatever the checkout's permissions (mktemp -d makes 0700).
        Path jar = tmp.resolve("symdex.jar");
        Files.copy(target.resolve("symdex.jar"), jar);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Result r = sh("setpriv --reuid=nobody --regid=nogroup --clear-groups java -jar " + jar
                + " deps \"$T/private/zlib.deb\"");
        assertEquals(2, r.code(), r.err());
        assertEquals("symdex: " + deb + ": cannot open: Permission denied", r.err().strip());
    }

    @Test
    void theLauncherWithNoCommandListsThemAndExitsTwo() throws Exception {
        Result r = sh("$S");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("symdex: a command is needed; the commands are:"), r.err());
    }

    @Test
    void versionSaysTheCommitTheDateAndTheIndexItReads() throws Exception {
        Result r = sh("$S --version");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("symdex \\S+ \\(commit [0-9a-f]{12}(-dirty)?, \\d{4}-\\d{2}-\\d{2}\\)"),
                lines.get(0));
        assertTrue(lines.get(1).matches("index: schema \\d+, extractor \\d+ \\(read and written\\)"), lines.get(1));
    }

    @Test
    void theManPageIsCleanTroff() throws Exception {
        Path page = target.resolve("symdex.1");
        assertTrue(Files.isRegularFile(page), "mvn package makes " + page);
        Result groff = sh("groff -man -ww -z " + page);
        assertEquals(0, groff.code(), groff.err());
        assertEquals("", groff.err());
        Result text = sh("MANWIDTH=80 man -l " + page + " | col -b");
        for (String c : Symdex.SUBCOMMANDS.keySet()) {
            if (!c.equals("help")) {
                assertTrue(text.out().contains("symdex " + c), c + " missing from the man page");
            }
        }
        assertTrue(text.out().contains("--max-prune"), "options are in the page");
    }

    /** The completion the build makes offers every subcommand and --format's values, in bash and zsh. */
    @Test
    void completionOffersEverySubcommandAndTheFormats() throws Exception {
        Path script = target.resolve("symdex_completion");
        assertTrue(Files.isRegularFile(script), "mvn package makes " + script);
        // As bash calls the function (and zsh's bashcompinit: COMP_WORDS as a zsh array, COMP_CWORD the
        // 0-based index of the word under the cursor).
        String probe = "source " + script + "; f=_complete_symdex; [ -n \"$ZSH_VERSION\" ] && f=_symdex_zsh; "
                + "COMP_WORDS=(symdex \"\"); COMP_CWORD=1; COMP_LINE='symdex '; COMP_POINT=${#COMP_LINE}; "
                + "$f symdex '' symdex; echo \"${COMPREPLY[@]}\"; "
                + "COMP_WORDS=(symdex deps --format \"\"); COMP_CWORD=3; COMP_LINE='symdex deps --format '; "
                + "COMP_POINT=${#COMP_LINE}; $f symdex '' --format; echo \"${COMPREPLY[@]}\"";
        List<String> shells = new ArrayList<>(List.of("bash"));
        if (new ProcessBuilder("sh", "-c", "command -v zsh").start().waitFor() == 0) {
            shells.add("zsh");
        }
        for (String shell : shells) {
            String init = shell.equals("zsh") ? "autoload -U +X compinit && compinit -u; " : "";
            Result r = sh(shell + " -c " + quote(init + probe) + " 2>/dev/null");
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size(), shell + ": " + r.out() + r.err());
            List<String> commands = List.of(lines.get(0).split(" "));
            for (String c : Symdex.SUBCOMMANDS.keySet()) {
                assertTrue(commands.contains(c), shell + ": " + c + " not offered: " + commands);
            }
            assertEquals(List.of("text", "tsv", "json"), List.of(lines.get(1).split(" ")), shell);
        }
    }

    /** An index run out of heap: one line that says what to do and what was committed, exit 2. */
    @Test
    void outOfMemoryIsOneLineAndExitTwo() throws Exception {
        Result r = sh("SYMDEX_JAVA_OPTS=-Xmx8m $S index --index \"$T/oom-idx\" \"$FX\"");
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().lines().filter(l -> !l.contains("source package")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).matches("symdex: out of memory \\(heap \\d+ MiB\\); raise it with "
                + "SYMDEX_JAVA_OPTS=-Xmx\\d+m; \\d+ of \\d+ packages of this run committed"), lines.get(0));
    }

    /**
     * The README's nightly recipe, as it stands, under faketime: a first night, a second run the same day
     * and the next day's night, on one index whose nights are commits.
     */
    @Test
    void theReadmeNightlyRecipeWorksFromTheFirstNight() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v faketime && command -v apt-ftparchive").start().waitFor() == 0,
                "faketime or apt-ftparchive is not installed (apt-get install faketime apt-utils; .ci/run does)");
        String readme = Files.readString(CliTestSupport.root().resolve("README.md"));
        int at = readme.indexOf("```sh", readme.indexOf("## Nightly recipe"));
        String recipe = readme.substring(at + 5, readme.indexOf("```", at + 5));
        Path home = Files.createDirectories(tmp.resolve("cron"));
        Files.createDirectories(home.resolve("query-cli/target"));
        Files.createSymbolicLink(home.resolve("query-cli/target/symdex"), target.resolve("symdex"));
        Files.writeString(home.resolve("recipe.sh"), recipe);
        // One mirror, updated in place between nights, as a mirror is: a pool and bookworm's Packages and
        // Release, written by apt-ftparchive.
        Path mirror = Files.createDirectories(tmp.resolve("mirror"));
        Path pool = Files.createDirectories(mirror.resolve("pool/main"));
        try (var s = Files.list(fixtures.resolve("scenarios/base/deb"))) {
            for (Path p : s.toList()) {
                Files.copy(p, pool.resolve(p.getFileName()));
            }
        }
        String publish = "cd " + mirror + " && mkdir -p dists/bookworm/main/binary-amd64 && apt-ftparchive packages pool/main "
                + "| xz > dists/bookworm/main/binary-amd64/Packages.xz && apt-ftparchive -o APT::FTPArchive::Release::Origin=Debian "
                + "-o APT::FTPArchive::Release::Codename=bookworm -o APT::FTPArchive::Release::Architectures=amd64 "
                + "-o APT::FTPArchive::Release::Components=main release dists/bookworm > Release.new "
                + "&& mv Release.new dists/bookworm/Release";
        assertEquals(0, sh(publish).code());
        // The clock of the shell, date and the JVM alike, starting at the given instant and ticking.
        // (FAKETIME_DONT_FAKE_MONOTONIC=1 would make every JVM start take seconds.)
        String run = "cd " + home + " && TZ=UTC MIRROR=" + mirror + " faketime -f '@%s' bash recipe.sh";
        Result first = sh(String.format(run, "2026-11-30 21:00:00"));
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.err().contains("symdex: nightly: first night, nothing to compare"), first.err());
        Result again = sh(String.format(run, "2026-11-30 23:30:00"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("unchanged since the last run (7 packages)"), again.out() + again.err());
        assertTrue(again.err().contains("first night, nothing to compare"), again.err()); // still no yesterday
        Files.delete(pool.resolve("libfoo1_1.0-1_amd64.deb"));
        Files.copy(fixtures.resolve("scenarios/node-removed/deb/libfoo1_1.1-1_amd64.deb"),
                pool.resolve("libfoo1_1.1-1_amd64.deb"));
        assertEquals(0, sh(publish).code());
        Result next = sh(String.format(run, "2026-12-01 00:30:00"));
        assertEquals(1, next.code(), next.out() + next.err()); // diff: something newly broke
        assertTrue(next.out().contains("added 1, skipped 6, replaced 0, removed 1,"), next.out() + next.err());
        String report = Files.readString(home.resolve("reports/2026-12-01.txt"));
        assertTrue(report.startsWith("packages: 0 added, 0 removed, 1 updated"), report);
        assertTrue(report.contains("libfoo.so.1(LIBFOO_1.0)(64bit)"), report);
        assertTrue(report.contains("fooapp"), report);
        // The same day again compares with yesterday's last night still, not with the first run of today.
        Result later = sh(String.format(run, "2026-12-01 06:00:00"));
        assertEquals(1, later.code(), later.out() + later.err());
        assertTrue(Files.readString(home.resolve("reports/2026-12-01.txt")).contains("libfoo.so.1(LIBFOO_1.0)(64bit)"));
        Result info = sh("cd " + home + " && $S info --index nightly --format json");
        assertTrue(info.out().contains("\"nights\":["), info.out());
        assertEquals(4, info.out().split("\"generation\"", -1).length - 1, info.out());
        Result old = sh("cd " + home + " && $S info --index nightly@2026-11-29");
        assertEquals(2, old.code());
        assertTrue(old.err().contains("symdex: nightly@2026-11-29: no kept night on or before that day (kept: "
                + "2026-11-30 .. 2026-12-01)"), old.err());
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.ISO_8859_1);
    }
}
