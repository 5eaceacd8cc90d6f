package org.symdex.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.symdex.index.IndexException;
import org.symdex.index.IndexInfo;
import org.symdex.index.IndexSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex failures}: the packages the index could not read, with the reason recorded. */
@Command(name = "failures", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the packages that could not be read when they were last indexed, sorted by path. "
                + "Each is retried by the next 'symdex index' run over its path."},
        footer = {"", "Examples:",
                "  symdex failures --index idx",
                "  symdex failures --index idx --format tsv | cut -f1 | xargs ls -l",
                "",
                "text: 'PACKAGE: reason'; tsv: PACKAGE<TAB>LABEL<TAB>REASON; json: the symdex/1 envelope with "
                        + "results [{package, label, reason}].",
                "Exit codes: 0 no failures, 1 some listed, 2 no index or unreadable, 70 internal error."})
final class FailuresCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexDirOption index;

    @Mixin
    FormatOption format = new FormatOption();

    @Override
    public Integer call() throws IndexException {
        PrintWriter out = TerminalText.wrap(spec.commandLine().getOut(), format.value);
        List<IndexInfo.Failure> failures;
        try (IndexSnapshot snapshot = IndexSnapshot.open(index.ref())) {
            QueryCommand.usable(snapshot, null, spec.commandLine().getErr());
            failures = IndexInfo.failures(snapshot);
        }
        switch (format.value) {
            case text -> failures.forEach(f -> out.println(f.packageFile() + ": " + f.message()));
            case tsv -> failures.forEach(f -> out.println(Tsv.line(f.packageFile(), f.label(), f.message())));
            case json -> {
                Json json = new Json(out);
                json.beginObject().field("schema", "symdex/1").field("command", "failures");
                json.name("results").beginArray();
                for (IndexInfo.Failure f : failures) {
                    json.beginObject().field("package", f.packageFile()).field("label", f.label())
                            .field("reason", f.message()).endObject();
                }
                json.endArray().name("errors").beginArray().endArray().endObject().end();
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        out.flush();
        return failures.isEmpty() ? Symdex.EXIT_OK : Symdex.EXIT_FINDINGS;
    }
}
