package org.symdex.pkg;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.symdex.io.Limits;

/**
 * How packages are read.
 *
 * @param xzCommand when present, xz streams of at least {@code xzCommandMinBytes} compressed bytes
 *     are piped through this command (e.g. {@code xz -dc}); smaller ones, and all of them when
 *     empty (the default), go through the pure-Java tukaani decoder. docs/decisions.md has the
 *     measurements: with as many jobs as cores, tukaani alone is the fastest on every set we
 *     measured; a process pays when a core would otherwise idle (fewer jobs than cores), and only
 *     for big streams, since starting one costs more than it saves on a small one.
 * @param xzCommandMinBytes compressed size from which the command is worth starting; a stream of
 *     unknown size counts as large
 * @param dictionaryLimitBytes largest LZ dictionary an xz or lzma stream may declare, for tukaani and
 *     for the command alike (default {@link Limits#XZ_MAX_DICTIONARY_BYTES}, 64 MiB); a stream that
 *     declares more fails its package. At least 2 MiB, so that a limit plus the decoders' 1 MiB of
 *     headroom still stops the next LZMA2 dictionary size above it ({@link Codec}).
 */
public record ReaderOptions(Optional<List<String>> xzCommand, long xzCommandMinBytes, long dictionaryLimitBytes) {

    /** Below this, tukaani wins even with a spare core (docs/decisions.md, "xz: tukaani"). */
    public static final long DEFAULT_XZ_COMMAND_MIN_BYTES = 1L << 20;

    public ReaderOptions {
        xzCommand = xzCommand.map(List::copyOf);
        if (xzCommandMinBytes < 0) {
            throw new IllegalArgumentException("xzCommandMinBytes must be >= 0: " + xzCommandMinBytes);
        }
        // tukaani's own ceiling (LZMAInputStream.DICT_SIZE_MAX) is just under 2 GiB.
        if (dictionaryLimitBytes < (2L << 20) || dictionaryLimitBytes > (1L << 30)) {
            throw new IllegalArgumentException("dictionaryLimitBytes must be 2 MiB to 1 GiB: " + dictionaryLimitBytes);
        }
    }

    /** The default: the pure-Java decoders, no processes (docs/decisions.md, "xz: tukaani"). */
    public static ReaderOptions defaults() {
        return pureJava();
    }

    /** Always the pure-Java decoders. */
    public static ReaderOptions pureJava() {
        return new ReaderOptions(Optional.empty(), 0, Limits.XZ_MAX_DICTIONARY_BYTES);
    }

    /** The system xz (when on PATH) for xz streams of 1 MiB and more, tukaani otherwise. */
    public static ReaderOptions systemXz() {
        return new ReaderOptions(xzOnPath(), DEFAULT_XZ_COMMAND_MIN_BYTES, Limits.XZ_MAX_DICTIONARY_BYTES);
    }

    /** The system xz for every xz stream, if it is on PATH (for tests and measurements). */
    public static ReaderOptions systemXzAlways() {
        return new ReaderOptions(xzOnPath(), 0, Limits.XZ_MAX_DICTIONARY_BYTES);
    }

    /** The same, with another dictionary limit (tests and fuzzing use a small one). */
    public ReaderOptions withDictionaryLimit(long bytes) {
        return new ReaderOptions(xzCommand, xzCommandMinBytes, bytes);
    }

    /** The same limits, pure-Java decoders only: for streams too small to be worth a process. */
    ReaderOptions withoutXzCommand() {
        return new ReaderOptions(Optional.empty(), 0, dictionaryLimitBytes);
    }

    /** Whether an xz stream of {@code compressedBytes} (-1: unknown) goes through the command. */
    boolean xzThroughCommand(long compressedBytes) {
        return xzCommand.isPresent() && (compressedBytes < 0 || compressedBytes >= xzCommandMinBytes);
    }

    private static Optional<List<String>> xzOnPath() {
        return findOnPath("xz").map(p -> List.of(p.toString(), "-dc"));
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
