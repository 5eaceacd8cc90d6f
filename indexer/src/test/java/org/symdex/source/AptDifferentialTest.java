package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against apt itself: for each sources file under
 * {@code src/test/resources/org/symdex/source/apt/} (this machine's debian.sources among them),
 * the URI x Suite x Component x Architecture targets we expand must be the ones
 * {@code apt-get indextargets --no-release-info} lists for the same file, and each file under
 * {@code apt/bad/} must be refused by both. apt runs with its own configuration pointed at the
 * fixture only (Dir::Etc::sourcelist, an empty sourceparts, a scratch lists dir) and with amd64 as
 * its only architecture, which is what {@link SourceDefaults#of} says to us.
 */
class AptDifferentialTest {
    private static final Path APT_GET = Path.of("/usr/bin/apt-get");

    @TempDir
    static Path scratch;

    static Stream<Path> goodFiles() throws IOException, URISyntaxException {
        return list(resources()).stream().filter(Files::isRegularFile);
    }

    static Stream<Path> badFiles() throws IOException, URISyntaxException {
        return list(resources().resolve("bad")).stream();
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void weExpandWhatAptExpands(Path file) throws Exception {
        assumeTrue(Files.isExecutable(APT_GET), "apt-get not installed");
        Apt apt = apt(file);
        assertEquals(0, apt.status, "apt refused " + file + ": " + apt.err);
        ParsedSources ours = SourceParser.parseFile(file, SourceDefaults.of("amd64"));
        assertEquals(apt.targets, expand(ours), "targets of " + file.getFileName());
        assertTrue(apt.targets.size() > 1, "a fixture that expands to nothing proves nothing");
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void weRefuseWhatAptRefuses(Path file) throws Exception {
        assumeTrue(Files.isExecutable(APT_GET), "apt-get not installed");
        Apt apt = apt(file);
        assertNotEquals(0, apt.status, "apt accepted " + file);
        SourceException e = assertThrows(SourceException.class,
                () -> SourceParser.parseFile(file, SourceDefaults.of("amd64")));
        assertEquals(SourceException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    /** Our specs as apt's indextargets lines: "deb URI SUITE COMPONENT ARCH", sorted. */
    static List<String> expand(ParsedSources ps) {
        List<String> out = new ArrayList<>();
        for (SourceSpec s : ps.specs()) {
            String head = "deb " + aptUri(s.uri()) + " " + s.suite() + " ";
            if (s.flat()) {
                // apt leaves the variables of a flat target unexpanded.
                out.add(head + "$(COMPONENT) $(ARCHITECTURE)");
                continue;
            }
            for (String c : s.components()) {
                for (String a : s.arches()) {
                    out.add(head + c + " " + a);
                }
                if (s.implicitAll()) {
                    out.add(head + c + " all");
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** apt prints a URI decoded, with an empty authority dropped ("file:///x" is "file:/x"). */
    static String aptUri(URI u) {
        return u.getScheme() + ":" + (u.getRawAuthority() == null ? "" : "//" + u.getAuthority()) + u.getPath();
    }

    private record Apt(int status, List<String> targets, String err) {
    }

    private static Apt apt(Path file) throws IOException, InterruptedException {
        Path parts = Files.createDirectories(scratch.resolve("parts"));
        Path lists = Files.createDirectories(scratch.resolve("lists/partial")).getParent();
        List<String> cmd = List.of(APT_GET.toString(), "indextargets",
                "-o", "Dir::Etc::sourcelist=" + file.toAbsolutePath(),
                "-o", "Dir::Etc::sourceparts=" + parts,
                "-o", "Dir::State::lists=" + lists,
                "-o", "APT::Architecture=amd64", "-o", "APT::Architectures=amd64",
                "--no-release-info",
                "--format", "$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT) $(ARCHITECTURE)",
                "Created-By: Packages");
        Process p = new ProcessBuilder(cmd).redirectError(scratch.resolve("apt.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("apt-get indextargets hung");
        }
        List<String> targets = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                targets.add(l);
            }
        }
        targets.sort(null);
        return new Apt(p.exitValue(), targets, Files.readString(scratch.resolve("apt.err")));
    }

    private static Path resources() throws URISyntaxException {
        return Path.of(AptDifferentialTest.class.getResource("apt").toURI());
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
