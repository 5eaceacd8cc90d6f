package org.symdex.cap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;

/**
 * The correctness bar: on every ELF file under /usr (and every fixture), symdex's lists are elfdeps'
 * lists, in elfdeps' own order with its duplicates. Runs wherever rpm's elfdeps is installed (CI installs
 * it); prints how many files it compared. No floor: a fresh image holds fewer files than a developer's.
 */
class ElfdepsLiveTest {
    @TempDir
    Path temp;

    @Test
    void everyElfFileUnderUsrAndFixturesGivesElfdepsAnswer() throws IOException {
        assumeTrue(ElfdepsOracle.available(), "rpm's elfdeps is not installed (apt-get install rpm)");
        List<Path> files = new ArrayList<>();
        collectElfFiles(Path.of("/usr"), files);
        int usr = files.size();
        collectElfFiles(TestPaths.root().resolve("fixtures"), files);
        List<String> paths = files.stream().map(Path::toString).toList();
        List<List<List<String>>> expected = new ElfdepsOracle(temp).run(paths);
        List<String> mismatches = new ArrayList<>();
        long capabilities = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            ElfCapabilities caps = derive(f);
            List<String> wantP = expected.get(i).get(0);
            List<String> wantR = expected.get(i).get(1);
            capabilities += wantP.size() + wantR.size();
            if (!caps.rawProvides().equals(wantP) || !caps.rawRequires().equals(wantR)) {
                mismatches.add(f + "\n  have P " + caps.rawProvides() + "\n  want P " + wantP
                        + "\n  have R " + caps.rawRequires() + "\n  want R " + wantR);
            }
        }
        System.out.printf("elfdeps live comparison: %d ELF files (%d under /usr, %d fixtures), %d capability lines, "
                + "%d mismatches%n", files.size(), usr, files.size() - usr, capabilities, mismatches.size());
        mismatches.stream().limit(20).forEach(System.out::println);
        assertTrue(files.size() > 0);
        assertEquals(List.of(), mismatches.stream().limit(20).toList());
    }

    /** Our answer for a file on disk: its mode, its path as given, and the capabilities (none if unreadable). */
    static ElfCapabilities derive(Path f) throws IOException {
        int mode = (Integer) Files.getAttribute(f, "unix:mode");
        try {
            return CapabilityDeriver.derive(ElfFile.parse(ByteBuffer.wrap(Files.readAllBytes(f)), false),
                    f.toString(), mode);
        } catch (ElfFormatException e) {
            return ElfCapabilities.NONE;
        }
    }

    /**
     * Regular files (not symlinks: rpm never hands those to elfdeps) with the ELF magic, a valid class and
     * byte order, in bytewise path order. Crafted fixtures that crash or hang rpm 4.18 are listed in
     * fixtures/elf/golden/HANDWRITTEN and left to the golden test.
     */
    static void collectElfFiles(Path root, List<Path> out) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<String> skip = handwritten();
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && attrs.size() >= 16 && !skip.contains(file.getFileName().toString())
                        && startsLikeElf(file)) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort((a, b) -> a.toString().compareTo(b.toString()));
        out.addAll(found);
    }

    private static boolean startsLikeElf(Path file) {
        if (!Files.isReadable(file) || Files.isSymbolicLink(file)
                || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(6);
            return ElfFile.looksLikeElf(ByteBuffer.wrap(head));
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> handwritten() throws IOException {
        Path list = TestPaths.root().resolve("fixtures/elf/golden/HANDWRITTEN");
        if (!Files.exists(list)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                names.add(t.split("\\s+")[0]);
            }
        }
        return names;
    }
}
