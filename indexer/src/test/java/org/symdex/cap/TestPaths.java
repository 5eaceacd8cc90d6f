package org.symdex.cap;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository root is: surefire passes it; an IDE run falls back to walking up. */
public final class TestPaths {
    private TestPaths() {
    }

    public static Path root() {
        String p = System.getProperty("symdex.root");
        if (p != null && Files.isDirectory(Path.of(p, "fixtures"))) {
            return Path.of(p);
        }
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("fixtures"))) {
            d = d.getParent();
        }
        return d == null ? Path.of("").toAbsolutePath() : d;
    }
}
