package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.IndexedPackage;
import org.symdex.query.QueryFilter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the index query commands share: --index, --format, --arch, the error policy (no index, a bad
 * pattern or PKG: exit 2 with one line on stderr) and the renderings of hits.
 */
abstract class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    IndexDirOption index;

    @Mixin
    FormatOption format = new FormatOption();

    @Option(names = {"-a", "--arch"}, paramLabel = "ARCH", description = "Only packages of this architecture "
            + "label (amd64, i386, x86_64, all, noarch ...), as the package states it.")
    String arch;

    @Option(names = "--label", paramLabel = "GLOB", description = "Only packages with a label this glob matches "
            + "('*' crosses '/': 'Debian/bookworm*'; '-' for packages without a label). Repeatable. It chooses "
            + "what is reported, not what satisfies a requirement.")
    List<String> labelGlobs = List.of();

    /** The filter of this call; commands with --not-source add theirs. */
    QueryFilter filter() {
        return new QueryFilter(arch, Set.of(), globs());
    }

    List<org.symdex.query.Glob> globs() {
        return labelGlobs.stream().map(g -> argument(org.symdex.query.Glob::of, g)).toList();
    }

    /** The command's work on an open index; returns the exit code. */
    abstract int run(CapabilityIndex idx, PrintWriter out) throws IndexException;

    /**
     * Non-null for commands whose exit code reports findings (broken): they refuse an unfinished index
     * unless {@code --allow-partial}. Lookups only warn.
     */
    PartialOption partial() {
        return null;
    }

    /**
     * Opens an index this command reads (--index, a baseline): warns, or for a findings command refuses,
     * when its last run did not finish.
     */
    CapabilityIndex open(org.symdex.index.IndexRef ref) throws IndexException {
        CapabilityIndex idx = CapabilityIndex.open(ref);
        try {
            usable(idx.snapshot(), partial(), spec.commandLine().getErr());
        } catch (IndexException e) {
            idx.close();
            throw e;
        }
        return idx;
    }

    /** The unfinished-run rule: a warning line, or a refusal when {@code partial} is given and not allowed. */
    static void usable(org.symdex.index.IndexSnapshot snapshot, PartialOption partial, PrintWriter err)
            throws IndexException {
        if (partial != null) {
            snapshot.requireFinished(partial.allow);
        }
        snapshot.unfinishedWarning().ifPresent(w -> {
            err.println("symdex: " + w);
            err.flush();
        });
    }

    /**
     * Refuses filter values that match nothing in the index: a typo (--arch amd46) would otherwise
     * answer "nothing found" or, for broken, "nothing broken".
     */
    void checkFilters(CapabilityIndex idx) throws IndexException {
        if (arch != null) {
            List<String> present = idx.arches();
            if (!present.contains(arch)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--arch " + arch
                        + ": no package in " + idx.dir() + " has that architecture (present: "
                        + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
            }
        }
        if (!labelGlobs.isEmpty()) {
            List<String> present = idx.labels();
            for (org.symdex.query.Glob g : globs()) {
                if (present.stream().noneMatch(l -> l.equals(g.text()) || !l.equals(QueryFilter.UNLABELED) && g.matches(l))) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label " + g.text()
                            + ": no package in " + idx.dir() + " has a label it matches (present: "
                            + (present.isEmpty() ? "none" : String.join(", ", present)) + ")");
                }
            }
        }
        for (String source : filter().notSources()) {
            if (!idx.hasSource(source)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--not-source " + source
                        + ": no package in " + idx.dir() + " is built from that source package");
            }
        }
    }

    @Override
    public final Integer call() throws IndexException {
        PrintWriter out = TerminalText.wrap(spec.commandLine().getOut(), format.value);
        try (CapabilityIndex idx = open(index.ref())) {
            checkFilters(idx);
            int code = run(idx, out);
            out.flush();
            return code;
        }
    }

    /** An argument the library refuses (a malformed pattern or package name) is bad usage, exit 2. */
    <T> T argument(java.util.function.Function<String, T> parse, String value) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    // ---- rendering shared by whatprovides, whatrequires and broken ---------------------------------

    /**
     * NAME, VERSION, ARCH, PACKAGE-FILE, PATH ("-" for a declared capability), CAPABILITY, LABELS; the lines
     * sorted bytewise (chars are bytes here) and unique, as issue 5 fixes them.
     */
    static List<String> tsvLines(List<CapabilityHit> hits) {
        List<String> lines = new ArrayList<>(hits.size());
        for (CapabilityHit h : hits) {
            IndexedPackage p = h.pkg();
            lines.add(Tsv.line(p.name(), p.evr(), p.arch(), ByteStrings.of(p.file()), h.pathOrDash(), h.capability(),
                    label(p)));
        }
        return lines.stream().sorted().distinct().toList();
    }

    /** Text: per package {@code NEVRA from LABEL (PACKAGE-FILE)}, then {@code   PATH  CAPABILITY}. */
    static void textHits(PrintWriter out, List<CapabilityHit> hits) {
        String lastFile = null;
        for (CapabilityHit h : hits) {
            if (!h.pkg().file().equals(lastFile)) {
                lastFile = h.pkg().file();
                out.println(packageLine(h.pkg()));
            }
            out.println("  " + (h.declared() ? "[rpm header]" : h.path()) + "  " + h.capability());
        }
    }

    static String packageLine(IndexedPackage p) {
        return p.nevra() + " from " + label(p) + " (" + ByteStrings.of(p.file()) + ")";
    }

    /** LABELS as text and tsv print them: sorted bytewise, joined by ',', "-" when none. */
    static String label(IndexedPackage p) {
        return p.labels().isEmpty() ? "-" : String.join(",", p.labels());
    }

    /** The fields every JSON answer gives for its package. */
    static Json packageFields(Json json, IndexedPackage p) {
        return json.field("name", p.name()).field("version", p.evr()).field("arch", p.arch())
                .field("packageFile", ByteStrings.of(p.file())).field("source", p.source()).field("label", p.label())
                .field("labels", p.labels()).field("locations", p.locations().isEmpty() ? List.of(ByteStrings.of(p.file()))
                        : p.locations());
    }

    static void jsonHit(Json json, CapabilityHit h) {
        json.beginObject();
        packageFields(json, h.pkg()).field("path", h.path()).field("scope", h.scope())
                .field("capability", h.capability()).endObject();
    }

    /** {path, scope, capability} without the package: inside a package's own object. */
    static void jsonEntry(Json json, CapabilityHit h) {
        json.beginObject().field("path", h.path()).field("scope", h.scope()).field("capability", h.capability())
                .endObject();
    }

    static Json envelope(PrintWriter out, String command) {
        Json json = new Json(out);
        json.beginObject().field("schema", "symdex/1").field("command", command);
        return json;
    }

    static void endEnvelope(Json json) {
        json.name("errors").beginArray().endArray().endObject().end();
    }
}
