package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.index.IndexSession;
import org.symdex.batch.RunReport;
import org.symdex.index.IndexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex index}: crawl packages into the Lucene index, incrementally and crash-safely (issue 4). */
@Command(name = "index", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Index the ELF files of .deb, .udeb and .rpm packages: their provides and requires, "
                + "sonames, NEEDED entries and dynamic symbols, scoped by ELF machine and class.",
                "Directories are walked in bytewise path order for *.deb, *.udeb, *.ddeb and *.rpm; a file named "
                        + "on the command line is read whatever its name. A package indexed before with the same "
                        + "path, size and mtime is skipped without being read; a changed one is replaced; one "
                        + "that failed is retried. Commits are atomic: a killed run loses at most the packages "
                        + "since its last commit, and the next run finishes the work."},
        footer = {"", "Examples:",
                "  symdex index --index idx --label bookworm/main /srv/mirror/debian/pool/main",
                "  symdex index --index idx --prune --jobs 4 ./debs ./rpms",
                "  symdex index --index idx --rebuild fixtures/    # after an upgrade of symdex",
                "",
                "A package that cannot be read is reported as 'symdex: PACKAGE: reason' on stderr, recorded in "
                        + "the index ('symdex failures') and the run goes on. The summary line goes to stdout.",
                "Exit codes: 0 fine, 2 some package could not be read or the index refused the run "
                        + "(another version: use --rebuild), 70 internal error."})
final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexDirOption index;

    @Mixin
    XzDecoderOption xz = new XzDecoderOption();

    @Option(names = {"-l", "--label"}, paramLabel = "LABEL", defaultValue = "",
            description = "Label recorded on every package read in this run, e.g. bookworm/main.")
    String label;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Packages read in parallel (default: the number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--prune", description = "Delete indexed packages that are gone from the given paths.")
    boolean prune;

    @Option(names = "--merge", description = "After the run, merge the index into one segment: queries and "
            + "diffs then look each term up once instead of once per segment (about half the time of a query "
            + "call), at the cost of rewriting the index (about a minute for 6,000 packages).")
    boolean merge;

    @Option(names = "--rebuild", description = "Start a new, empty index (needed when the index was built "
            + "by another schema or extractor version).")
    boolean rebuild;

    @Option(names = "--commit-every", paramLabel = "N", description = "Commit after every N packages read "
            + "(default: ${DEFAULT-VALUE}), and at the end.", defaultValue = "" + RunOptions.DEFAULT_COMMIT_EVERY)
    int commitEvery;

    @Option(names = "--no-symbols", description = "Leave out dynamic symbols (a smaller index; the upgrade "
            + "reports need them).")
    boolean noSymbols;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Package files and directories of them.")
    List<Path> paths;

    @Override
    public Integer call() {
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        if (commitEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--commit-every must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunOptions options = RunOptions.defaults(index.dir).withLabel(label).withJobs(jobs).withPrune(prune)
                .withRebuild(rebuild).withCommitEvery(commitEvery).withSymbols(!noSymbols).withReader(xz.readerOptions());
        Progress progress = new Progress(err, System.console() != null);
        RunReport report;
        try {
            report = new IndexRun(options, progress).run(paths);
        } catch (IndexException e) {
            progress.clear();
            err.println("symdex: " + e.getMessage());
            err.flush();
            return Symdex.EXIT_BAD_INPUT;
        }
        progress.clear();
        out.println(report.summary());
        out.flush();
        if (merge) {
            long t0 = System.nanoTime();
            try {
                IndexSession.mergeToOneSegment(index.dir);
            } catch (IndexException e) {
                err.println("symdex: " + e.getMessage());
                err.flush();
                return Symdex.EXIT_BAD_INPUT;
            }
            out.printf(java.util.Locale.ROOT, "merged into one segment in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            out.flush();
        }
        return report.failed().isEmpty() ? Symdex.EXIT_OK : Symdex.EXIT_BAD_INPUT;
    }

    /**
     * Failure and warning lines as they happen, and, on a terminal only, a progress bar redrawn in place
     * at most five times a second. One lock keeps lines from different workers whole.
     */
    static final class Progress implements RunListener {
        private static final long REDRAW_NANOS = 200_000_000L;
        private final PrintWriter err;
        private final boolean bar;
        private final long t0 = System.nanoTime();
        private final AtomicInteger done = new AtomicInteger();
        private final AtomicLong bytes = new AtomicLong();
        private volatile int total;
        private volatile long totalBytes;
        private long lastDraw;
        private boolean drawn;

        Progress(PrintWriter err, boolean bar) {
            this.err = err;
            this.bar = bar;
        }

        @Override
        public void planned(int toRead, int skipped, int toRemove, long bytesToRead) {
            total = toRead;
            totalBytes = bytesToRead;
        }

        @Override
        public void packageDone(String packageFile, long size) {
            done.incrementAndGet();
            bytes.addAndGet(size);
            if (bar) {
                synchronized (this) {
                    long now = System.nanoTime();
                    if (now - lastDraw >= REDRAW_NANOS || done.get() == total) {
                        lastDraw = now;
                        draw(now);
                    }
                }
            }
        }

        @Override
        public void packageFailed(String packageFile, String message) {
            line("symdex: " + packageFile + ": " + message);
        }

        @Override
        public void warning(String line) {
            line("symdex: " + line);
        }

        private synchronized void line(String s) {
            clear();
            err.println(s);
            err.flush();
        }

        private void draw(long now) {
            int n = done.get();
            int width = 30;
            long tb = Math.max(1, totalBytes);
            int filled = (int) Math.min(width, bytes.get() * width / tb);
            double secs = (now - t0) / 1e9;
            err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d packages, %.0f/%.0f MB, %.1f MB/s ",
                    "#".repeat(filled), " ".repeat(width - filled), n, total, bytes.get() / 1e6, totalBytes / 1e6,
                    secs > 0 ? bytes.get() / 1e6 / secs : 0.0));
            err.flush();
            drawn = true;
        }

        synchronized void clear() {
            if (drawn) {
                err.print("\r" + " ".repeat(79) + "\r");
                err.flush();
                drawn = false;
            }
        }
    }
}
