package org.symdex.cap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Hermetic: every fixture binary in fixtures/elf/bin gives the golden answer next to it, elfdeps' raw
 * output (order and duplicates) recorded by fixtures/elf/build.sh. Files listed in golden/HANDWRITTEN
 * crash or hang rpm 4.18; their golden answer is what rpm 4.20 gives, compared as a set.
 */
class FixtureGoldenTest {
    private static final Path FIXTURES = TestPaths.root().resolve("fixtures/elf");

    @TestFactory
    Stream<DynamicTest> everyFixtureGivesItsGoldenAnswer() throws IOException {
        Path bin = FIXTURES.resolve("bin");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(bin)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        assertTrue(files.size() >= 20, "fixtures/elf/bin holds the fixture binaries: " + files.size());
        List<String> handwritten = ElfdepsLiveTest.handwritten();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String name = f.getFileName().toString();
            List<String> wantP = golden(name + ".provides");
            List<String> wantR = golden(name + ".requires");
            ElfCapabilities have = ElfdepsLiveTest.derive(f);
            if (handwritten.contains(name)) {
                assertEquals(ElfCapabilities.sortedUnique(wantP), have.provides(), "provides of " + name);
                assertEquals(ElfCapabilities.sortedUnique(wantR), have.requires(), "requires of " + name);
            } else {
                assertEquals(wantP, have.rawProvides(), "provides of " + name);
                assertEquals(wantR, have.rawRequires(), "requires of " + name);
            }
        }));
    }

    private static List<String> golden(String name) throws IOException {
        Path p = FIXTURES.resolve("golden").resolve(name);
        assertTrue(Files.exists(p), "golden file " + p);
        return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).lines().toList();
    }
}
