package org.symdex.cli;

import org.symdex.pkg.ReaderOptions;
import picocli.CommandLine.Option;

/**
 * {@code --xz-decoder}: how the commands that read packages decode xz payloads (a picocli mixin).
 * The choice only moves work between processes; the answers are the same (the codec and sha256
 * tests read every payload both ways). docs/decisions.md, "xz: tukaani", has the measurements.
 */
final class XzDecoderOption {
    enum XzDecoder {
        java, system
    }

    @Option(names = "--xz-decoder", paramLabel = "DECODER", defaultValue = "java",
            description = "How xz payloads are decoded: java (built in, no processes; the fastest when "
                    + "--jobs keeps every core busy) or system (the xz on PATH for streams of 1 MiB and more, "
                    + "in its own process; pays when there are more cores than jobs). Default: ${DEFAULT-VALUE}.")
    XzDecoder xzDecoder = XzDecoder.java;

    ReaderOptions readerOptions() {
        return switch (xzDecoder) {
            case java -> ReaderOptions.pureJava();
            case system -> ReaderOptions.systemXz();
        };
    }
}
