package org.symdex.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.symdex.index.IndexException;
import org.symdex.index.IndexInfo;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.RunState;
import org.symdex.index.Schema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex info}: the index's version stamp, labels, counts and last run. */
@Command(name = "info", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Describe an index: its schema and extractor versions, whether it holds symbols, "
                + "the labels, packages per architecture and format, ELF files per scope, failures, and "
                + "the time and summary of the last run, and the kept nights (each a commit, named DIR@GENERATION)."},
        footer = {"", "Examples:",
                "  symdex info --index idx",
                "  symdex info --index idx --format json",
                "  symdex info --index idx@-1          # the night before the newest",
                "",
                "Exit codes: 0 fine, 2 no index or unreadable, 70 internal error."})
final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexDirOption index;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}); tsv is refused.")
    OutputFormat format;

    @Override
    public Integer call() throws IndexException {
        if (format == OutputFormat.tsv) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--format tsv is not offered by info: text or json");
        }
        PrintWriter out = TerminalText.wrap(spec.commandLine().getOut(), format);
        IndexInfo info;
        java.util.List<IndexInfo.NightInfo> nights;
        try (IndexSnapshot snapshot = IndexSnapshot.openUnchecked(index.ref())) {
            info = IndexInfo.read(snapshot);
            nights = IndexInfo.nights(snapshot);
        }
        Map<String, String> data = info.commitData();
        String finished = data.get(Schema.DATA_RUN_FINISHED);
        RunState run = RunState.of(data);
        boolean inProgress = IndexSnapshot.runInProgress(index.dir());
        String versionProblem = null;
        try {
            IndexSnapshot.checkVersion(java.nio.file.Path.of(index.value), data);
        } catch (IndexException e) {
            versionProblem = e.getMessage();
        }
        if (format == OutputFormat.json) {
            Json json = new Json(out);
            json.beginObject().field("schema", "symdex/1").field("command", "info");
            json.name("results").beginArray().beginObject()
                    .field("index", index.value)
                    .field("schemaVersion", data.getOrDefault(Schema.DATA_SCHEMA, ""))
                    .field("extractorVersion", data.getOrDefault(Schema.DATA_EXTRACTOR, ""))
                    .field("symbols", Boolean.parseBoolean(data.getOrDefault(Schema.DATA_SYMBOLS, "true")))
                    .field("lastRunStarted", data.get(Schema.DATA_RUN_STARTED))
                    .field("lastRunFinished", finished)
                    .field("lastRunSummary", data.get(Schema.DATA_RUN_SUMMARY))
                    .field("lastRunDone", run.done())
                    .field("lastRunTotal", run.total())
                    .field("runInProgress", inProgress)
                    .field("readable", versionProblem == null)
                    .field("packages", info.packages()).field("files", info.files())
                    .field("failures", info.failures());
            counts(json, "labels", info.labels());
            counts(json, "arches", info.arches());
            counts(json, "formats", info.formats());
            counts(json, "scopes", info.scopes());
            json.name("nights").beginArray();
            for (IndexInfo.NightInfo n : nights) {
                json.beginObject().field("generation", n.generation()).field("started", n.started())
                        .field("finished", n.finished()).field("packages", n.packages()).field("files", n.files())
                        .field("sources", n.sources()).endObject();
            }
            json.endArray();
            json.endObject().endArray().name("errors").beginArray().endArray().endObject().end();
        } else {
            out.println("index: " + index.value);
            out.println("version: schema " + data.getOrDefault(Schema.DATA_SCHEMA, "?") + ", extractor "
                    + data.getOrDefault(Schema.DATA_EXTRACTOR, "?") + ", symbols "
                    + (Boolean.parseBoolean(data.getOrDefault(Schema.DATA_SYMBOLS, "true")) ? "yes" : "no"));
            if (versionProblem != null) {
                out.println("readable: no: " + versionProblem);
            }
            out.println("last run: started " + data.getOrDefault(Schema.DATA_RUN_STARTED, "?") + ", "
                    + (finished != null ? "finished " + finished
                    : run.describe(false).replace("the last run ", "") + "; run symdex index again to finish it"));
            if (inProgress) {
                out.println("now: a run is in progress (it holds the index's lock)");
            }
            if (finished != null && data.get(Schema.DATA_RUN_SUMMARY) != null) {
                out.println("last run summary: " + data.get(Schema.DATA_RUN_SUMMARY));
            }
            out.println("labels: " + join(info.labels()));
            out.println("packages: " + info.packages() + " (" + join(info.formats()) + ")");
            out.println("packages per arch: " + join(info.arches()));
            out.println("ELF files: " + info.files() + " (" + join(info.scopes()) + ")");
            out.println("failures: " + info.failures());
            out.println("nights kept: " + nights.size() + (nights.isEmpty() ? "" : " (name one as "
                    + index.dir() + "@GENERATION, @-N or @YYYY-MM-DD)"));
            for (IndexInfo.NightInfo n : nights) {
                out.println("  " + n.generation() + "  finished " + n.finished() + "  " + n.packages() + " packages, "
                        + n.files() + " ELF files" + (n.sources() > 0 ? ", " + n.sources() + (n.sources() == 1 ? " source" : " sources") : ""));
            }
        }
        out.flush();
        return Symdex.EXIT_OK;
    }

    private static void counts(Json json, String name, Map<String, Long> m) {
        json.name(name).beginObject();
        m.forEach(json::field);
        json.endObject();
    }

    /** {@code a 3, b 1}, keys in their sorted order; an empty label shows as (none). */
    private static String join(Map<String, Long> m) {
        StringJoiner j = new StringJoiner(", ");
        m.forEach((k, v) -> j.add((k.isEmpty() ? "(none)" : k) + " " + v));
        return j.length() == 0 ? "-" : j.toString();
    }
}
