package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.IndexedPackage;
import org.symdex.query.WhyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code symdex why PKG...}: each unsatisfied requirement of a package, and the nearest facts. */
@Command(name = "why", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Explain each requirement of a package that nothing in the index satisfies, as broken "
                + "judges them: the file and requirement, the indexed files of the same soname in a scope that "
                + "meets and the version nodes they define, the same capability in another scope or under "
                + "another label, and, for each symbol the file imports at the missing version, where it is "
                + "defined now."},
        footer = {"", "Examples:",
                "  symdex why zlib1g",
                "  symdex why libssl3_3.0.11-1~deb12u2_amd64",
                "  symdex why --format json 'libfoo1-1.3-1.amd64'",
                "",
                "text: sentences, docs/queries.md gives the template. tsv columns (one line per unsatisfied "
                        + "requirement): NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for the rpm header), "
                        + "REQUIREMENT, LABELS.",
                "Exit codes: 0 nothing unsatisfied, 1 something is, 2 an unknown package, bad usage or no index, "
                        + "70 internal error."})
final class WhyCommand extends QueryCommand {
    @Parameters(paramLabel = "PKG", arity = "1..*", description = "A package as symdex prints it "
            + "(name-version-release.arch), a Debian file name (name_version_arch, '%%3a' for the epoch's ':'), "
            + "NAME, NAME=VERSION, NAME:ARCH, or a glob on names. Several are a union.")
    List<String> packagesArgs = List.of();

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        Map<String, IndexedPackage> pkgs = new TreeMap<>();
        List<String> unknown = new ArrayList<>();
        for (String a : packagesArgs) {
            List<IndexedPackage> found = argumentChecked(idx, a);
            if (found.isEmpty()) {
                unknown.add(a);
            }
            found.forEach(p -> pkgs.putIfAbsent(p.file(), p));
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!unknown.isEmpty()) {
            for (String u : unknown) {
                err.println("symdex: no package '" + u + "' in " + idx.dir()
                        + (arch == null ? "" : " with arch " + arch));
            }
            err.flush();
            return Symdex.EXIT_BAD_INPUT;
        }
        List<IndexedPackage> ordered = new ArrayList<>(pkgs.values());
        ordered.sort(IndexedPackage.ORDER);
        List<WhyReport> reports = idx.why(ordered);
        switch (format.value) {
            case text -> reports.forEach(r -> text(out, r));
            case tsv -> {
                List<String> lines = new ArrayList<>();
                for (WhyReport r : reports) {
                    IndexedPackage p = r.pkg();
                    for (WhyReport.Unsatisfied u : r.unsatisfied()) {
                        lines.add(Tsv.line(p.name(), p.evr(), p.arch(), ByteStrings.of(p.file()), u.pathOrDash(),
                                u.requirement(), label(p)));
                    }
                }
                lines.stream().sorted().distinct().forEach(out::println);
            }
            case json -> {
                Json json = envelope(out, "why");
                json.name("query").beginObject().field("packages", packagesArgs).field("arch", arch).endObject();
                json.name("results").beginArray();
                reports.forEach(r -> json(json, r));
                json.endArray();
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        return reports.stream().anyMatch(r -> !r.unsatisfied().isEmpty()) ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    private List<IndexedPackage> argumentChecked(CapabilityIndex idx, String a) throws IndexException {
        try {
            return idx.resolve(a, filter());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The template of docs/queries.md ("why"). */
    static void text(PrintWriter out, WhyReport r) {
        IndexedPackage p = r.pkg();
        int n = r.unsatisfied().size();
        out.println(p.nevra() + " from " + label(p) + ": " + (n == 0 ? "every requirement is satisfied."
                : n + " unsatisfied requirement" + (n == 1 ? "" : "s") + "."));
        for (WhyReport.Unsatisfied u : r.unsatisfied()) {
            out.println("  " + (u.path() == null ? "The rpm header" : u.path()) + " requires " + u.requirement()
                    + ", which nothing in " + u.scope() + " provides.");
            String soname = org.symdex.cap.Satisfaction.sonameOf(u.requirement());
            if (!u.requirement().equals(org.symdex.cap.Satisfaction.RTLD_GNU_HASH)) {
                if (u.sameSoname().isEmpty()) {
                    out.println("    No indexed file is " + soname + " in " + u.scope() + ".");
                }
                for (WhyReport.SonameFile f : u.sameSoname()) {
                    out.println("    " + soname + " is " + f.path() + " of " + f.pkg().nevra() + " from " + label(f.pkg())
                            + ", which defines " + (f.versions().isEmpty() ? "no version node"
                            : "version" + (f.versions().size() == 1 ? " " : "s ") + String.join(", ", f.versions())) + ".");
                }
            }
            if (!u.otherScopes().isEmpty()) {
                out.println("    The same capability is provided in " + String.join(", ", u.otherScopes()) + ".");
            }
            if (!u.otherLabels().isEmpty()) {
                out.println("    It is provided by packages labelled " + String.join(", ", u.otherLabels()) + ".");
            }
            for (WhyReport.SymbolFate s : u.symbols()) {
                String sym = s.name() + "@" + s.version();
                if (s.nowDefinedIn().isEmpty()) {
                    out.println("    " + sym + " is defined nowhere in " + u.scope() + ".");
                }
                for (WhyReport.Definition d : s.nowDefinedIn()) {
                    out.println("    " + sym + " is now defined as " + d.symbol() + " in " + d.path() + " of "
                            + d.pkg().nevra() + ".");
                }
            }
        }
    }

    private static void json(Json json, WhyReport r) {
        json.beginObject();
        packageFields(json, r.pkg()).field("satisfied", r.unsatisfied().isEmpty());
        json.name("unsatisfied").beginArray();
        for (WhyReport.Unsatisfied u : r.unsatisfied()) {
            json.beginObject().field("file", u.path()).field("requirement", u.requirement()).field("scope", u.scope());
            json.name("sameSoname").beginArray();
            for (WhyReport.SonameFile f : u.sameSoname()) {
                json.beginObject().field("package", f.pkg().nevra()).field("packageFile", ByteStrings.of(f.pkg().file()))
                        .field("path", f.path()).field("versions", f.versions()).endObject();
            }
            json.endArray().field("otherScopes", u.otherScopes()).field("otherLabels", u.otherLabels());
            json.name("symbols").beginArray();
            for (WhyReport.SymbolFate s : u.symbols()) {
                json.beginObject().field("name", s.name()).field("version", s.version());
                json.name("nowDefinedIn").beginArray();
                for (WhyReport.Definition d : s.nowDefinedIn()) {
                    json.beginObject().field("package", d.pkg().nevra()).field("packageFile", ByteStrings.of(d.pkg().file()))
                            .field("path", d.path()).field("symbol", d.symbol()).field("version", d.version())
                            .field("hidden", d.hidden()).endObject();
                }
                json.endArray().endObject();
            }
            json.endArray().endObject();
        }
        json.endArray().endObject();
    }
}
