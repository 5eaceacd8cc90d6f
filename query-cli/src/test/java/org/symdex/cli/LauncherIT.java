package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, query-cli/target/symdex (src/main/sh/symdex), run as a user runs it: same answers as
 * {@code java -jar symdex.jar}, the JVM flags it promises per command, and its class-data sharing
 * archive made once, used afterwards, and never able to break a run. Runs after {@code package}
 * (the integration-test phase), on a copy of the launcher and jar in a temporary directory.
 */
class LauncherIT {
    static final String CAP = "libfoo.so.1(LIBFOO_1.0)(64bit)";

    @TempDir
    static Path tmp;
    static Path target;
    static Path index;

    @BeforeAll
    static void buildIndex() throws Exception {
        target = CliTestSupport.root().resolve("query-cli/target");
        assertTrue(Files.isExecutable(target.resolve("symdex")), "run mvn package first: no " + target.resolve("symdex"));
        index = tmp.resolve("index");
        Path install = install("for-index");
        Result r = run(install, Map.of(), "index", "--index", index.toString(),
                CliTestSupport.root().resolve("fixtures/query").toString());
        assertEquals(0, r.code, r.toString());
    }

    record Result(int code, String out, String err) {
    }

    /** A fresh copy of the launcher and the jar, as a release engineer would install them. */
    static Path install(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(target.resolve("symdex"), dir.resolve("symdex"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(target.resolve("symdex.jar"), dir.resolve("symdex.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        return dir;
    }

    static Result run(Path install, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(install.resolve("symdex").toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, env);
    }

    static Result javaJar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", target.resolve("symdex.jar").toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of());
    }

    static Result exec(List<String> cmd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> e = pb.environment();
        e.remove("SYMDEX_JAVA_OPTS");
        e.remove("SYMDEX_CDS");
        e.remove("SYMDEX_CDS_DIR");
        e.remove("JAVA_TOOL_OPTIONS");
        e.put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
        e.putAll(env);
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    static List<String> archives(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".jsa")).sorted().toList();
        }
    }

    @Test
    void answersAsJavaJarDoesAndKeepsItsArchive() throws Exception {
        Path install = install("first-use");
        String[][] calls = {{"--version"}, {"whatrequires", "--help"}, {"whatprovides", "--index", index.toString(), CAP}};
        for (String[] args : calls) {
            assertEquals(javaJar(args), run(install, Map.of(), args), String.join(" ", args));
        }
        // --version and --help do not make the archive; the query, the first to read an index, did.
        List<String> made = archives(install);
        assertEquals(1, made.size(), made.toString());
        assertTrue(made.get(0).matches("symdex-[0-9-]+\\.jsa"), made.toString());

        // Used from then on: the classes of symdex, picocli and Lucene come from the archive.
        Path log = tmp.resolve("classes.log");
        String[] q = {"whatrequires", "--index", index.toString(), "--format", "tsv", CAP};
        Result expected = javaJar(q);
        assertEquals(expected, run(install, Map.of("SYMDEX_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), q));
        String classes = Files.readString(log);
        for (String c : List.of("org.symdex.cli.Symdex", "picocli.CommandLine", "org.apache.lucene.index.DirectoryReader")) {
            assertTrue(classes.contains(c + " source: shared objects file"), c + " not from the archive");
        }
        assertEquals(made, archives(install));

        // A damaged archive only costs speed.
        Path archive = install.resolve(made.get(0));
        for (byte[] bytes : List.of("garbage".getBytes(StandardCharsets.US_ASCII), new byte[0],
                Files.readAllBytes(install.resolve("symdex.jar")))) {
            Files.delete(archive); // the JVM writes it read-only
            Files.write(archive, bytes);
            assertEquals(expected, run(install, Map.of(), q));
        }
        // A rebuilt jar (another mtime) gets an archive of its own, which replaces this jar's old one.
        Files.setLastModifiedTime(install.resolve("symdex.jar"),
                FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        assertEquals(expected, run(install, Map.of(), q));
        List<String> now = archives(install);
        assertEquals(1, now.size(), now.toString());
        assertNotEquals(made, now);
    }

    /**
     * Cron runs without LANG: the launcher sets C.UTF-8, and names that are not UTF-8 at all are read and
     * shown with their bytes either way (faults issue, item 2).
     */
    @Test
    void namesAreReadWithoutALocaleAndShownWithTheirBytes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("names"));
        Path deb = CliTestSupport.root().resolve("fixtures/deb/real/zlib1g_1.2.13.dfsg-1_amd64.deb");
        Files.copy(deb, dir.resolve("caf\u00e9.deb"));
        Files.copy(deb, Path.of(java.net.URI.create(dir.toUri() + "z%FFq.deb")));
        Path install = install("no-locale");
        for (boolean launcher : List.of(true, false)) {
            List<String> cmd = launcher ? new ArrayList<>(List.of(install.resolve("symdex").toString()))
                    : new ArrayList<>(List.of("java", "-jar", install.resolve("symdex.jar").toString()));
            cmd.addAll(List.of("deps", "--format", "tsv", dir.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_") || k.startsWith("SYMDEX_")
                    || k.equals("JAVA_TOOL_OPTIONS"));
            pb.environment().put("XDG_CACHE_HOME", tmp.resolve("xdg-cache").toString());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertEquals(0, p.waitFor(), err);
            List<String> sources = new String(out, StandardCharsets.UTF_8).lines().map(l -> l.split("\t")[0])
                    .distinct().toList();
            // tsv writes a backslash as \\: the name's \xff is its byte 0xff, shown
            assertEquals(List.of(dir + "/caf\u00e9.deb", dir + "/z\\\\xffq.deb"), sources, "launcher " + launcher);
        }
    }

    /** A nightly cron may run only index and diff: diff makes the archive as a query does; deps does not. */
    @Test
    void diffMakesTheArchiveToo() throws Exception {
        Path install = install("diff-first");
        String[] deps = {"deps", CliTestSupport.root().resolve("fixtures/deb/symdex-fixture-xz.deb").toString()};
        assertEquals(javaJar(deps), run(install, Map.of(), deps));
        assertEquals(List.of(), archives(install));
        String[] diff = {"diff", index.toString(), index.toString()};
        Result expected = javaJar(diff);
        assertEquals(0, expected.code(), expected.err());
        assertEquals(expected, run(install, Map.of(), diff));
        assertEquals(1, archives(install).size());
        assertEquals(expected, run(install, Map.of(), diff)); // and uses it
    }

    @Test
    void noWritableArchiveDirectoryRunsWithoutOne() throws Exception {
        Path install = install("read-only");
        String[] q = {"whatprovides", "--index", index.toString(), CAP};
        Result expected = javaJar(q);
        assertEquals(expected, run(install, Map.of("SYMDEX_CDS_DIR", "/proc/symdex-cannot-be-here"), q));
        assertEquals(expected, run(install, Map.of("SYMDEX_CDS", "0"), q));
        assertEquals(List.of(), archives(install));
        // An install directory the user cannot write: the archive goes to the user's cache instead.
        Path cache = tmp.resolve("ro-cache");
        install.toFile().setWritable(false, false);
        try {
            if (!Files.isWritable(install)) { // root writes anywhere; then there is nothing to check
                assertEquals(expected, run(install, Map.of("XDG_CACHE_HOME", cache.toString()), q));
                assertEquals(1, archives(cache.resolve("symdex")).size());
            }
        } finally {
            install.toFile().setWritable(true, false);
        }
    }

    @Test
    void concurrentFirstRunsAgreeAndLeaveOneArchive() throws Exception {
        Path install = install("concurrent");
        String[] q = {"whatrequires", "--index", index.toString(), "--format", "tsv", CAP};
        Result expected = javaJar(q);
        List<Process> ps = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> cmd = new ArrayList<>(List.of(install.resolve("symdex").toString()));
            cmd.addAll(List.of(q));
            Path out = tmp.resolve("concurrent-" + i + ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectErrorStream(true);
            pb.environment().remove("SYMDEX_JAVA_OPTS");
            ps.add(pb.start());
            outs.add(out);
        }
        for (int i = 0; i < ps.size(); i++) {
            assertTrue(ps.get(i).waitFor(120, TimeUnit.SECONDS));
            assertEquals(expected.code(), ps.get(i).exitValue());
            assertEquals(expected.out() + expected.err(), Files.readString(outs.get(i), StandardCharsets.ISO_8859_1));
        }
        List<String> left = archives(install);
        assertEquals(1, left.size(), "one archive and no temporary files: " + left);
    }

    @Test
    void shortCommandsRunC1AndSerialGcLongOnesKeepTheDefaults() throws Exception {
        Path install = install("flags");
        Map<String, String> env = new HashMap<>(Map.of("SYMDEX_JAVA_OPTS", "-XX:+PrintFlagsFinal", "SYMDEX_CDS", "0"));
        for (String[] args : new String[][] {{"whatrequires", "--index", index.toString(), CAP}, {"--verbose", "info", "--help"},
                {"whatimports", "--help"}, {"whatexports", "--help"}, {"why", "--help"}}) {
            Map<String, String> flags = flags(run(install, env, args).out());
            assertEquals("1", flags.get("TieredStopAtLevel"), String.join(" ", args));
            assertEquals("true", flags.get("UseSerialGC"), String.join(" ", args));
        }
        for (String[] args : new String[][] {{"index", "--help"}, {"upgrade-report", "--help"}}) {
            Map<String, String> flags = flags(run(install, env, args).out());
            assertEquals("4", flags.get("TieredStopAtLevel"), String.join(" ", args));
            assertEquals("false", flags.get("UseSerialGC"), String.join(" ", args));
        }
        Map<String, String> diffFlags = flags(run(install, env, "--verbose", "diff", "--help").out());
        assertEquals("1", diffFlags.get("TieredStopAtLevel"));
        assertEquals("true", diffFlags.get("UseParallelGC"));
        // A collector of the user's choosing is not fought with; other -XX:+Use... options keep ours.
        env.put("SYMDEX_JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:+UseParallelGC");
        Map<String, String> flags = flags(run(install, env, "--version").out());
        assertEquals("true", flags.get("UseParallelGC"));
        env.put("SYMDEX_JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:+UseCompressedOops -XX:+DisableExplicitGC");
        flags = flags(run(install, env, "--version").out());
        assertEquals("true", flags.get("UseSerialGC"));
        assertEquals("true", flags.get("DisableExplicitGC"));
    }

    /** name → value from -XX:+PrintFlagsFinal's lines ({@code type name = value {kind} {origin}}). */
    static Map<String, String> flags(String out) {
        Map<String, String> m = new HashMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[2].equals("=")) {
                m.put(f[1], f[3]);
            }
        }
        return m;
    }
}
