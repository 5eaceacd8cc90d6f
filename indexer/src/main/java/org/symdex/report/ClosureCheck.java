package org.symdex.report;

import org.symdex.index.IndexException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.symdex.cap.Satisfaction;
import org.symdex.cap.Scope;

/** What one file misses in one archive state: capability requirements, then symbol imports. */
final class ClosureCheck {
    private ClosureCheck() {
    }

    /** One missing item. {@code boundBy} is unused here; see {@link #bindings}. */
    record Problem(String missing, Finding.Reason reason) {
    }

    /**
     * Problems keyed by the missing item, in a stable order. An unversioned import that binds nowhere is
     * left out when the closure misses a soname: it names no library, the absent one most likely defines
     * it (ld.so would stop at that library first), and that library's requirement is the finding;
     * calling the symbol "removed" would name one the archive may never have had.
     */
    static Map<String, Problem> problems(FileFacts f, ArchiveView view) throws IndexException {
        return check(f, view).problems();
    }

    /**
     * What one file misses, and what could not be checked: {@code unresolvedFrom} names the sonames its
     * closure lacks when some unversioned import of the file binds nowhere in what the closure has, and
     * was left out by the rule above. Empty when everything was checked. A report says so rather than
     * call an incomplete base "nothing newly broken" (DPDK's case: a base without libc6).
     */
    record Check(Map<String, Problem> problems, List<String> unresolvedFrom) {
    }

    static Check check(FileFacts f, ArchiveView view) throws IndexException {
        Map<String, Problem> out = new LinkedHashMap<>();
        boolean skipped = false;
        Scope scope = f.scope();
        for (String r : f.requires()) {
            if (!view.providersOf(scope, r).isEmpty()) {
                continue;
            }
            out.put(r, new Problem(r, classify(r, scope, view)));
        }
        Walk walk = walk(f, view);
        List<FileFacts> closure = walk.objects();
        boolean incomplete = walk.missesSoname();
        for (FileFacts.Import imp : f.imports()) {
            if (imp.weak()) {
                continue; // an unresolved weak reference is 0, by design: never breakage
            }
            if (imp.version() == null && incomplete) {
                skipped |= !binds(imp, closure);
                continue;
            }
            if (imp.version() != null) {
                // A node that is gone, or a soname that is gone, is the capability finding's business.
                if (view.filesWithSoname(scope, imp.file()).isEmpty()
                        || view.providersOf(scope, Satisfaction.versionCapability(imp.file(), imp.version(), scope)).isEmpty()) {
                    continue;
                }
            }
            if (!binds(imp, closure)) {
                out.putIfAbsent(imp.label(), new Problem(imp.label(), imp.version() != null
                        ? Finding.Reason.SYMBOL_REMOVED : Finding.Reason.UNVERSIONED_SYMBOL_REMOVED));
            }
        }
        return new Check(out, skipped ? walk.missing() : List.of());
    }

    /** For each import, the object of the closure that binds it (imports that bind nowhere are absent). */
    static Map<String, FileFacts> bindings(FileFacts f, ArchiveView view) throws IndexException {
        Map<String, FileFacts> out = new LinkedHashMap<>();
        List<FileFacts> closure = closure(f, view);
        for (FileFacts.Import imp : f.imports()) {
            FileFacts by = boundBy(imp, closure);
            if (by != null) {
                out.putIfAbsent(imp.label(), by);
            }
        }
        return out;
    }

    /**
     * Whether some object of the closure binds the import. Which one does not matter here, so a versioned
     * import is first tried against the objects its Verneed names, where it nearly always binds: one
     * lookup instead of one per object ahead of it in load order (libc comes late in most closures).
     */
    static boolean binds(FileFacts.Import imp, List<FileFacts> closure) throws IndexException {
        if (imp.file() != null) {
            for (FileFacts object : closure) {
                if (object.soname().equals(imp.file()) && SymbolBinding.lookup(imp, object) != null) {
                    return true;
                }
            }
        }
        return boundBy(imp, closure) != null;
    }

    /** The first object of the closure, in load order, that binds the import: ld.so's choice. */
    static FileFacts boundBy(FileFacts.Import imp, List<FileFacts> closure) throws IndexException {
        for (FileFacts object : closure) {
            if (SymbolBinding.lookup(imp, object) != null) {
                return object;
            }
        }
        return null;
    }

    /**
     * The file's NEEDED closure in ld.so's breadth-first load order: its DT_NEEDED sonames, then theirs,
     * each soname once, each resolved to the files of that soname in the same scope.
     */
    static List<FileFacts> closure(FileFacts f, ArchiveView view) throws IndexException {
        return walk(f, view).objects();
    }

    /**
     * One breadth-first walk of the closure.
     *
     * @param missing the sonames of the walk that resolve to no file of the scope, in walk order
     */
    record Walk(List<FileFacts> objects, List<String> missing) {
        boolean missesSoname() {
            return !missing.isEmpty();
        }
    }

    static Walk walk(FileFacts f, ArchiveView view) throws IndexException {
        List<FileFacts> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        seen.add(f.soname());
        for (String n : f.needed()) {
            if (seen.add(n)) {
                queue.add(n);
            }
        }
        while (!queue.isEmpty()) {
            String soname = queue.poll();
            List<FileFacts> libs = view.filesWithSoname(f.scope(), soname);
            if (libs.isEmpty()) {
                missing.add(soname);
            }
            for (FileFacts lib : libs) {
                out.add(lib);
                for (String n : lib.needed()) {
                    if (seen.add(n)) {
                        queue.add(n);
                    }
                }
            }
        }
        return new Walk(out, List.copyOf(missing));
    }

    private static Finding.Reason classify(String requirement, Scope scope, ArchiveView view) throws IndexException {
        if (requirement.equals(Satisfaction.RTLD_GNU_HASH)) {
            return Finding.Reason.CAPABILITY_REMOVED;
        }
        int paren = requirement.indexOf('(');
        String soname = Satisfaction.sonameOf(requirement);
        if (view.filesWithSoname(scope, soname).isEmpty()) {
            return Finding.Reason.SONAME_REMOVED;
        }
        boolean versioned = paren >= 0 && !requirement.startsWith("()", paren);
        return versioned ? Finding.Reason.VERSION_NODE_REMOVED : Finding.Reason.CAPABILITY_REMOVED;
    }

}
