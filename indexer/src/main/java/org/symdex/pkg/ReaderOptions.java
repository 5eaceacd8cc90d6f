package org.symdex.pkg;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How packages are read.
 *
 * @param xzCommand when present, xz streams are piped through this command (e.g. {@code xz -dc});
 *     empty means the pure-Java tukaani decoder. See docs/decisions.md: the native xz decodes about
 *     1.4x faster, which is what brings Debian's xz packages within the benchmark target.
 */
public record ReaderOptions(Optional<List<String>> xzCommand) {

    public ReaderOptions {
        xzCommand = xzCommand.map(List::copyOf);
    }

    /** The system xz when it is on PATH, tukaani otherwise. */
    public static ReaderOptions defaults() {
        return new ReaderOptions(findOnPath("xz").map(p -> List.of(p.toString(), "-dc")));
    }

    /** Always the pure-Java decoders. */
    public static ReaderOptions pureJava() {
        return new ReaderOptions(Optional.empty());
    }

    static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
