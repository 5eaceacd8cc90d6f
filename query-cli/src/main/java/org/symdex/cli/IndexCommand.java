package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.symdex.batch.IndexRun;
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
        Progress progress = new Progress(err, Terminal.isTerminal(Terminal.STDERR));
        RunReport report;
        try {
            report = new IndexRun(options, progress).run(paths);
        } catch (IndexException e) {
            progress.clear();
            err.println("symdex: " + e.getMessage());
            err.flush();
            return Symdex.EXIT_BAD_INPUT;
        } finally {
            progress.clear(); // also before an internal error's line
        }
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
}
