package org.symdex.report;

import org.symdex.index.IndexException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Only what is new against a baseline" (--only-new): repoclosure users filter expected failures by hand;
 * symdex drops a finding when the same consumer file (name, arch, path) already missed the same thing in
 * a previous state of the archive.
 */
public final class Baseline {
    private Baseline() {
    }

    public static List<Finding> onlyNew(List<Finding> findings, ArchiveView baseline) throws IndexException {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            if (!alreadyBroken(f, baseline)) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * As {@link #onlyNew(List, ArchiveView)}, each finding checked in its own universe of the baseline
     * ({@code member.apply(f.universe())}).
     */
    public static List<Finding> onlyNew(List<Finding> findings, ArchiveView baseline,
                                        java.util.function.Function<String, java.util.function.Predicate<PackageRef>> member)
            throws IndexException {
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            ArchiveView in = f.universe().isEmpty() ? baseline : new RestrictedView(baseline, member.apply(f.universe()));
            if (!alreadyBroken(f, in)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Whether the baseline's copy of the consumer file already missed {@code f.missing()}. */
    public static boolean alreadyBroken(Finding f, ArchiveView baseline) throws IndexException {
        for (PackageRef p : baseline.packagesNamed(f.consumer().name())) {
            if (!p.arch().equals(f.consumer().arch())) {
                continue;
            }
            for (FileFacts file : baseline.filesOf(p)) {
                if (file.path().equals(f.path())) {
                    Map<String, ClosureCheck.Problem> problems = ClosureCheck.problems(file, baseline);
                    if (problems.containsKey(f.missing())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
