package org.symdex.report;

import org.symdex.index.IndexException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.symdex.cap.Satisfaction;
import org.symdex.cap.Scope;

/**
 * What a change newly breaks: the archive before (a view), minus the packages the candidates replace
 * (same name and arch), minus removed names, minus (with whole sources) the other binaries of the
 * candidates' source packages, plus the candidates. The same closure is computed on both sides for every
 * file the change can reach; a finding is new when its key is after and not before (issue 6).
 */
public final class UpgradeReport {
    /** A candidate package with its ELF files (parsed with symbols) and declared provides. */
    public record Candidate(PackageRef pkg, List<FileFacts> files, List<String> declaredProvides) {
        public Candidate {
            files = List.copyOf(files);
            declaredProvides = List.copyOf(declaredProvides);
        }
    }

    /**
     * The change and what it newly breaks, sorted by root cause, consumer source, consumer, path;
     * {@code unchecked} the files whose unversioned imports could not be checked after the change, since
     * their closure misses a soname the archive does not hold (sorted by package and path).
     */
    public record Result(List<PackageRef> removed, List<Candidate> candidates, List<Finding> findings,
                         List<Unchecked> unchecked) {
        public Result {
            removed = List.copyOf(removed);
            candidates = List.copyOf(candidates);
            findings = List.copyOf(findings);
            unchecked = List.copyOf(unchecked);
        }

        public Result(List<PackageRef> removed, List<Candidate> candidates, List<Finding> findings) {
            this(removed, candidates, findings, List.of());
        }
    }

    /** A file whose unversioned imports were not checked: its closure lacks {@code missing}. */
    public record Unchecked(PackageRef pkg, String path, List<String> missing) {
        public Unchecked {
            missing = List.copyOf(missing);
        }
    }

    private UpgradeReport() {
    }

    public static Result compute(ArchiveView before, List<Candidate> candidates, Set<String> removeNames,
                                 boolean wholeSources) throws IndexException {
        // Which packages leave, and why: the root cause named in every finding they explain.
        Map<PackageRef, String> rootCause = new LinkedHashMap<>();
        Map<String, List<Candidate>> bySource = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            bySource.computeIfAbsent(c.pkg().source(), k -> new ArrayList<>()).add(c);
        }
        for (Candidate c : candidates) {
            for (PackageRef p : before.packagesNamed(c.pkg().name())) {
                if (p.arch().equals(c.pkg().arch())) {
                    rootCause.putIfAbsent(p, c.pkg().nevra());
                }
            }
        }
        for (String name : new TreeSet<>(removeNames)) {
            for (PackageRef p : before.packagesNamed(name)) {
                rootCause.putIfAbsent(p, "remove " + p.nevra());
            }
        }
        if (wholeSources) {
            for (Map.Entry<String, List<Candidate>> e : bySource.entrySet()) {
                for (PackageRef p : before.packagesOfSource(e.getKey())) {
                    rootCause.putIfAbsent(p, "source " + e.getKey() + " rebuilt as "
                            + String.join(", ", e.getValue().stream().map(c -> c.pkg().nevra()).toList()));
                }
            }
        }
        return compute(before, candidates, rootCause);
    }

    /**
     * The core: {@code leaving} maps each package that leaves the archive to the root cause findings name
     * when it explains them; the candidates enter.
     */
    public static Result compute(ArchiveView before, List<Candidate> candidates, Map<PackageRef, String> leaving) throws IndexException {
        Map<PackageRef, String> rootCause = new LinkedHashMap<>(leaving);
        MemoryArchive added = new MemoryArchive();
        for (Candidate c : candidates) {
            added.add(c.pkg(), c.files(), c.declaredProvides());
        }
        ArchiveView after = new OverlayArchive(before, rootCause.keySet(), added);

        List<Finding> findings = new ArrayList<>();
        Map<String, Unchecked> unchecked = new java.util.TreeMap<>();
        Set<String> reported = new HashSet<>();
        // Candidates first: their own requirements, against what each replaced (same path) before.
        for (Candidate c : candidates) {
            // What each file replaces: the file at the same path, else the one with the same soname
            // (libtiff.so.6.0.0 becomes libtiff.so.6.1.0: the same library to its consumers).
            Map<String, FileFacts> previous = new HashMap<>();
            Map<String, FileFacts> previousBySoname = new HashMap<>();
            for (PackageRef old : before.packagesNamed(c.pkg().name())) {
                if (old.arch().equals(c.pkg().arch())) {
                    for (FileFacts f : before.filesOf(old)) {
                        previous.put(mergedUsrPath(f.path()), f);
                        previousBySoname.putIfAbsent(f.scope() + "\u0000" + f.soname(), f);
                    }
                }
            }
            for (FileFacts f : c.files()) {
                FileFacts was = previous.get(mergedUsrPath(f.path()));
                if (was == null) {
                    was = previousBySoname.get(f.scope() + "\u0000" + f.soname());
                }
                compare(was, f, before, after, rootCause, c.pkg().nevra(), true, findings, reported, unchecked);
            }
        }
        // Then every remaining file whose NEEDED closure reached a package that left.
        for (FileFacts consumer : reachedConsumers(before, rootCause.keySet())) {
            if (rootCause.containsKey(consumer.pkg())) {
                continue; // gone, or replaced by a candidate handled above
            }
            compare(consumer, consumer, before, after, rootCause, null, false, findings, reported, unchecked);
        }
        findings.sort(Finding.ORDER);
        return new Result(List.copyOf(rootCause.keySet()), candidates, findings, List.copyOf(unchecked.values()));
    }

    /**
     * Files the leaving packages can break: those requiring a capability they provide (rtld(GNU_HASH)
     * included, which a leaving dynamic loader provides even to files without DT_NEEDED), and those that
     * need, directly or through other libraries, one of their sonames: the reverse NEEDED closure, within
     * each scope.
     */
    static List<FileFacts> reachedConsumers(ArchiveView before, Set<PackageRef> leaving) throws IndexException {
        LinkedHashSet<FileFacts> out = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<FileFacts> queue = new ArrayDeque<>();
        for (PackageRef p : leaving) {
            // A leaving rpm's declared provides count as its files' do (a noarch one's in every scope).
            List<String> declared = before.declaredProvidesOf(p);
            if (!declared.isEmpty()) {
                String declaredScope = Satisfaction.declaredScope(p.arch());
                for (Scope s : before.scopes()) {
                    if (Satisfaction.satisfies(declaredScope, s.toString())) {
                        for (String cap : declared) {
                            out.addAll(before.filesRequiring(s, cap));
                        }
                    }
                }
            }
            for (FileFacts f : before.filesOf(p)) {
                queue.add(f);
                for (String cap : f.provides()) {
                    out.addAll(before.filesRequiring(f.scope(), cap));
                }
                if (Satisfaction.providesRtld(f.provides())) {
                    out.addAll(before.filesRequiring(f.scope(), Satisfaction.RTLD_GNU_HASH));
                }
            }
        }
        while (!queue.isEmpty()) {
            FileFacts lib = queue.poll();
            if (!seen.add(lib.scope() + "\u0000" + lib.soname())) {
                continue;
            }
            for (FileFacts consumer : before.filesNeeding(lib.scope(), lib.soname())) {
                if (out.add(consumer)) {
                    queue.add(consumer);
                }
            }
        }
        return List.copyOf(out);
    }

    private static void compare(FileFacts beforeFile, FileFacts afterFile, ArchiveView before, ArchiveView after,
                                Map<PackageRef, String> rootCause, String candidateCause, boolean isCandidate,
                                List<Finding> findings, Set<String> reported, Map<String, Unchecked> unchecked)
            throws IndexException {
        ClosureCheck.Check check = ClosureCheck.check(afterFile, after);
        if (!check.unresolvedFrom().isEmpty()) {
            unchecked.putIfAbsent(afterFile.pkg().nevra() + "\u0000" + afterFile.path(),
                    new Unchecked(afterFile.pkg(), afterFile.path(), check.unresolvedFrom()));
        }
        Map<String, ClosureCheck.Problem> now = check.problems();
        if (now.isEmpty()) {
            return; // nothing missing after: the state before cannot make anything new (most consumers)
        }
        Map<String, ClosureCheck.Problem> was = beforeFile == null ? Map.of() : ClosureCheck.problems(beforeFile, before);
        Map<String, FileFacts> boundBefore = null;
        for (ClosureCheck.Problem p : now.values()) {
            if (was.containsKey(p.missing())) {
                continue; // already broken: not this change's doing
            }
            PackageRef provider = null;
            Finding.Reason reason = p.reason();
            if (reason == Finding.Reason.SYMBOL_REMOVED || reason == Finding.Reason.UNVERSIONED_SYMBOL_REMOVED) {
                if (boundBefore == null) {
                    boundBefore = beforeFile == null ? Map.of() : ClosureCheck.bindings(beforeFile, before);
                }
                FileFacts by = boundBefore.get(p.missing());
                if (by != null && after.filesWithSoname(by.scope(), by.soname()).isEmpty()) {
                    continue; // the whole library is gone: its soname finding says so, once
                }
                provider = by == null ? null : by.pkg();
            } else {
                List<PackageRef> providers = before.providersOf(afterFile.scope(), p.missing());
                provider = providers.isEmpty() ? null : providers.get(0);
                if (isCandidate && provider == null) {
                    reason = Finding.Reason.NEW_PACKAGE_UNSATISFIED;
                }
            }
            String cause = provider != null && rootCause.containsKey(provider) ? rootCause.get(provider)
                    : candidateCause != null ? candidateCause : causeInClosure(beforeFile, before, rootCause);
            Finding f = new Finding(afterFile.pkg(), afterFile.path(), p.missing(), reason, provider, cause);
            if (reported.add(f.key())) {
                findings.add(f);
            }
        }
    }

    /**
     * The path a file has on a merged-/usr system, where /bin, /sbin and /lib* are links into /usr:
     * Debian 12 packages still ship /lib/x86_64-linux-gnu/libthread_db.so.1 and Debian 13 ships it under
     * /usr, and both are the same installed file, so an update that moves it replaces it.
     */
    static String mergedUsrPath(String path) {
        for (String top : MERGED_DIRS) {
            if (path.startsWith(top) && (path.length() == top.length() || path.charAt(top.length()) == '/')) {
                return "/usr" + path;
            }
        }
        return path;
    }

    private static final List<String> MERGED_DIRS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    /** The first leaving package in the file's closure before: the best attribution left. */
    private static String causeInClosure(FileFacts f, ArchiveView before, Map<PackageRef, String> rootCause) throws IndexException {
        if (f != null) {
            for (FileFacts lib : ClosureCheck.closure(f, before)) {
                String c = rootCause.get(lib.pkg());
                if (c != null) {
                    return c;
                }
            }
        }
        return "(unattributed)";
    }
}
