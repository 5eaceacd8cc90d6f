package org.symdex.pkg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed package fixtures (fixtures/deb, fixtures/rpm; built by fixtures/pkg/build.sh). */
public final class Fixtures {
    private Fixtures() {
    }

    /** Surefire passes the repository root as symdex.root; from an IDE the module dir is the cwd. */
    public static Path root() {
        return Path.of(System.getProperty("symdex.root", "..")).toAbsolutePath().normalize();
    }

    public static Path deb(String name) {
        return root().resolve("fixtures/deb").resolve(name);
    }

    public static Path rpm(String name) {
        return root().resolve("fixtures/rpm").resolve(name);
    }

    /** Files directly in fixtures/DIR whose names end with SUFFIX, sorted. */
    public static List<Path> list(String dir, String suffix) {
        try (Stream<Path> s = Files.list(root().resolve("fixtures").resolve(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
