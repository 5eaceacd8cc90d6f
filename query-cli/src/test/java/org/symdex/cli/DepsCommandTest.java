package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** symdex deps as a user runs it: real ELF files on disk, exact output, exit codes. */
class DepsCommandTest {
    /** Our own small library: soname libmal.so.1, nodes MAL_1.0, MAL_1.1, MAL_2.0; needs libc. */
    static final Path LIBMAL = CliTestSupport.root().resolve("indexer/src/test/resources/org/symdex/elf/libmal.so.1");

    @TempDir
    Path dir;
    Path lib;

    @BeforeEach
    void copyLibrary() throws Exception {
        lib = dir.resolve("libmal.so.1");
        Files.copy(LIBMAL, lib);
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void tsvHasOneLinePerFileAndCapabilityProvidesFirst() {
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "tsv", lib.toString());
        assertEquals(0, r.code(), r.err());
        String s = lib.toString();
        assertEquals(String.join("\n",
                s + "\t" + s + "\tP\tlibmal.so.1()(64bit)",
                s + "\t" + s + "\tP\tlibmal.so.1(MAL_1.0)(64bit)",
                s + "\t" + s + "\tP\tlibmal.so.1(MAL_1.1)(64bit)",
                s + "\t" + s + "\tP\tlibmal.so.1(MAL_2.0)(64bit)",
                s + "\t" + s + "\tR\tlibc.so.6()(64bit)",
                s + "\t" + s + "\tR\tlibc.so.6(GLIBC_2.2.5)(64bit)",
                s + "\t" + s + "\tR\trtld(GNU_HASH)") + "\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void textIsOneBlockPerSourceLikeRpmQp() {
        CliTestSupport.Run r = CliTestSupport.run("deps", lib.toString());
        assertEquals(0, r.code());
        assertEquals(lib + ":\nProvides:\n  libmal.so.1()(64bit)\n  libmal.so.1(MAL_1.0)(64bit)\n"
                + "  libmal.so.1(MAL_1.1)(64bit)\n  libmal.so.1(MAL_2.0)(64bit)\nRequires:\n"
                + "  libc.so.6()(64bit)\n  libc.so.6(GLIBC_2.2.5)(64bit)\n  rtld(GNU_HASH)\n", r.out());
    }

    @Test
    void jsonEnvelopeWithFileFactsAndSymbols() {
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "json", "--symbols", lib.toString());
        assertEquals(0, r.code());
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(r.out());
        assertEquals("symdex/1", doc.get("schema"));
        assertEquals("deps", doc.get("command"));
        assertEquals(List.of(), doc.get("errors"));
        Map<?, ?> result = (Map<?, ?>) ((List<?>) doc.get("results")).get(0);
        assertEquals(lib.toString(), result.get("source"));
        Map<?, ?> file = (Map<?, ?>) ((List<?>) result.get("files")).get(0);
        assertEquals("0644", file.get("mode"));
        assertEquals("ELF64", file.get("class"));
        assertEquals("LSB", file.get("byteOrder"));
        assertEquals("x86-64", file.get("machine"));
        assertEquals("DYN", file.get("type"));
        assertEquals("libmal.so.1", file.get("soname"));
        assertEquals(null, file.get("interpreter"));
        assertEquals(List.of("libc.so.6"), file.get("needed"));
        assertEquals(List.of("libc.so.6()(64bit)", "libc.so.6(GLIBC_2.2.5)(64bit)", "rtld(GNU_HASH)"), file.get("requires"));
        Map<?, ?> symbols = (Map<?, ?>) file.get("symbols");
        List<?> exported = (List<?>) symbols.get("exported");
        assertTrue(exported.contains(Map.of("name", "mal_two", "version", "MAL_1.1", "index", 3L, "hidden", false,
                "binding", "GLOBAL", "type", "FUNC")), exported.toString());
        List<?> imported = (List<?>) symbols.get("imported");
        assertTrue(imported.contains(Map.of("name", "puts", "version", "GLIBC_2.2.5", "index", 5L, "hidden", false,
                "binding", "GLOBAL", "type", "FUNC", "from", "libc.so.6")), imported.toString());
        assertEquals(true, file.get("versioned"));
    }

    @Test
    void namedNonElfFileIsOneLineAndExit2WhileOthersArePrinted() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not ELF\n");
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "tsv", text.toString(), lib.toString(),
                dir.resolve("missing").toString());
        assertEquals(2, r.code());
        assertEquals(text + ": not an ELF file or a .deb or .rpm package", r.errLines().get(0).substring("symdex: ".length()));
        assertEquals("symdex: " + dir.resolve("missing") + ": no such file or directory", r.errLines().get(1));
        assertEquals(7, r.out().lines().count(), "libmal.so.1 is still printed");
    }

    @Test
    void truncatedElfIsOneLineNamingTheStructure() throws Exception {
        byte[] b = Files.readAllBytes(lib);
        Path cut = Files.write(dir.resolve("libcut.so"), java.util.Arrays.copyOf(b, 200));
        CliTestSupport.Run r = CliTestSupport.run("deps", cut.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: " + cut + ": section header table @0x" + Long.toHexString(readShoff(b))
                + ": " + readShnum(b) + " entries of 64 bytes run past the end of the 200-byte file"), r.errLines());
    }

    @Test
    void directoriesAreWalkedInByteOrderFollowingSymlinksEachFileOnce() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("tree/B"));
        Files.copy(lib, dir.resolve("tree/a.so"));
        Files.copy(lib, sub.resolve("libz.so"));
        Files.copy(lib, dir.resolve("tree/_x.so"));
        Files.writeString(dir.resolve("tree/readme"), "text");
        Files.createSymbolicLink(dir.resolve("tree/link.so"), dir.resolve("tree/a.so")); // a.so again: once
        Files.createSymbolicLink(dir.resolve("tree/c-out.so"), lib); // a file outside the tree: followed
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "tsv", "--jobs", "3", dir.resolve("tree").toString());
        assertEquals(0, r.code(), r.err());
        List<String> sources = r.out().lines().map(l -> l.split("\t")[0]).distinct().toList();
        Path t = dir.resolve("tree");
        // Bytewise: 'B' (0x42) < '_' (0x5f) < 'a' (0x61) < 'c'.
        assertEquals(List.of(t.resolve("B/libz.so").toString(), t.resolve("_x.so").toString(),
                t.resolve("a.so").toString(), t.resolve("c-out.so").toString()), sources);
    }

    /** A root with nothing to read is said (every command), and a FIFO is refused without being opened. */
    @Test
    void anEmptyRootWarnsAndAFifoIsRefusedAtOnce() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "nothing here\n");
        Path fifo = dir.resolve("pipe.deb");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "tsv", empty.toString(), fifo.toString(),
                lib.toString());
        assertEquals(2, r.code());
        assertEquals(List.of("symdex: " + empty + ": no ELF file or .deb or .rpm package found",
                "symdex: " + fifo + ": not a regular file (a FIFO)"), r.errLines());
        assertTrue(r.out().startsWith(lib + "\t"), r.out());
        CliTestSupport.Run report = CliTestSupport.run("upgrade-report", "--base", empty.toString(), CliTestSupport.root()
                .resolve("fixtures/scenarios/node-removed/deb/libfoo1_1.1-1_amd64.deb").toString());
        assertTrue(report.errLines().contains("symdex: " + empty + ": no .deb or .rpm package found"), report.err());
    }

    @Test
    void packagesGiveInstalledPathsAndTheirMergedLists() {
        Path base = CliTestSupport.root().resolve("fixtures/scenarios/base");
        String deb = base.resolve("deb/libfoo1_1.0-1_amd64.deb").toString();
        String rpm = base.resolve("rpm/fooapp-1.0-1.x86_64.rpm").toString();
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "tsv", deb, rpm);
        assertEquals(0, r.code(), r.err());
        String lib = "/usr/lib/x86_64-linux-gnu/libfoo.so.1.0.0";
        assertEquals(String.join("\n",
                deb + "\t" + lib + "\tP\tlibfoo.so.1()(64bit)",
                deb + "\t" + lib + "\tP\tlibfoo.so.1(LIBFOO_1.0)(64bit)",
                deb + "\t" + lib + "\tP\tlibfoo.so.1(LIBFOO_2.0)(64bit)",
                deb + "\t" + lib + "\tR\trtld(GNU_HASH)",
                rpm + "\t/usr/bin/fooapp\tR\tlibc.so.6()(64bit)",
                rpm + "\t/usr/bin/fooapp\tR\tlibc.so.6(GLIBC_2.2.5)(64bit)",
                rpm + "\t/usr/bin/fooapp\tR\tlibc.so.6(GLIBC_2.34)(64bit)",
                rpm + "\t/usr/bin/fooapp\tR\tlibfoo.so.1()(64bit)",
                rpm + "\t/usr/bin/fooapp\tR\tlibfoo.so.1(LIBFOO_1.0)(64bit)",
                rpm + "\t/usr/bin/fooapp\tR\tlibfoo.so.1(LIBFOO_2.0)(64bit)",
                rpm + "\t/usr/bin/fooapp\tR\trtld(GNU_HASH)") + "\n", r.out());

        CliTestSupport.Run json = CliTestSupport.run("deps", "--format", "json", rpm);
        Map<?, ?> result = (Map<?, ?>) ((List<?>) ((Map<?, ?>) MiniJson.parse(json.out())).get("results")).get(0);
        assertEquals("rpm", result.get("format"));
        Map<?, ?> pkg = (Map<?, ?>) result.get("package");
        assertEquals("fooapp", pkg.get("name"));
        assertEquals("x86_64", pkg.get("arch"));
        assertEquals("fooapp-1.0-1.src.rpm", pkg.get("source"));
        assertEquals("zstd", pkg.get("payloadCompressor"));
        List<?> declaredRequires = (List<?>) ((Map<?, ?>) result.get("declared")).get("requires");
        assertTrue(declaredRequires.contains(Map.of("name", "libfoo.so.1(LIBFOO_1.0)(64bit)", "flags", 16384L,
                "version", "")), declaredRequires.toString());
    }

    /**
     * Packages are started largest first (LargestFirst), yet the output is in argument order: the same
     * as each input run on its own, one after the other, whatever the number of jobs.
     */
    @Test
    void outputStaysInArgumentOrderWhileTheLargestStartFirst() throws Exception {
        Path fx = CliTestSupport.root().resolve("fixtures/deb");
        Path bad = Files.write(dir.resolve("bad.deb"), "!<arch>\nnot really".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        // Sizes 4.5 KB, 19 B, 100 KB, the library, 7 KB, 16 KB: largest first is not argument order.
        List<String> args = List.of(fx.resolve("symdex-fixture-xz.deb").toString(), bad.toString(),
                fx.resolve("symdex-fixture-none.deb").toString(), lib.toString(),
                fx.resolve("symdex-fixture-gzip.deb").toString(), fx.resolve("symdex-fixture-bzip2.deb").toString());
        for (String format : new String[] {"tsv", "text"}) {
            StringBuilder oneByOne = new StringBuilder();
            StringBuilder errors = new StringBuilder();
            for (String a : args) {
                CliTestSupport.Run one = CliTestSupport.run("deps", "--format", format, "--jobs", "1", a);
                if (oneByOne.length() > 0 && format.equals("text") && !one.out().isEmpty()) {
                    oneByOne.append('\n');
                }
                oneByOne.append(one.out());
                errors.append(one.err());
            }
            for (String jobs : new String[] {"1", "2", "5"}) {
                List<String> call = new java.util.ArrayList<>(List.of("deps", "--format", format, "--jobs", jobs));
                call.addAll(args);
                CliTestSupport.Run all = CliTestSupport.run(call.toArray(String[]::new));
                assertEquals(2, all.code(), all.err());
                assertEquals(oneByOne.toString(), all.out(), format + " --jobs " + jobs);
                assertEquals(errors.toString(), all.err(), format + " --jobs " + jobs);
            }
        }
        List<String> call = new java.util.ArrayList<>(List.of("deps", "--format", "json", "--jobs", "3"));
        call.addAll(args);
        CliTestSupport.Run json = CliTestSupport.run(call.toArray(String[]::new));
        Map<?, ?> doc = (Map<?, ?>) MiniJson.parse(json.out());
        List<Object> sources = new java.util.ArrayList<>();
        for (Object o : (List<?>) doc.get("results")) {
            sources.add(((Map<?, ?>) o).get("source"));
        }
        List<String> good = new java.util.ArrayList<>(args);
        good.remove(bad.toString());
        assertEquals(good, sources);
        assertEquals(bad.toString(), ((Map<?, ?>) ((List<?>) doc.get("errors")).get(0)).get("source"));
    }

    @Test
    void truncatedPackageIsOneLineAndTheOthersStillCount() throws Exception {
        Path good = CliTestSupport.root().resolve("fixtures/scenarios/base/deb/libfoo1_1.0-1_amd64.deb");
        byte[] b = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.deb"), java.util.Arrays.copyOf(b, b.length / 2));
        CliTestSupport.Run r = CliTestSupport.run("deps", "--format", "tsv", cut.toString(), good.toString());
        assertEquals(2, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("symdex: " + cut + ": "), r.err());
        assertEquals(4, r.out().lines().count());
    }

    @Test
    void badUsageIsExit2() {
        assertEquals(2, CliTestSupport.run("deps").code());
        assertEquals(2, CliTestSupport.run("deps", "--format", "xml", lib.toString()).code());
        assertEquals(2, CliTestSupport.run("deps", "--no-such-option", lib.toString()).code());
        assertEquals(2, CliTestSupport.run("no-such-command").code());
    }

    @Test
    void helpTeachesWithExamples() {
        CliTestSupport.Run r = CliTestSupport.run("help", "deps");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Examples:"));
        assertTrue(r.out().contains("symdex deps --format tsv"));
    }

    @Test
    void internalErrorIsExit70InOneLine() {
        CommandLine cl = Symdex.newCommandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(70, cl.execute("boom"));
        assertEquals(List.of("symdex: internal error: java.lang.IllegalStateException: bug",
                "symdex: run again with --verbose for the stack trace"), err.toString().lines().toList());
        StringWriter err2 = new StringWriter();
        cl.setErr(new PrintWriter(err2));
        assertEquals(70, cl.execute("--verbose", "boom"));
        assertTrue(err2.toString().contains("at org.symdex.cli.DepsCommandTest$Boom.call"));
    }

    @Test
    void tsvEscapesTabNewlineBackslash() {
        assertEquals("a\\tb\\nc\\\\d", Tsv.field("a\tb\nc\\d"));
        assertEquals("plain", Tsv.field("plain"));
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("bug");
        }
    }

    private static int readShnum(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getShort(60);
    }

    private static long readShoff(byte[] b) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(40);
    }
}
