package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.CapabilityPattern;
import org.symdex.query.Glob;
import org.symdex.query.IndexedPackage;
import org.symdex.query.QueryFilter;
import picocli.CommandLine.Option;

/**
 * whatprovides, whatrequires, whatimports and whatexports: each argument answered from the terms
 * dictionaries, several arguments a union (issue 16, item 4): exit 0 when any matched, and for each one
 * that did not, one line (and up to three "did you mean" lines) on stderr.
 */
abstract class CapabilityQueryCommand extends QueryCommand {
    @Option(names = "--not-source", paramLabel = "NAME", description = "Leave out packages built from this "
            + "source package (repeatable): '--not-source glibc' keeps GLIBC_PRIVATE importers outside glibc.")
    List<String> notSources = List.of();

    @Option(names = "--packages", description = "One line per package instead of one per file: tsv NAME, VERSION, "
            + "ARCH, PACKAGE-FILE, LABELS; text 'NAME-VERSION.ARCH from LABELS'.")
    boolean packages;

    @Option(names = "--by-label", description = "Count per label instead of listing: one line per label and matched "
            + "capability with its packages and files, and a 0 line for each label (within --label) without a "
            + "match. tsv LABEL, CAPABILITY, PACKAGES, FILES; exit 1 when every count is 0.")
    boolean byLabel;

    /** The description of CAP, shared by whatprovides and whatrequires. */
    static final String CAP_HELP = "A capability as elfdeps writes it, a soname ('.so', no '(' or '/': the soname and "
            + "every SONAME(... capability), or a glob ('*' any run, '?' one character, '[...]', '[!...]', '{a,b}', "
            + "'\\' escapes): quote it for the shell. Several are a union.";

    /** The positional arguments, each answered on its own (declared by each command: their labels differ). */
    abstract List<String> arguments();

    @Override
    QueryFilter filter() {
        return new QueryFilter(arch, Set.copyOf(notSources), globs());
    }

    abstract String command();

    /** The verb of "nothing VERB 'X'": provides, requires, imports, exports. */
    String verb() {
        return command().substring(4);
    }

    /** One argument's hits. */
    abstract List<CapabilityHit> answer(CapabilityIndex idx, String argument) throws IndexException;

    /** What stderr says for an argument that matched nothing, without "symdex: ". */
    String nothing(String argument) {
        return "nothing " + verb() + " '" + argument + "'";
    }

    /** Up to three near terms for an argument that matched nothing. */
    abstract List<String> suggestions(CapabilityIndex idx, String argument) throws IndexException;

    /** Column 6 as text and tsv print it (whatimports --demangle shows C++ names demangled). */
    String display(String term) {
        return term;
    }

    /** Called once with every hit before rendering (demangling looks names up in one batch). */
    void prepare(CapabilityIndex idx, List<CapabilityHit> hits) throws IndexException {
    }

    /** The fields of one hit after the package's, in json. */
    void jsonHitFields(Json json, CapabilityHit h) {
        json.field("path", h.path()).field("scope", h.scope()).field("capability", h.capability());
    }

    /** One argument's answer: its hits, or the note and suggestions when it has none. */
    record Answer(String argument, List<CapabilityHit> hits, String note, List<String> suggestions) {
    }

    List<Answer> answers(CapabilityIndex idx) throws IndexException {
        List<Answer> out = new ArrayList<>();
        for (String a : arguments()) {
            List<CapabilityHit> hits = answer(idx, a);
            out.add(hits.isEmpty() ? notFound(idx, a) : new Answer(a, hits, null, List.of()));
        }
        return out;
    }

    /**
     * An argument that matched nothing: {@link #nothing}, with {@code "; it is required (whatrequires)"}
     * and the like when the other question finds it ({@link #elsewhere}), and the suggestions.
     */
    Answer notFound(CapabilityIndex idx, String argument) throws IndexException {
        String other = elsewhere(idx, argument);
        return new Answer(argument, List.of(), nothing(argument) + (other == null ? "" : "; " + other),
                suggestions(idx, argument));
    }

    /** What the other question says of an argument this one did not find ("it is required (whatrequires)"), or null. */
    String elsewhere(CapabilityIndex idx, String argument) throws IndexException {
        return null;
    }

    /** --by-label: each argument's hits counted per label and capability, zero rows included. */
    int byLabel(CapabilityIndex idx, PrintWriter out, List<Answer> answers) throws IndexException {
        List<String> scope = idx.labelScope(filter());
        List<org.symdex.query.ByLabel> rows = new ArrayList<>();
        Map<org.symdex.query.ByLabel, String> queryOf = new LinkedHashMap<>();
        for (Answer a : answers) {
            for (org.symdex.query.ByLabel r : org.symdex.query.ByLabel.of(a.argument(), a.hits(), scope)) {
                if (queryOf.putIfAbsent(r, a.argument()) == null) {
                    rows.add(r);
                }
            }
        }
        switch (format.value) {
            case text -> rows.forEach(r -> out.println(r.label() + ": " + display(r.capability()) + ": " + r.packages()
                    + (r.packages() == 1 ? " package, " : " packages, ") + r.files() + (r.files() == 1 ? " file" : " files")));
            case tsv -> rows.forEach(r -> out.println(Tsv.line(r.label(), display(r.capability()),
                    Long.toString(r.packages()), Long.toString(r.files()))));
            case json -> {
                Json json = envelope(out, command());
                query(json);
                json.field("byLabel", true);
                json.name("results").beginArray();
                for (org.symdex.query.ByLabel r : rows) {
                    json.beginObject().field("label", r.label()).field("capability", r.capability())
                            .field("packages", r.packages()).field("files", r.files())
                            .field("query", queryOf.get(r)).endObject();
                }
                json.endArray();
                suggestionsJson(json, answers);
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        notes(answers);
        return rows.stream().allMatch(r -> r.packages() == 0) ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    /** Renders the union of the answers; exit 0 when any argument matched, 1 when none did. */
    int union(CapabilityIndex idx, PrintWriter out, List<Answer> answers) throws IndexException {
        if (byLabel) {
            return byLabel(idx, out, answers);
        }
        // hit → the arguments that matched it, in argument order
        Map<CapabilityHit, List<String>> queries = new LinkedHashMap<>();
        for (Answer a : answers) {
            for (CapabilityHit h : a.hits()) {
                queries.computeIfAbsent(h, k -> new ArrayList<>()).add(a.argument());
            }
        }
        List<CapabilityHit> hits = new ArrayList<>(queries.keySet());
        hits.sort(CapabilityHit.ORDER);
        prepare(idx, hits);
        if (packages) {
            renderPackages(out, hits, queries, answers);
        } else {
            switch (format.value) {
                case text -> textRows(out, hits);
                case tsv -> tsvRows(hits).forEach(out::println);
                case json -> {
                    Json json = envelope(out, command());
                    query(json);
                    json.name("results").beginArray();
                    for (CapabilityHit h : hits) {
                        json.beginObject();
                        packageFields(json, h.pkg());
                        jsonHitFields(json, h);
                        json.field("query", queries.get(h).get(0)).field("queries", queries.get(h)).endObject();
                    }
                    json.endArray();
                    suggestionsJson(json, answers);
                    endEnvelope(json);
                }
                default -> throw new IllegalStateException("unhandled format " + format.value);
            }
        }
        notes(answers);
        return hits.isEmpty() ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    /** --packages: one line (or object) per package. */
    void renderPackages(PrintWriter out, List<CapabilityHit> hits, Map<CapabilityHit, List<String>> queries,
                        List<Answer> answers) {
        Map<IndexedPackage, List<String>> pkgs = new TreeMap<>(IndexedPackage.ORDER);
        for (CapabilityHit h : hits) {
            List<String> qs = pkgs.computeIfAbsent(h.pkg(), k -> new ArrayList<>());
            for (String q : queries.get(h)) {
                if (!qs.contains(q)) {
                    qs.add(q);
                }
            }
        }
        // arguments in the order given, whichever hit came first
        pkgs.replaceAll((p, qs) -> arguments().stream().filter(qs::contains).distinct().toList());
        switch (format.value) {
            case text -> pkgs.keySet().forEach(p -> out.println(p.nevra() + " from " + label(p)));
            case tsv -> pkgs.keySet().stream().map(p -> Tsv.line(p.name(), p.evr(), p.arch(), ByteStrings.of(p.file()),
                    label(p))).sorted().distinct().forEach(out::println);
            case json -> {
                Json json = envelope(out, command());
                query(json);
                json.field("packages", true);
                json.name("results").beginArray();
                pkgs.forEach((p, qs) -> {
                    json.beginObject();
                    packageFields(json, p).field("query", qs.get(0)).field("queries", qs).endObject();
                });
                json.endArray();
                suggestionsJson(json, answers);
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
    }

    /** Text: per package {@code NEVRA from LABEL (PACKAGE-FILE)}, then {@code   PATH  COLUMN-6}. */
    void textRows(PrintWriter out, List<CapabilityHit> hits) {
        String lastFile = null;
        for (CapabilityHit h : hits) {
            if (!h.pkg().file().equals(lastFile)) {
                lastFile = h.pkg().file();
                out.println(packageLine(h.pkg()));
            }
            out.println("  " + (h.declared() ? "[rpm header]" : h.path()) + "  " + display(h.capability()));
        }
    }

    List<String> tsvRows(List<CapabilityHit> hits) {
        List<String> lines = new ArrayList<>(hits.size());
        for (CapabilityHit h : hits) {
            IndexedPackage p = h.pkg();
            lines.add(Tsv.line(p.name(), p.evr(), p.arch(), ByteStrings.of(p.file()), h.pathOrDash(),
                    display(h.capability()), label(p)));
        }
        return lines.stream().sorted().distinct().toList();
    }

    /** stderr: each argument that matched nothing, and what it may have meant. */
    void notes(List<Answer> answers) {
        PrintWriter err = spec.commandLine().getErr();
        for (Answer a : answers) {
            if (a.note() != null) {
                err.println("symdex: " + a.note());
                a.suggestions().forEach(s -> err.println("symdex: did you mean '" + s + "'?"));
            }
        }
        err.flush();
    }

    /** json {@code suggestions}: one object per argument that matched nothing. */
    static void suggestionsJson(Json json, List<Answer> answers) {
        json.name("suggestions").beginArray();
        for (Answer a : answers) {
            if (a.note() != null) {
                json.beginObject().field("query", a.argument()).field("message", a.note())
                        .field("didYouMean", a.suggestions()).endObject();
            }
        }
        json.endArray();
    }

    void query(Json json) {
        json.name("query").beginObject().field("capability", arguments().isEmpty() ? null : arguments().get(0))
                .field("arguments", arguments())
                .field("glob", arguments().stream().anyMatch(Glob::hasWildcard))
                .field("arch", arch).field("notSources", filter().notSources()).endObject();
    }

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        return union(idx, out, answers(idx));
    }

    /** CAP as a pattern; a malformed glob is bad usage (exit 2, the position named). */
    CapabilityPattern pattern(String argument) {
        return argument(CapabilityPattern::of, argument);
    }

    /** Parses every argument before any is answered, so a bad glob in the last fails before output. */
    void parseAll(java.util.function.Consumer<String> parse) {
        arguments().forEach(parse);
    }
}
