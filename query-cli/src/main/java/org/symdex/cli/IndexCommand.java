package org.symdex.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunOptions;
import org.symdex.index.IndexSession;
import org.symdex.batch.RunReport;
import org.symdex.index.IndexException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex index}: crawl packages into the Lucene index, incrementally and crash-safely (issue 4). */
@Command(name = "index", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Index the ELF files of .deb, .udeb and .rpm packages: their provides and requires, "
                + "sonames, NEEDED entries and dynamic symbols, scoped by ELF machine and class.",
                "Directories are walked in the bytewise order of the whole path, following symbolic links, for "
                        + "files that are .deb or .rpm packages by their magic bytes, whatever their names; a file "
                        + "reached through several links is read once. A file named on the command line is read "
                        + "whatever it holds. A package indexed before with the same path, size and mtime is "
                        + "skipped without being read; a changed one is replaced; one that failed is retried.",
                "Commits are atomic and say how much of the run they hold: a killed run loses at most the "
                        + "packages since its last commit, the commands that report findings refuse its "
                        + "unfinished index, and the next run finishes the work. SIGINT or SIGTERM stops it "
                        + "cleanly: what was read is committed (exit 130 or 143).",
                "--prune never removes packages under a root that is missing, holds no package or could not be "
                        + "walked without errors (an unmounted mirror), nor more than --max-prune percent of a "
                        + "root's packages.",
                "Sources (--source, --sources) are read as apt and dnf read them: InRelease or Release, then the "
                        + "Packages files it lists (repomd.xml, then primary), each checked against its checksum; "
                        + "every package is verified while it streams. A package carries the labels of every source "
                        + "that lists it (ORIGIN/SUITE/COMPONENT/ARCH, ID/BASEARCH) and is read once, known by its "
                        + "SHA-256 under whatever URI; a source whose metadata did not change is skipped whole. "
                        + "With --prune, a listed package no source lists any more is removed; a source that cannot "
                        + "be read removes nothing."},
        footer = {"", "Examples:",
                "  symdex index --index idx --source 'deb [arch=amd64] file:/srv/mirror/debian bookworm main' --prune",
                "  symdex index --index idx --sources /etc/apt/sources.list.d/debian.sources --section libs",
                "  symdex index --index idx --section libs --source 'deb [arch=amd64 signed-by=/usr/share/keyrings/"
                        + "debian-archive-keyring.gpg] https://deb.debian.org/debian bookworm main'",
                "  symdex index --index idx --source 'rpm-md [id=fedora arch=x86_64] file:/srv/fedora/41/x86_64/os'",
                "  symdex index --index idx --label bookworm/main /srv/mirror/debian/pool/main",
                "  symdex index --index idx --prune --jobs 4 ./debs ./rpms",
                "  symdex index --index idx --prune --max-prune 30 /srv/mirror/pool/main",
                "  symdex index --index idx --rebuild fixtures/    # after an upgrade of symdex",
                "",
                "A package that cannot be read is reported as 'symdex: PACKAGE: reason' on stderr, recorded in "
                        + "the index ('symdex failures') and the run goes on. The summary line goes to stdout.",
                "Exit codes: 0 fine, 2 some package or root could not be read, --prune refused to remove "
                        + "packages somewhere, or the index refused the run (another version: use --rebuild), "
                        + "130/143 stopped by SIGINT/SIGTERM, 70 internal error."})
final class IndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexOptions run = new IndexOptions();

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Packages read in parallel (default: the number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--merge", description = "After the run, merge the index into one segment: queries and "
            + "diffs then look each term up once instead of once per segment (about half the time of a query "
            + "call), at the cost of rewriting the index (about a minute for 6,000 packages).")
    boolean merge;

    @Option(names = "--commit-every", paramLabel = "N", description = "Commit after every N packages read "
            + "(default: ${DEFAULT-VALUE}), and at the end.", defaultValue = "" + RunOptions.DEFAULT_COMMIT_EVERY)
    int commitEvery;

    /** The run, and the merge session, that SIGINT/SIGTERM stop (null when none). */
    private volatile IndexRun running;
    private volatile IndexSession merging;
    private volatile boolean signalled;

    @Override
    public Integer call() {
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        if (commitEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--commit-every must be at least 1");
        }
        run.check(spec.commandLine());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IndexOptions.Start start = run.start(spec.commandLine(), Symdex.verbose(spec.commandLine()));
        if (start == null) {
            return Symdex.EXIT_BAD_INPUT;
        }
        RunOptions options = start.options().withJobs(jobs).withCommitEvery(commitEvery);
        // SIGINT and SIGTERM run the JVM's shutdown hooks while this thread goes on: the hook asks the run
        // to stop and waits until its commit is written and said; the JVM then exits 130 or 143.
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            signalled = true;
            SIGNALLED = true;
            IndexRun r = running;
            if (r != null) {
                r.requestStop();
            }
            IndexSession m = merging;
            if (m != null) {
                m.abort();
            }
            try {
                finished.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "symdex-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run(options, start, out, err);
        } finally {
            start.clear();
            out.flush();
            err.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running and has just been released
            }
        }
    }

    private int run(RunOptions options, IndexOptions.Start start, PrintWriter out, PrintWriter err) {
        RunReport report;
        try {
            IndexRun r = new IndexRun(options, start.listener());
            running = r;
            report = r.run(run.paths());
        } catch (IndexException e) {
            start.clear();
            err.println("symdex: " + e.getMessage());
            return Symdex.EXIT_BAD_INPUT;
        } finally {
            running = null;
            start.clear(); // also before an internal error's line
        }
        int code = run.finish(spec.commandLine(), report, Symdex.verbose(spec.commandLine()));
        if (!report.indexWritten() || report.interrupted()) {
            return code;
        }
        if (merge) {
            long t0 = System.nanoTime();
            try {
                Map<String, String> data = IndexSession.commitData(run.indexDir()).orElseThrow();
                Progress bar = new Progress(err, Terminal.isTerminal(Terminal.STDERR));
                bar.planned(0, 0, 0, 0);
                bar.phase("merging into one segment");
                if (run.keep() > 1) {
                    err.println("symdex: --merge rewrites every segment, so each of the " + run.keep() + " kept nights costs "
                            + "a full copy of the index; the nightly recipe leaves --merge out (or use --keep 1)");
                }
                try (IndexSession s = IndexSession.open(run.indexDir(), false, run.withSymbols(), run.keep())) {
                    merging = s;
                    s.mergeInto(data);
                } finally {
                    merging = null;
                    bar.clear();
                }
            } catch (IndexException e) {
                err.println("symdex: " + (signalled ? "interrupted during --merge: the index stays as the run "
                        + "committed it, not merged" : e.getMessage()));
                return signalled ? EXIT_INTERRUPTED : Symdex.EXIT_BAD_INPUT;
            }
            out.printf(Locale.ROOT, "merged into one segment in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            out.flush();
        }
        return code;
    }

    /** Set by the stop hook: the JVM is shutting down on SIGINT/SIGTERM and will exit 128 + the signal. */
    private static volatile boolean SIGNALLED;

    /**
     * Whether the process is shutting down on a signal: then the JVM's own exit status (130, 143) is the
     * one to keep, and main must not race it with System.exit (which, once the hooks have run, halts at
     * once with its own status).
     */
    static boolean stoppedBySignal() {
        return SIGNALLED;
    }

    /** What a run stopped by a signal returns in-process; the JVM itself exits 128 + the signal's number. */
    static final int EXIT_INTERRUPTED = 130;
}
