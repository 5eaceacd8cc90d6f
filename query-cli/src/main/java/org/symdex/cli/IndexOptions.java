package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.batch.RunReport;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * The options of an index run and what the run prints (a picocli mixin): {@code symdex index} adds
 * {@code --jobs}, {@code --commit-every} and {@code --merge}; {@code symdex-spark} (the spark module)
 * adds {@code --master}, {@code --partitions} and {@code --shard-dir}. One declaration, so the two
 * front ends take the same options with the same meaning, and print the same summary.
 */
public final class IndexOptions {
    @Mixin
    IndexDirOption index;

    @Mixin
    XzDecoderOption xz = new XzDecoderOption();

    @Option(names = {"-l", "--label"}, paramLabel = "LABEL",
            description = "Label of every package under the given paths, e.g. bookworm/main ('' for none). "
                    + "Without it, indexed packages keep their labels and new ones get none; with it, an "
                    + "unchanged package whose label differs is relabelled without being read.")
    String label;

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

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + org.symdex.index.IndexSession.DEFAULT_KEEP,
            description = "Nights to keep: every finished run is a commit, readable as INDEX@-1, INDEX@YYYY-MM-DD "
                    + "or INDEX@GENERATION, and unchanged segments are shared between them, so a night costs what "
                    + "changed (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--rebuild", description = "Start a new, empty index (needed when the index was built "
            + "by another schema or extractor version).")
    boolean rebuild;

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

    /** The index directory. */
    public Path indexDir() {
        return index.dir();
    }

    public List<Path> paths() {
        return List.copyOf(paths);
    }

    public boolean withSymbols() {
        return !noSymbols;
    }

    public int keep() {
        return keep;
    }

    /** Refuses options that do not go together (ParameterException: exit 2 with the reason). */
    public void check(CommandLine cl) {
        if (label != null && label.chars().anyMatch(c -> c == ',' || c < 0x20 || c == 0x7f)) {
            throw new ParameterException(cl, "--label must not hold ',' or control characters: "
                    + "queries print labels joined by ','");
        }
        if (pruneMissingRoots && !prune) {
            throw new ParameterException(cl, "--prune-missing-roots needs --prune");
        }
        if (index.ref().ref().isPresent()) {
            throw new ParameterException(cl, "--index " + index.value + ": a run writes the newest "
                    + "commit; name the directory, not one of its nights");
        }
        if (keep < 1) {
            throw new ParameterException(cl, "--keep must be at least 1");
        }
        if (!(maxPrune >= 0 && maxPrune <= 100)) {
            throw new ParameterException(cl, "--max-prune must be a percentage from 0 to 100");
        }
        if (format == OutputFormat.tsv) {
            throw new ParameterException(cl, "--format tsv is not offered by index: text or json");
        }
        if (paths.isEmpty() && !sources.any()) {
            throw new ParameterException(cl, "nothing to index: give a PATH, a --source LINE or "
                    + "a --sources FILE");
        }
    }

    /**
     * What a run starts with: its options and the listener that prints its progress and messages on
     * {@code err} ({@link #clear} wipes the bar).
     */
    public static final class Start {
        private final RunOptions options;
        private final Progress progress;

        Start(RunOptions options, Progress progress) {
            this.options = options;
            this.progress = progress;
        }

        public RunOptions options() {
            return options;
        }

        public RunListener listener() {
            return progress;
        }

        /** Wipes the progress bar (before a message line, and when the run ends). */
        public void clear() {
            progress.clear();
        }
    }

    /**
     * Parses the sources and makes the run's options (with index's defaults for jobs and commits).
     *
     * @return null when there is nothing to run, the reason said on err: the caller exits 2
     * @throws ParameterException an option that cannot be used (a proxy variable, --timeout)
     */
    public Start start(CommandLine cl, boolean verbose) {
        PrintWriter err = cl.getErr();
        org.symdex.source.ParsedSources parsed;
        org.symdex.source.SourceFilter filter;
        org.symdex.source.Fetcher fetcher;
        Progress progress = new Progress(err, Terminal.isTerminal(Terminal.STDERR), true).verbose(verbose);
        try {
            parsed = sources.parse();
            filter = sources.filter();
            fetcher = sources.fetcher(progress::received);
        } catch (org.symdex.source.SourceException e) {
            err.println("symdex: " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, e.getMessage());
        }
        parsed.notes().forEach(n -> err.println("symdex: " + n)); // deb-src, Enabled: no: what the user wrote
        if (paths.isEmpty() && parsed.specs().isEmpty()) {
            err.println("symdex: nothing to index: every source given is skipped (deb-src, Enabled: no, enabled=0)");
            return null;
        }
        RunOptions options = RunOptions.defaults(index.dir()).withLabel(label).withPrune(prune)
                .withRebuild(rebuild).withSymbols(!noSymbols).withReader(xz.readerOptions())
                .withMaxPrune(maxPrune, forcePrune).withPruneMissingRoots(pruneMissingRoots).withKeep(keep)
                .withSources(parsed.specs(), filter, fetcher).withAllowOlder(allowOlder);
        return new Start(options, progress);
    }

    /** The --timeout of HTTP sources, in seconds: what a process that opens its own fetcher needs. */
    public long timeoutSeconds() {
        return sources.timeoutSeconds;
    }

    /** What a process far from this one needs to read the same packages: the xz decoder's name. */
    public String xzDecoder() {
        return xz.xzDecoder.name();
    }

    /**
     * Prints what the run did, as {@code symdex index} prints it (each source's line and the summary, or
     * the JSON document), and returns the exit code: 0, 2 when a package, root or source could not be
     * read or --prune refused, 70 after an internal error, 130 when interrupted.
     */
    public int finish(CommandLine cl, RunReport report, boolean verbose) {
        PrintWriter out = cl.getOut();
        PrintWriter err = cl.getErr();
        if (!report.indexWritten()) {
            err.println("symdex: " + index.dir() + ": nothing to index (every path and source is missing or holds no "
                    + "package); no index created");
            return Symdex.EXIT_BAD_INPUT;
        }
        if (report.interrupted()) {
            err.println("symdex: interrupted: " + report.committed() + " of " + report.total()
                    + " packages committed; run again to continue");
            return IndexCommand.EXIT_INTERRUPTED;
        }
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
            Symdex.internalError(err, t, verbose);
            code = Symdex.worst(code, Symdex.EXIT_INTERNAL);
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
}
