package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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
import picocli.CommandLine.Parameters;
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
    IndexDirOption index;

    @Mixin
    XzDecoderOption xz = new XzDecoderOption();

    @Option(names = {"-l", "--label"}, paramLabel = "LABEL",
            description = "Label of every package under the given paths, e.g. bookworm/main ('' for none). "
                    + "Without it, indexed packages keep their labels and new ones get none; with it, an "
                    + "unchanged package whose label differs is relabelled without being read.")
    String label;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Packages read in parallel (default: the number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--prune", description = "Delete indexed packages that are gone from the given paths.")
    boolean prune;

    @Option(names = "--max-prune", paramLabel = "PERCENT", defaultValue = "10", description = "Refuse to remove "
            + "more than this percentage of a root's indexed packages (when more than 5 would go): additions and "
            + "updates are still committed, nothing under that root is removed, exit 2 (default: ${DEFAULT-VALUE}).")
    double maxPrune;

    @Option(names = "--force-prune", description = "Remove whatever --prune finds gone, however many.")
    boolean forcePrune;

    @Option(names = "--prune-missing-roots", description = "With --prune, a PATH that no longer exists (a mirror "
            + "moved away for good) is pruned too, under the same --max-prune guard, instead of being a failure.")
    boolean pruneMissingRoots;

    @Option(names = "--merge", description = "After the run, merge the index into one segment: queries and "
            + "diffs then look each term up once instead of once per segment (about half the time of a query "
            + "call), at the cost of rewriting the index (about a minute for 6,000 packages).")
    boolean merge;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + org.symdex.index.IndexSession.DEFAULT_KEEP,
            description = "Nights to keep: every finished run is a commit, readable as INDEX@-1, INDEX@YYYY-MM-DD "
                    + "or INDEX@GENERATION, and unchanged segments are shared between them, so a night costs what "
                    + "changed (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--rebuild", description = "Start a new, empty index (needed when the index was built "
            + "by another schema or extractor version).")
    boolean rebuild;

    @Option(names = "--commit-every", paramLabel = "N", description = "Commit after every N packages read "
            + "(default: ${DEFAULT-VALUE}), and at the end.", defaultValue = "" + RunOptions.DEFAULT_COMMIT_EVERY)
    int commitEvery;

    @Option(names = "--no-symbols", description = "Leave out dynamic symbols (a smaller index; the upgrade "
            + "reports need them).")
    boolean noSymbols;

    @Mixin
    SourceOptions sources = new SourceOptions();

    @Option(names = "--allow-older", description = "Read a source whose Release Date (repomd revision) is older than "
            + "the one indexed last time (a lagging mirror is skipped otherwise, so that it prunes nothing).")
    boolean allowOlder;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "The run's summary: text or json (for CI; default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "Package files and directories of them.")
    List<Path> paths = new java.util.ArrayList<>();

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
        if (label != null && label.chars().anyMatch(c -> c == ',' || c < 0x20 || c == 0x7f)) {
            throw new ParameterException(spec.commandLine(), "--label must not hold ',' or control characters: "
                    + "queries print labels joined by ','");
        }
        if (pruneMissingRoots && !prune) {
            throw new ParameterException(spec.commandLine(), "--prune-missing-roots needs --prune");
        }
        if (index.ref().ref().isPresent()) {
            throw new ParameterException(spec.commandLine(), "--index " + index.value + ": a run writes the newest "
                    + "commit; name the directory, not one of its nights");
        }
        if (keep < 1) {
            throw new ParameterException(spec.commandLine(), "--keep must be at least 1");
        }
        if (!(maxPrune >= 0 && maxPrune <= 100)) {
            throw new ParameterException(spec.commandLine(), "--max-prune must be a percentage from 0 to 100");
        }
        if (format == OutputFormat.tsv) {
            throw new ParameterException(spec.commandLine(), "--format tsv is not offered by index: text or json");
        }
        if (paths.isEmpty() && !sources.any()) {
            throw new ParameterException(spec.commandLine(), "nothing to index: give a PATH, a --source LINE or "
                    + "a --sources FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        org.symdex.source.ParsedSources parsed;
        org.symdex.source.SourceFilter filter;
        org.symdex.source.Fetcher fetcher;
        Progress progress = new Progress(err, Terminal.isTerminal(Terminal.STDERR), true)
                .verbose(Symdex.verbose(spec.commandLine()));
        try {
            parsed = sources.parse();
            filter = sources.filter();
            fetcher = sources.fetcher(progress::received);
        } catch (org.symdex.source.SourceException e) {
            err.println("symdex: " + e.getMessage());
            return Symdex.EXIT_BAD_INPUT;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        parsed.notes().forEach(n -> err.println("symdex: " + n)); // deb-src, Enabled: no: what the user wrote
        if (paths.isEmpty() && parsed.specs().isEmpty()) {
            err.println("symdex: nothing to index: every source given is skipped (deb-src, Enabled: no, enabled=0)");
            return Symdex.EXIT_BAD_INPUT;
        }
        RunOptions options = RunOptions.defaults(index.dir()).withLabel(label).withJobs(jobs).withPrune(prune)
                .withRebuild(rebuild).withCommitEvery(commitEvery).withSymbols(!noSymbols).withReader(xz.readerOptions())
                .withMaxPrune(maxPrune, forcePrune).withPruneMissingRoots(pruneMissingRoots).withKeep(keep)
                .withSources(parsed.specs(), filter, fetcher).withAllowOlder(allowOlder);
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
            return run(options, progress, out, err);
        } finally {
            progress.clear();
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

    private int run(RunOptions options, Progress progress, PrintWriter out, PrintWriter err) {
        RunReport report;
        try {
            IndexRun run = new IndexRun(options, progress);
            running = run;
            report = run.run(paths);
        } catch (IndexException e) {
            progress.clear();
            err.println("symdex: " + e.getMessage());
            return Symdex.EXIT_BAD_INPUT;
        } finally {
            running = null;
            progress.clear(); // also before an internal error's line
        }
        if (!report.indexWritten()) {
            err.println("symdex: " + index.dir() + ": nothing to index (every path and source is missing or holds no "
                    + "package); no index created");
            return Symdex.EXIT_BAD_INPUT;
        }
        if (report.interrupted()) {
            err.println("symdex: interrupted: " + report.committed() + " of " + report.total()
                    + " packages committed; run again to continue");
            return EXIT_INTERRUPTED;
        }
        progress.clear();
        if (format == OutputFormat.json) {
            json(out, report);
        } else {
            for (RunReport.SourceResult r : report.sources()) {
                out.println(r.summary());
            }
            out.println(report.summary());
        }
        out.flush();
        int code = report.failed().isEmpty() && report.pruneRefusals().isEmpty() && report.sourceFailures().isEmpty()
                ? Symdex.EXIT_OK : Symdex.EXIT_BAD_INPUT;
        for (Throwable t : report.internalErrors()) {
            // Each is also a failure line already (the run went on); the trace is what a bug report needs.
            Symdex.internalError(err, t, Symdex.verbose(spec.commandLine()));
            code = Symdex.worst(code, Symdex.EXIT_INTERNAL);
        }
        if (merge) {
            long t0 = System.nanoTime();
            try {
                Map<String, String> data = IndexSession.commitData(index.dir()).orElseThrow();
                Progress bar = new Progress(err, Terminal.isTerminal(Terminal.STDERR));
                bar.planned(0, 0, 0, 0);
                bar.phase("merging into one segment");
                if (keep > 1) {
                    err.println("symdex: --merge rewrites every segment, so each of the " + keep + " kept nights costs "
                            + "a full copy of the index; the nightly recipe leaves --merge out (or use --keep 1)");
                }
                try (IndexSession s = IndexSession.open(index.dir(), false, !noSymbols, keep)) {
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

    /** The run's summary for CI: the counts, failures by kind, and each source (docs/json-schema.md). */
    private static void json(PrintWriter out, RunReport r) {
        Json j = new Json(out);
        j.beginObject().field("schema", "symdex/1").field("command", "index");
        j.name("results").beginArray().beginObject()
                .field("added", r.added()).field("skipped", r.skipped()).field("replaced", r.replaced())
                .field("removed", r.removed()).field("relabelled", r.relabelled()).field("moved", r.moved())
                .field("failed", r.failed().size());
        j.name("failureKinds").beginObject();
        r.failureKinds().forEach((k, n) -> j.field(k, n));
        j.endObject();
        j.field("elfFiles", r.elfFiles()).field("capabilities", r.capabilities()).field("bytesRead", r.bytesRead())
                .field("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        j.name("sources").beginArray();
        for (RunReport.SourceResult s : r.sources()) {
            j.beginObject().field("line", s.line()).field("labels", s.labels()).field("status", s.status())
                    .field("listed", s.listed()).field("read", s.read()).field("unchanged", s.unchanged())
                    .field("relabelled", s.relabelled()).field("pruned", s.pruned()).field("failed", s.failed())
                    .endObject();
        }
        j.endArray();
        j.name("failures").beginArray();
        for (RunReport.Failure f : r.failed()) {
            j.beginObject().field("package", f.packageFile()).field("message", f.message()).endObject();
        }
        j.endArray();
        j.field("pruneRefusals", r.pruneRefusals());
        j.field("summary", r.summary());
        j.endObject().endArray();
        j.name("errors").beginArray();
        for (String s : r.sourceFailures()) {
            j.value(s);
        }
        j.endArray().endObject().end();
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
