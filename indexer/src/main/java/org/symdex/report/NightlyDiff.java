package org.symdex.report;

import org.symdex.index.IndexException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What changed between two states of an archive (last night's index and tonight's): packages added,
 * removed and updated by (name, arch); capabilities and exported symbols that nothing provides any more;
 * and what the change newly breaks, computed exactly as an upgrade report whose candidates are tonight's
 * new and updated packages and whose leaving packages are last night's updated and removed ones.
 */
public final class NightlyDiff {
    /** A package present in both states with another version. */
    public record Update(PackageRef before, PackageRef after) {
    }

    /** A capability or symbol that was provided in {@code scope} before and is not after. */
    public record Gone(String scope, String item, PackageRef providerBefore) {
    }

    /**
     * @param symbolsGone exported symbols no longer provided; unless every symbol was asked for, only those
     *     of sonames that still exist: a soname gone entirely is a line of {@code capabilitiesGone}, and
     *     listing each of its symbols (124,821 for 50 packages of the libs section) buries the rest
     * @param symbolsOfGoneSonames how many symbols of sonames gone entirely were not listed
     * @param unchecked files whose unversioned imports could not be checked (UpgradeReport.Unchecked)
     */
    public record Result(List<PackageRef> added, List<PackageRef> removed, List<Update> updated,
                         List<Gone> capabilitiesGone, List<Gone> symbolsGone, int symbolsOfGoneSonames,
                         List<Finding> findings, List<UpgradeReport.Unchecked> unchecked) {
        public Result {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            updated = List.copyOf(updated);
            capabilitiesGone = List.copyOf(capabilitiesGone);
            symbolsGone = List.copyOf(symbolsGone);
            findings = List.copyOf(findings);
            unchecked = List.copyOf(unchecked);
        }

        public boolean breaksSomething() {
            return !findings.isEmpty();
        }
    }

    private NightlyDiff() {
    }

    public static Result compute(ArchiveView old, ArchiveView now) throws IndexException {
        return compute(old, now, false);
    }

    /** With {@code everySymbol}, the symbols of sonames gone entirely are listed too. */
    public static Result compute(ArchiveView old, ArchiveView now, boolean everySymbol) throws IndexException {
        Map<String, PackageRef> before = byKey(old.packages());
        Map<String, PackageRef> after = byKey(now.packages());
        List<PackageRef> added = new ArrayList<>();
        List<PackageRef> removed = new ArrayList<>();
        List<Update> updated = new ArrayList<>();
        Map<PackageRef, String> leaving = new LinkedHashMap<>();
        List<UpgradeReport.Candidate> entering = new ArrayList<>();
        for (Map.Entry<String, PackageRef> e : before.entrySet()) {
            PackageRef n = after.get(e.getKey());
            if (n == null) {
                removed.add(e.getValue());
                leaving.put(e.getValue(), "removal of " + e.getValue().nevra());
            } else if (!n.version().equals(e.getValue().version())) {
                updated.add(new Update(e.getValue(), n));
                leaving.put(e.getValue(), "update of " + n.name() + "." + n.arch() + " " + e.getValue().version()
                        + " -> " + n.version());
                entering.add(candidate(now, n));
            }
        }
        for (Map.Entry<String, PackageRef> e : after.entrySet()) {
            if (!before.containsKey(e.getKey())) {
                added.add(e.getValue());
                entering.add(candidate(now, e.getValue()));
            }
        }
        // Only a package that left or changed can take a capability or symbol away.
        TreeMap<String, Gone> capsGone = new TreeMap<>();
        TreeMap<String, Gone> symsGone = new TreeMap<>();
        int unlisted = 0;
        for (PackageRef p : leaving.keySet()) {
            for (FileFacts f : old.filesOf(p)) {
                String scope = f.scope().toString();
                for (String cap : f.provides()) {
                    if (now.providersOf(f.scope(), cap).isEmpty()) {
                        capsGone.putIfAbsent(scope + "\u0000" + cap, new Gone(scope, cap, p));
                    }
                }
                List<FileFacts> sameSoname = now.filesWithSoname(f.scope(), f.soname());
                if (sameSoname.isEmpty() && !everySymbol) {
                    unlisted += f.exportCount();
                    continue;
                }
                for (FileFacts.Export x : f.exports()) {
                    if (!exportedAnywhere(sameSoname, x)) {
                        String label = exportLabel(x);
                        symsGone.putIfAbsent(scope + "\u0000" + f.soname() + "\u0000" + label,
                                new Gone(scope, f.soname() + ": " + label, p));
                    }
                }
            }
        }
        UpgradeReport.Result r = UpgradeReport.compute(old, entering, leaving);
        // An update shows up as a candidate replacing its old self; the upgrade report already keys
        // consumers by (name, arch, path, missing), so its findings are the diff's.
        added.sort(Comparator.comparing(PackageRef::key));
        removed.sort(Comparator.comparing(PackageRef::key));
        updated.sort(Comparator.comparing(u -> u.after().key()));
        return new Result(added, removed, updated, List.copyOf(capsGone.values()), List.copyOf(symsGone.values()),
                unlisted, r.findings(), r.unchecked());
    }

    /**
     * The diff judged in each universe apart (releases issue, item 1): within a universe a package name
     * names one package, and a consumer is satisfied only by providers of its universe. The package
     * lists and what is gone are merged over the universes (a package of two suites once); the findings
     * carry their universe. {@code member.apply(U)} says which packages belong to U.
     */
    public static Result compute(ArchiveView old, ArchiveView now, boolean everySymbol, List<String> universes,
                                 java.util.function.Function<String, java.util.function.Predicate<PackageRef>> member)
            throws IndexException {
        if (universes.size() <= 1) {
            Result r = compute(old, now, everySymbol);
            String u = universes.isEmpty() ? "" : universes.get(0);
            return new Result(r.added(), r.removed(), r.updated(), r.capabilitiesGone(), r.symbolsGone(),
                    r.symbolsOfGoneSonames(), r.findings().stream().map(f -> f.in(u)).toList(), r.unchecked());
        }
        Map<String, PackageRef> added = new TreeMap<>();
        Map<String, PackageRef> removed = new TreeMap<>();
        Map<String, Update> updated = new TreeMap<>();
        Map<String, Gone> caps = new TreeMap<>();
        Map<String, Gone> syms = new TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        List<UpgradeReport.Unchecked> unchecked = new ArrayList<>();
        int unlisted = 0;
        for (String u : universes) {
            java.util.function.Predicate<PackageRef> in = member.apply(u);
            Result r = compute(new RestrictedView(old, in), new RestrictedView(now, in), everySymbol);
            r.added().forEach(p -> added.putIfAbsent(p.key() + "\u0000" + p.file(), p));
            r.removed().forEach(p -> removed.putIfAbsent(p.key() + "\u0000" + p.file(), p));
            r.updated().forEach(x -> updated.putIfAbsent(x.after().key() + "\u0000" + x.before().file() + "\u0000"
                    + x.after().file(), x));
            r.capabilitiesGone().forEach(g -> caps.putIfAbsent(g.scope() + "\u0000" + g.item(), g));
            r.symbolsGone().forEach(g -> syms.putIfAbsent(g.scope() + "\u0000" + g.item(), g));
            r.findings().forEach(f -> findings.add(f.in(u)));
            unchecked.addAll(r.unchecked());
            unlisted += r.symbolsOfGoneSonames();
        }
        findings.sort(Finding.ORDER);
        return new Result(List.copyOf(added.values()), List.copyOf(removed.values()), List.copyOf(updated.values()),
                List.copyOf(caps.values()), List.copyOf(syms.values()), unlisted, findings, unchecked);
    }

    /** {@code sym@@V} for a default definition, {@code sym@V} for a hidden one, {@code sym} when unversioned. */
    static String exportLabel(FileFacts.Export x) {
        return x.version() == null ? x.name() : x.name() + (x.hidden() ? "@" : "@@") + x.version();
    }

    /**
     * Whether some file of the new state with the same soname and scope still defines the symbol at the
     * same version (hidden or default). A symbol that moves to another soname is gone from the one its
     * consumers load, so the soname is part of the question.
     */
    private static boolean exportedAnywhere(List<FileFacts> sameSonameNow, FileFacts.Export x) throws IndexException {
        for (FileFacts f : sameSonameNow) {
            for (FileFacts.Export y : f.exportsNamed(x.name())) {
                if (java.util.Objects.equals(y.version(), x.version())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static UpgradeReport.Candidate candidate(ArchiveView now, PackageRef p) throws IndexException {
        return new UpgradeReport.Candidate(p, now.filesOf(p), now.declaredProvidesOf(p));
    }

    private static Map<String, PackageRef> byKey(List<PackageRef> packages) {
        Map<String, PackageRef> m = new TreeMap<>();
        for (PackageRef p : packages) {
            m.put(p.key(), p);
        }
        return m;
    }
}
