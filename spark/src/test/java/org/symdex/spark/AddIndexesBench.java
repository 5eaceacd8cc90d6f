package org.symdex.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.symdex.index.IndexSession;

/**
 * The driver's merge alone: {@code addIndexes} of every shard under SHARDS (a run's shard dir kept with
 * symdex-spark --keep-shards), COPIES times over (copied first, not timed), into a new index opened as
 * a run opens it, then its commit. A benchmark, not a test (docs/benchmarks.md):
 *
 * <pre>java -cp 'spark/target/test-classes:spark/target/classes:spark/target/lib/*:spark/target/spark/jars/*' \
 *     org.symdex.spark.AddIndexesBench SHARDS COPIES SCRATCH</pre>
 */
public final class AddIndexesBench {
    private AddIndexesBench() {
    }

    public static void main(String[] args) throws Exception {
        Path shards = Path.of(args[0]);
        int copies = Integer.parseInt(args[1]);
        Path scratch = Path.of(args[2]);
        Shards.deleteLocal(scratch);
        List<Path> dirs = new ArrayList<>();
        List<Path> originals;
        try (var s = Files.list(shards)) {
            originals = s.filter(Files::isDirectory).sorted().toList();
        }
        long bytes = 0;
        for (int c = 0; c < copies; c++) {
            for (Path o : originals) {
                Path to = scratch.resolve("shards").resolve(c + "-" + o.getFileName());
                Files.createDirectories(to);
                try (var s = Files.list(o)) {
                    for (Path f : s.toList()) {
                        if (!f.getFileName().toString().equals("write.lock")) {
                            Files.copy(f, to.resolve(f.getFileName()));
                            bytes += Files.size(f);
                        }
                    }
                }
                dirs.add(to);
            }
        }
        List<Directory> open = new ArrayList<>();
        for (Path d : dirs) {
            open.add(FSDirectory.open(d));
        }
        long t0 = System.nanoTime();
        try (IndexSession session = IndexSession.open(scratch.resolve("index"), true, true)) {
            session.writer().addIndexes(open.toArray(new Directory[0]));
            long t1 = System.nanoTime();
            session.commit(Map.of());
            long t2 = System.nanoTime();
            System.out.printf(Locale.ROOT, "%d copies, %d shards, %.1f MB: addIndexes %.2f s (%.0f MB/s), commit %.2f s%n",
                    copies, dirs.size(), bytes / 1e6, (t1 - t0) / 1e9, bytes / 1e6 / ((t1 - t0) / 1e9), (t2 - t1) / 1e9);
        } finally {
            IOUtils.close(open);
            Shards.deleteLocal(scratch);
        }
    }
}
