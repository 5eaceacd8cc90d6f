package org.symdex.cli;

import org.symdex.pkg.ReaderOptions;
import picocli.CommandLine.Option;

/**
 * {@code --xz-decoder}: how the commands that read packages decode xz payloads (a picocli mixin).
 * The choice only moves time between processes; the answers are the same (PackageSha256Test and the
 * codec tests read every payload both ways). docs/decisions.md has the measurements behind the default.
 */
final class XzDecoderOption {
    enum XzDecoder {
        auto, java, system
    }

    @Option(names = "--xz-decoder", paramLabel = "DECODER", defaultValue = "auto",
            description = "How xz payloads are decoded: auto (the system's xz, when on PATH, for streams of "
                    + "1 MiB and more; the built-in decoder below that), java (the built-in decoder only: no "
                    + "processes are started), system (the system's xz for every stream). Default: ${DEFAULT-VALUE}.")
    XzDecoder xzDecoder = XzDecoder.auto;

    ReaderOptions readerOptions() {
        return switch (xzDecoder) {
            case auto -> ReaderOptions.defaults();
            case java -> ReaderOptions.pureJava();
            case system -> ReaderOptions.systemXzAlways();
        };
    }
}
