package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.symdex.index.IndexException;
import org.symdex.index.IndexRef;
import org.symdex.query.IndexArchiveView;
import org.symdex.report.NightlyDiff;
import org.symdex.report.PackageRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex diff}: what changed between two nightly indexes, and what it newly broke. */
@Command(name = "diff", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"What changed between two indexes of an archive (last night's and tonight's): packages "
                + "added, removed and updated (by name and arch), capabilities and exported symbols that nothing "
                + "provides any more, and the requirements and symbol imports newly broken, with the upgrade "
                + "report's reasons, grouped by root cause (the update or removal) and consumer source package."},
        footer = {"", "Examples:",
                "  symdex diff nightly/2026-11-22 nightly/2026-11-23",
                "  symdex diff --format tsv lastnight/ tonight/ | cut -f1,5,6",
                "",
                "tsv: the newly broken lines only, in the upgrade report's columns: NAME, VERSION, ARCH, PATH, "
                        + "MISSING, REASON, PROVIDER-BEFORE, ROOT-CAUSE.",
                "Exit codes: 0 nothing newly broken, 1 something newly broken, 2 an index cannot be read, "
                        + "70 internal error."})
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format = new FormatOption();

    @Option(names = "--all-symbols", description = "List every exported symbol no longer provided, those of "
            + "sonames gone entirely too (by default they are counted: the soname's own line says they are gone).")
    boolean allSymbols;

    @Option(names = "--label", paramLabel = "GLOB", description = "Compare only the packages of the labels the "
            + "globs match, as one universe ('Debian/bookworm*'). Without it each universe (ORIGIN/SUITE, pockets "
            + "folded in) is compared apart. Repeatable; '-' is the unlabeled packages.")
    List<String> labels = new java.util.ArrayList<>();

    @Mixin
    PartialOption partial = new PartialOption();

    @Parameters(index = "0", paramLabel = "OLD[@REF]", description = "The earlier index or night: DIR@-1, "
            + "DIR@YYYY-MM-DD (the newest night finished that day or before, UTC), DIR@GENERATION, or another "
            + "directory.")
    String oldIndex;

    @Parameters(index = "1", paramLabel = "NEW[@REF]", description = "The later index or night (DIR: its newest "
            + "commit).")
    String newIndex;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = TerminalText.wrap(spec.commandLine().getOut(), format.value);
        PrintWriter err = spec.commandLine().getErr();
        NightlyDiff.Result d;
        IndexRef oldRef = IndexRef.parse(oldIndex);
        IndexRef newRef = IndexRef.parse(newIndex);
        try (IndexArchiveView now = IndexArchiveView.open(newRef)) {
            IndexArchiveView old;
            try {
                old = IndexArchiveView.open(oldRef);
            } catch (IndexException e) {
                if (sameIndex(oldRef, newRef) && org.symdex.index.Nights.beforeFirstNight(oldRef,
                        org.symdex.index.IndexSession.commitData(newRef.dir()).orElse(java.util.Map.of()))) {
                    // The nightly recipe's first night: nothing before it to compare with, and nothing wrong.
                    err.println("symdex: " + newRef.dir() + ": first night, nothing to compare");
                    return Symdex.EXIT_OK;
                }
                throw e;
            }
            try (old) {
                QueryCommand.usable(old.snapshot(), partial, err);
                QueryCommand.usable(now.snapshot(), partial, err);
                List<org.symdex.query.Glob> globs = new java.util.ArrayList<>();
                for (String l : labels) {
                    try {
                        globs.add(org.symdex.query.Glob.of(l));
                    } catch (IllegalArgumentException e) {
                        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label: " + e.getMessage());
                    }
                }
                org.symdex.query.Universes u;
                try {
                    u = org.symdex.query.Universes.of(List.of(old.snapshot().reader(), now.snapshot().reader()), globs);
                } catch (java.io.IOException e) {
                    throw new IndexException(newRef + ": cannot read index: " + e.getMessage(), e);
                }
                d = NightlyDiff.compute(old, now, allSymbols, u.names(), name -> p -> u.member(name).test(p.labels()));
            }
        }
        FindingsOutput.uncheckedLine(err, newRef.toString(), d.unchecked());
        switch (format.value) {
            case tsv -> FindingsOutput.tsv(out, d.findings());
            case json -> json(out, d);
            default -> text(out, d);
        }
        out.flush();
        return d.breaksSomething() ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    private static boolean sameIndex(IndexRef a, IndexRef b) {
        return a.dir().toAbsolutePath().normalize().equals(b.dir().toAbsolutePath().normalize());
    }

    private static void text(PrintWriter out, NightlyDiff.Result d) {
        out.println("packages: " + d.added().size() + " added, " + d.removed().size() + " removed, "
                + d.updated().size() + " updated");
        d.added().forEach(p -> out.println("  added:   " + p.nevra()));
        d.removed().forEach(p -> out.println("  removed: " + p.nevra()));
        d.updated().forEach(u -> out.println("  updated: " + u.after().name() + "." + u.after().arch() + " "
                + u.before().version() + " -> " + u.after().version()));
        out.println("capabilities no longer provided (" + d.capabilitiesGone().size() + "):");
        d.capabilitiesGone().forEach(g -> out.println("  " + g.scope() + " " + g.item() + "  (was "
                + g.providerBefore().nevra() + ")"));
        out.println("exported symbols no longer provided (" + d.symbolsGone().size() + "):");
        d.symbolsGone().forEach(g -> out.println("  " + g.scope() + " " + g.item() + "  (was "
                + g.providerBefore().nevra() + ")"));
        if (d.symbolsOfGoneSonames() > 0) {
            out.println("  (and " + d.symbolsOfGoneSonames() + " of sonames gone entirely, named under capabilities; "
                    + "--all-symbols lists them)");
        }
        FindingsOutput.text(out, d.findings(), d.unchecked());
    }

    private static void json(PrintWriter out, NightlyDiff.Result d) {
        Json j = new Json(out);
        j.beginObject().field("schema", "symdex/1").field("command", "diff");
        j.name("packages").beginObject();
        j.field("added", d.added().stream().map(PackageRef::nevra).toList());
        j.field("removed", d.removed().stream().map(PackageRef::nevra).toList());
        j.name("updated").beginArray();
        for (NightlyDiff.Update u : d.updated()) {
            j.beginObject().field("name", u.after().name()).field("arch", u.after().arch())
                    .field("from", u.before().version()).field("to", u.after().version()).endObject();
        }
        j.endArray().endObject();
        gone(j, "capabilitiesGone", d.capabilitiesGone());
        gone(j, "symbolsGone", d.symbolsGone());
        j.field("symbolsOfGoneSonames", d.symbolsOfGoneSonames());
        FindingsOutput.json(j, d.findings());
        FindingsOutput.jsonUnchecked(j, d.unchecked());
        j.name("errors").beginArray().endArray();
        j.endObject().end();
    }

    private static void gone(Json j, String name, java.util.List<NightlyDiff.Gone> gone) {
        j.name(name).beginArray();
        for (NightlyDiff.Gone g : gone) {
            j.beginObject().field("scope", g.scope()).field("item", g.item())
                    .field("providerBefore", g.providerBefore().nevra()).endObject();
        }
        j.endArray();
    }
}
