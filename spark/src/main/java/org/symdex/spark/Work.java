package org.symdex.spark;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.symdex.batch.InputWalker;
import org.symdex.batch.RunPlan;
import org.symdex.index.PackageStamp;
import org.symdex.source.Checksum;
import org.symdex.source.ListedPackage;

/**
 * One package a task reads, as the driver's plan has it ({@link RunPlan.Task}), in a form Spark can
 * ship to an executor: the stamp its documents carry, and where to read it (a walked path, or the
 * listing of a source, verified while it streams).
 *
 * @param action ADD, REPLACE or RETRY ({@link RunPlan.Action}); never RELABEL (the driver rewrites those)
 * @param path a walked package's path as the walk reached it, made absolute against the driver's working
 *     directory (an executor's is another); null for a listed one
 * @param listed a listed package's fields; null for a walked one
 */
record Work(String key, long size, long mtime, List<String> labels, List<String> locations, String checksum,
            String action, String path, Listed listed) implements Serializable {
    private static final long serialVersionUID = 1L;

    Work {
        labels = List.copyOf(labels);
        locations = List.copyOf(locations);
    }

    /** A source's listing of the package ({@link ListedPackage}). */
    record Listed(String name, String version, String arch, String source, String section, URI base, String path,
                  long size, String algorithm, String hex, List<String> labels) implements Serializable {
        private static final long serialVersionUID = 1L;

        Listed {
            labels = List.copyOf(labels);
        }
    }

    static Work of(RunPlan.Task t) {
        if (!t.reads()) {
            throw new IllegalArgumentException("a relabel is the driver's, not a task's: " + t.stamp().file());
        }
        PackageStamp s = t.stamp();
        Listed l = null;
        if (t.listed() != null) {
            ListedPackage p = t.listed();
            l = new Listed(p.name(), p.version(), p.arch(), p.source(), p.section(), p.base(), p.path(), p.size(),
                    p.checksum().algorithm(), p.checksum().hex(), p.labels());
        }
        return new Work(s.file(), s.size(), s.mtime(), s.labels(), s.locations(), s.checksum(), t.action().name(),
                t.input() == null ? null : t.input().path().toAbsolutePath().toString(), l);
    }

    PackageStamp stamp() {
        return new PackageStamp(key, size, mtime, labels, locations, checksum);
    }

    /** The plan's task again, on the executor. */
    RunPlan.Task task() {
        PackageStamp s = stamp();
        RunPlan.Action a = RunPlan.Action.valueOf(action);
        if (listed != null) {
            ListedPackage p = new ListedPackage(listed.name, listed.version, listed.arch, listed.source, listed.section,
                    listed.base, listed.path, listed.size, new Checksum(listed.algorithm, listed.hex), listed.labels);
            return new RunPlan.Task(null, p, s, a, key, false);
        }
        InputWalker.Input in = new InputWalker.Input(Path.of(path), key, key, false, size, mtime, null, 0);
        return new RunPlan.Task(in, null, s, a, key, false);
    }
}
