package org.symdex.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.CapabilityPattern;
import org.symdex.query.QueryFilter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** whatprovides and whatrequires: CAP exact or glob, answered from the terms dictionaries. */
abstract class CapabilityQueryCommand extends QueryCommand {
    @Option(names = "--not-source", paramLabel = "NAME", description = "Leave out packages built from this "
            + "source package (repeatable): '--not-source glibc' keeps GLIBC_PRIVATE importers outside glibc.")
    List<String> notSources = List.of();

    @Parameters(index = "0", paramLabel = "CAP", description = "A capability as elfdeps writes it, or a glob "
            + "('*' any run, '?' one character, '\\' escapes): quote it for the shell.")
    String capability;

    @Override
    QueryFilter filter() {
        return new QueryFilter(arch, Set.copyOf(notSources), globs());
    }

    abstract String command();

    /** Renders a flat list of hits; exit 0 when there is any, 1 when none. */
    int flat(PrintWriter out, CapabilityPattern pattern, List<CapabilityHit> hits) {
        switch (format.value) {
            case text -> textHits(out, hits);
            case tsv -> tsvLines(hits).forEach(out::println);
            case json -> {
                Json json = envelope(out, command());
                query(json, pattern);
                json.name("results").beginArray();
                hits.forEach(h -> jsonHit(json, h));
                json.endArray();
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        return hits.isEmpty() ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    void query(Json json, CapabilityPattern pattern) {
        json.name("query").beginObject().field("capability", pattern.text()).field("glob", pattern.isGlob())
                .field("arch", arch).field("notSources", filter().notSources()).endObject();
    }

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        return runPattern(idx, out, argument(CapabilityPattern::of, capability));
    }

    abstract int runPattern(CapabilityIndex idx, PrintWriter out, CapabilityPattern pattern) throws IndexException;
}
