package org.symdex.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --index DIR} option every index command shares (a picocli mixin, style.md §4). */
final class IndexDirOption {
    static final String DEFAULT = "symdex-index";

    @Option(names = {"-i", "--index"}, paramLabel = "DIR", defaultValue = DEFAULT,
            description = "The index directory (default: ./${DEFAULT-VALUE}).")
    Path dir;
}
