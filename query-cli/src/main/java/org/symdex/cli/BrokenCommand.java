package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.symdex.index.IndexException;
import org.symdex.query.BrokenReport;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.QueryFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code symdex broken}: requirements nothing in the index satisfies, repoclosure-style. */
@Command(name = "broken", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List every package with a requirement that nothing in the index satisfies. A "
                + "requirement of an ELF file is satisfied by a provide of an ELF file of the same scope "
                + "(machine and class) or by a declared provide of an rpm whose architecture has that "
                + "scope (noarch: any scope); rtld(GNU_HASH) by a glibc dynamic loader of the scope. Of "
                + "an rpm header's requirements only the elfdeps-shaped ones are judged (rpmlib(), paths "
                + "and package names are not). Computed from the terms dictionaries: only unsatisfied "
                + "requirements are looked up in documents."},
        footer = {"", "Examples:",
                "  symdex broken --index idx",
                "  symdex broken --index idx --arch i386 --format tsv",
                "  symdex broken --index tonight/ --only-new lastnight/   # only what tonight broke",
                "  symdex broken --index idx --format json | jq '.results[].name'",
                "",
                "text, as repoclosure prints it: 'package: NAME-VERSION.ARCH from LABEL', then "
                        + "'  unresolved deps (N):' and the capabilities, indented.",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for the rpm header), CAPABILITY, "
                        + "LABELS (',' between labels, '-' for none; one line per file and unsatisfied requirement, "
                        + "sorted bytewise).",
                "Exit codes: 0 nothing broken, 1 something broken, 2 bad usage or no index, 70 internal error."})
final class BrokenCommand extends QueryCommand {
    @Option(names = "--not-source", paramLabel = "NAME", description = "Leave out packages built from this "
            + "source package (repeatable).")
    List<String> notSources = List.of();

    @Option(names = "--only-new", paramLabel = "BASELINE[@REF]", description = "Hide what was already broken "
            + "in this older index or night (INDEX@-1: last night's): a line stays when its package (name, arch), "
            + "file and capability were not broken there.")
    String onlyNew;

    @Mixin
    PartialOption partial = new PartialOption();

    @Override
    PartialOption partial() {
        return partial;
    }

    @Override
    QueryFilter filter() {
        return new QueryFilter(arch, Set.copyOf(notSources), globs());
    }

    /** Drops each (package name, arch, path, capability) that the baseline index already reports broken. */
    private BrokenReport withoutBaseline(BrokenReport r) throws IndexException {
        Set<String> old = new HashSet<>();
        try (CapabilityIndex baseline = open(org.symdex.index.IndexRef.parse(onlyNew))) {
            for (BrokenReport.BrokenPackage p : baseline.broken(filter()).packages()) {
                p.unresolved().forEach(h -> old.add(key(p.universe(), h)));
            }
        }
        List<BrokenReport.BrokenPackage> kept = new ArrayList<>();
        for (BrokenReport.BrokenPackage p : r.packages()) {
            List<CapabilityHit> hits = p.unresolved().stream().filter(h -> !old.contains(key(p.universe(), h))).toList();
            if (!hits.isEmpty()) {
                kept.add(new BrokenReport.BrokenPackage(p.pkg(), hits, p.universe()));
            }
        }
        return new BrokenReport(kept, r.scopes(), r.requirementTerms(), r.unsatisfiedTerms(), r.universes());
    }

    /** The finding key: (universe, name, arch, path, missing); one stored package may be broken in one universe only. */
    private static String key(String universe, CapabilityHit h) {
        return universe + "\u0000" + h.pkg().name() + "\u0000" + h.pkg().arch() + "\u0000" + h.pathOrDash() + "\u0000"
                + h.capability();
    }

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        BrokenReport r = idx.broken(filter());
        if (onlyNew != null) {
            r = withoutBaseline(r);
        }
        switch (format.value) {
            case text -> {
                String universe = null;
                for (BrokenReport.BrokenPackage p : r.packages()) {
                    if (r.universes().several() && !p.universe().equals(universe)) {
                        universe = p.universe();
                        out.println("universe: " + universe);
                    }
                    List<String> caps = p.capabilities();
                    out.println("package: " + p.pkg().nevra() + " from " + label(p.pkg()));
                    out.println("  unresolved deps (" + caps.size() + "):");
                    caps.forEach(c -> out.println("    " + c));
                }
            }
            case tsv -> {
                List<String> lines = new ArrayList<>();
                for (BrokenReport.BrokenPackage p : r.packages()) {
                    for (String l : tsvLines(p.unresolved())) {
                        lines.add(l + "\t" + Tsv.field(p.universe()));
                    }
                }
                lines.stream().sorted().distinct().forEach(out::println);
            }
            case json -> {
                Json json = envelope(out, "broken");
                json.name("query").beginObject().field("arch", arch).field("notSources", filter().notSources())
                        .endObject();
                json.name("summary").beginObject().field("scopes", r.scopes())
                        .field("requirementTerms", r.requirementTerms())
                        .field("unsatisfiedTerms", r.unsatisfiedTerms())
                        .field("packages", r.packages().size()).field("universes", r.universes().names()).endObject();
                json.name("results").beginArray();
                for (BrokenReport.BrokenPackage p : r.packages()) {
                    json.beginObject();
                    packageFields(json, p.pkg()).field("universe", p.universe()).field("unresolved", p.capabilities());
                    json.name("entries").beginArray();
                    p.unresolved().forEach(h -> jsonEntry(json, h));
                    json.endArray().endObject();
                }
                json.endArray();
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        return r.clean() ? Symdex.EXIT_OK : Symdex.EXIT_FINDINGS;
    }
}
