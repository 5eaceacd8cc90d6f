package org.symdex.cli;

import java.nio.file.Path;
import org.symdex.index.IndexRef;
import picocli.CommandLine.Option;

/** The {@code --index DIR[@REF]} option every index command shares (a picocli mixin, style.md §4). */
final class IndexDirOption {
    static final String DEFAULT = "symdex-index";

    @Option(names = {"-i", "--index"}, paramLabel = "DIR[@REF]", defaultValue = DEFAULT,
            description = "The index directory (default: ./${DEFAULT-VALUE}), or one of its kept nights: DIR@-1 (the "
                    + "night before the newest), DIR@YYYY-MM-DD (the newest night finished that day or before, UTC), "
                    + "DIR@GENERATION.")
    String value;

    /** The directory and the night the argument names ({@link IndexRef#parse}). */
    IndexRef ref() {
        return IndexRef.parse(value);
    }

    /** The directory. */
    Path dir() {
        return ref().dir();
    }
}
