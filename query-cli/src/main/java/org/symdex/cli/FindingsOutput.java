package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.symdex.report.Finding;
import org.symdex.report.UpgradeReport;

/** How upgrade reports and nightly diffs print findings: grouped by root cause, then consumer source. */
final class FindingsOutput {
    private FindingsOutput() {
    }

    /** NAME, VERSION, ARCH, PATH, MISSING, REASON, PROVIDER-BEFORE, ROOT-CAUSE; sorted bytewise. */
    static void tsv(PrintWriter out, List<Finding> findings) {
        List<String> lines = new ArrayList<>();
        for (Finding f : findings) {
            lines.add(Tsv.line(f.consumer().name(), f.consumer().version(), f.consumer().arch(), f.path(), f.missing(),
                    f.reason().keyword(), f.providerBefore() == null ? "-" : f.providerBefore().nevra(), f.rootCause(),
                    f.universe().isEmpty() ? "-" : f.universe(), labels(f.consumer())));
        }
        lines.sort(null);
        lines.forEach(out::println);
    }

    /** LABELS as every command prints them: sorted bytewise, joined by ',', "-" when none. */
    static String labels(org.symdex.report.PackageRef p) {
        return p.labels().isEmpty() ? "-" : String.join(",", p.labels());
    }

    /** universe → root cause → consumer source → findings, in the findings' order. */
    static Map<String, Map<String, Map<String, List<Finding>>>> byUniverse(List<Finding> findings) {
        Map<String, Map<String, Map<String, List<Finding>>>> g = new LinkedHashMap<>();
        Map<String, List<Finding>> split = new LinkedHashMap<>();
        for (Finding f : findings) {
            split.computeIfAbsent(f.universe(), k -> new ArrayList<>()).add(f);
        }
        split.forEach((u, fs) -> g.put(u, grouped(fs)));
        return g;
    }

    static Map<String, Map<String, List<Finding>>> grouped(List<Finding> findings) {
        Map<String, Map<String, List<Finding>>> g = new LinkedHashMap<>();
        for (Finding f : findings) {
            g.computeIfAbsent(f.rootCause(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(f.consumer().source(), k -> new ArrayList<>()).add(f);
        }
        return g;
    }

    static void text(PrintWriter out, List<Finding> findings) {
        text(out, findings, List.of());
    }

    /**
     * The grouped findings; with files left unchecked (an incomplete archive), an empty report says it
     * covers only what could be checked.
     */
    static void text(PrintWriter out, List<Finding> findings, List<UpgradeReport.Unchecked> unchecked) {
        if (findings.isEmpty()) {
            out.println(unchecked.isEmpty() ? "nothing newly broken" : "nothing newly broken among what could be checked");
            return;
        }
        out.println(findings.size() + " newly broken requirement(s):");
        Map<String, Map<String, Map<String, List<Finding>>>> universes = byUniverse(findings);
        for (Map.Entry<String, Map<String, Map<String, List<Finding>>>> u : universes.entrySet()) {
            if (universes.size() > 1 || !u.getKey().isEmpty() && !u.getKey().equals("-")) {
                out.println();
                out.println("universe: " + (u.getKey().isEmpty() ? "-" : u.getKey()));
            }
            causes(out, u.getValue());
        }
    }

    private static void causes(PrintWriter out, Map<String, Map<String, List<Finding>>> grouped) {
        for (Map.Entry<String, Map<String, List<Finding>>> cause : grouped.entrySet()) {
            int n = cause.getValue().values().stream().mapToInt(List::size).sum();
            out.println();
            out.println("root cause: " + cause.getKey() + " (" + n + " finding(s), " + cause.getValue().size()
                    + " source package(s))");
            for (Map.Entry<String, List<Finding>> src : cause.getValue().entrySet()) {
                out.println("  source " + src.getKey() + " (" + src.getValue().size() + "):");
                String lastPackage = null;
                for (Finding f : src.getValue()) {
                    if (!f.consumer().nevra().equals(lastPackage)) {
                        lastPackage = f.consumer().nevra();
                        out.println("    package: " + lastPackage + (f.consumer().labels().isEmpty() ? ""
                                : " from " + labels(f.consumer())));
                    }
                    out.println("      " + f.path() + ": " + f.missing() + "  [" + f.reason().keyword()
                            + (f.providerBefore() == null ? "" : "; provided before by " + f.providerBefore().nevra())
                            + "]");
                }
            }
        }
    }

    /**
     * The one stderr line of a report whose archive lacks sonames some files need: those files'
     * unversioned imports were not checked (ld.so would stop at the missing library first), and an empty
     * report must not read as an all-clear. {@code archive}: "the base", "the index".
     */
    static void uncheckedLine(PrintWriter err, String archive, List<UpgradeReport.Unchecked> unchecked) {
        if (unchecked.isEmpty()) {
            return;
        }
        java.util.TreeSet<String> sonames = new java.util.TreeSet<>();
        unchecked.forEach(u -> sonames.addAll(u.missing()));
        err.println("symdex: " + archive + " lacks " + String.join(", ", sonames) + " (needed by " + unchecked.size()
                + (unchecked.size() == 1 ? " file" : " files") + "); their unversioned imports were not checked");
    }

    /** The json "unchecked" array: {name, version, arch, packageFile, path, missing}. */
    static void jsonUnchecked(Json j, List<UpgradeReport.Unchecked> unchecked) {
        j.name("unchecked").beginArray();
        for (UpgradeReport.Unchecked u : unchecked) {
            j.beginObject().field("name", u.pkg().name()).field("version", u.pkg().version())
                    .field("arch", u.pkg().arch()).field("packageFile", u.pkg().file()).field("path", u.path())
                    .field("missing", u.missing()).endObject();
        }
        j.endArray();
    }

    /** The "findings" count and the grouped "results" array of the json envelope. */
    static void json(Json j, List<Finding> findings) {
        j.field("findings", (long) findings.size());
        j.name("results").beginArray();
        for (Map.Entry<String, Map<String, Map<String, List<Finding>>>> u : byUniverse(findings).entrySet()) {
            causesJson(j, u.getKey(), u.getValue());
        }
        j.endArray();
    }

    private static void causesJson(Json j, String universe, Map<String, Map<String, List<Finding>>> grouped) {
        for (Map.Entry<String, Map<String, List<Finding>>> cause : grouped.entrySet()) {
            j.beginObject().field("universe", universe.isEmpty() ? "-" : universe).field("rootCause", cause.getKey());
            j.field("count", (long) cause.getValue().values().stream().mapToInt(List::size).sum());
            j.name("sources").beginArray();
            for (Map.Entry<String, List<Finding>> src : cause.getValue().entrySet()) {
                j.beginObject().field("source", src.getKey()).field("count", (long) src.getValue().size());
                j.name("findings").beginArray();
                for (Finding f : src.getValue()) {
                    j.beginObject().field("name", f.consumer().name()).field("version", f.consumer().version())
                            .field("arch", f.consumer().arch()).field("packageFile", f.consumer().file())
                            .field("path", f.path()).field("missing", f.missing())
                            .field("reason", f.reason().keyword())
                            .field("providerBefore", f.providerBefore() == null ? null : f.providerBefore().nevra())
                            .field("labels", f.consumer().labels())
                            .endObject();
                }
                j.endArray().endObject();
            }
            j.endArray().endObject();
        }
    }
}
