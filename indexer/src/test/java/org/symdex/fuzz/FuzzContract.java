package org.symdex.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;
import org.symdex.io.Limits;
import org.symdex.pkg.Fixtures;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.ReaderOptions;
import org.symdex.scan.PackageScanner;

/**
 * The contract every fuzz target checks for every input, in regression and in fuzzing mode
 * (issue "Nothing lost, nothing hidden", item 8): the code under test returns normally or throws only
 * the checked exception its layer documents, with a one-line message; it takes at most
 * {@link #MAX_NANOS} of wall time; and it allocates at most {@link #BUDGET_BYTES} +
 * {@link #SLACK_BYTES} on the calling thread. Anything else is thrown as an {@link AssertionError},
 * which Jazzer reports as a finding.
 *
 * <p>Allocation is counted with {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}:
 * the bytes the thread allocated, live or not, so a reader that allocates 100 MiB and drops it at once
 * still fails. The slack covers what is not the entry buffer: decoder state (a dictionary up to the
 * configured limit), tar and cpio buffers, parsed names.
 */
final class FuzzContract {
    /** The entry-buffer budget the scanners are given ({@link Limits#bufferBudgetBytes()}). */
    static final long BUDGET_BYTES = 32L << 20;
    static final long SLACK_BYTES = 16L << 20;
    static final long MAX_NANOS = 2_000_000_000L;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (!THREADS.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("this JVM cannot count allocated bytes per thread");
        }
        THREADS.setThreadAllocatedMemoryEnabled(true);
    }

    /** Scratch directory for package files and spooled entries, one per JVM. */
    private static Path scratch;
    private static boolean warm;

    private FuzzContract() {
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} once and checks the contract; {@code allowed} lists the documented exceptions. */
    static void check(Body body, List<Class<? extends Exception>> allowed) {
        long bytes0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        Throwable thrown = null;
        try {
            body.run();
        } catch (Throwable t) {
            thrown = t;
        }
        long nanos = System.nanoTime() - t0;
        long bytes = THREADS.getCurrentThreadAllocatedBytes() - bytes0;
        if (thrown != null) {
            Throwable t = thrown;
            if (allowed.stream().noneMatch(c -> c.isInstance(t))) {
                throw new AssertionError("undocumented " + t.getClass().getName() + ": " + t.getMessage(), t);
            }
            String m = t.getMessage();
            if (m == null || m.isBlank() || m.contains("\n")) {
                throw new AssertionError("not a one-line message: '" + m + "'", t);
            }
        }
        if (nanos > MAX_NANOS) {
            throw new AssertionError(String.format(Locale.ROOT, "took %d ms, over %d ms", nanos / 1_000_000,
                    MAX_NANOS / 1_000_000), thrown);
        }
        if (bytes > BUDGET_BYTES + SLACK_BYTES) {
            throw new AssertionError(String.format(Locale.ROOT, "allocated %d MiB on the calling thread, over %d + %d MiB",
                    bytes >> 20, BUDGET_BYTES >> 20, SLACK_BYTES >> 20), thrown);
        }
    }

    /**
     * Runs the code under test over the fixtures once before anything is measured. The first use of a
     * code path loads its classes on the calling thread, and under Jazzer's agent also instruments them
     * there: the first scan of an rpm measured 91 MiB that way, against 0.4 to 9 MiB for the same scan
     * once loaded, and the first ELF seed under full (fuzzing) instrumentation 57 MiB. Counted, that
     * is the test harness, not the reader. Each target calls its warm-up from its static initialiser;
     * this one parses and derives each fixture ELF file.
     */
    static synchronized void warmUpElf() {
        for (Path p : Fixtures.list("elf/bin", "")) {
            try {
                if (Files.size(p) > 200_000) {
                    continue; // the static executables: big, and nothing they reach that the others do not
                }
                ElfFile elf = ElfFile.parse(ByteBuffer.wrap(Files.readAllBytes(p)), true);
                CapabilityDeriver.derive(elf, p.toString(), 0755);
            } catch (ElfFormatException e) {
                // expected for the deliberately broken ones
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The package targets' warm-up: every fixture package, whole and cut in half. */
    static synchronized void warmUpPackages() {
        if (warm) {
            return;
        }
        warm = true;
        List<Path> packages = new ArrayList<>(Fixtures.list("deb", ".deb"));
        packages.addAll(Fixtures.list("query", ".deb"));
        packages.addAll(Fixtures.list("rpm", ".rpm"));
        for (Path p : packages) {
            try {
                byte[] whole = Files.readAllBytes(p);
                if (whole.length > 200_000) {
                    continue; // the 07070X rpm holds a 4.3 GB sparse file
                }
                for (byte[] b : List.of(whole, Arrays.copyOf(whole, whole.length / 2))) {
                    try {
                        scanner().scan(packageFile(b));
                    } catch (PackageFormatException e) {
                        // expected for the halves
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What the fuzzed package readers are given: pure-Java decoders and an 8 MiB dictionary limit, what
     * dpkg-deb and rpm write by default (xz -6). xz and lzma decoders allocate the whole declared
     * dictionary up front, outside the entry budget, so the dictionary limit is what bounds them: the
     * first CpioFuzzTest finding was a 121-byte lzma payload declaring 48.2 MiB, which the then limit of
     * 256 MiB let through and the decoder allocated. With the default 64 MiB limit a stream may still
     * cost 64 MiB, more than this contract's slack; with 8 MiB the contract holds for every input.
     */
    static ReaderOptions readerOptions() {
        return ReaderOptions.pureJava().withDictionaryLimit(8L << 20);
    }

    /**
     * A fresh scanner per input, so that every input is measured from an empty buffer: a scanner
     * kept across inputs would reuse its array and hide what one input costs.
     */
    static PackageScanner scanner() {
        return new PackageScanner(readerOptions(), new Limits(Limits.DEFAULT_MAX_ENTRY_BYTES, BUDGET_BYTES), false,
                scratch());
    }

    /** Writes {@code input} to the one scratch package file (the scanners read files, not arrays). */
    static Path packageFile(byte[] input) {
        Path p = scratch().resolve("input.pkg");
        try {
            Files.write(p, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static synchronized Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("symdex-fuzz-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        }
        return scratch;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit: a temp directory left behind is not worth failing for
        }
    }
}
