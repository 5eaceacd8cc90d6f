package org.symdex.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Names and housekeeping of shards: a shard is a Lucene index of one partition, written by one task
 * attempt, under the run's shard dir as {@code pPARTITION-aATTEMPT}; its commit data carries the stamps
 * the driver checks before it adds it.
 */
final class Shards {
    private Shards() {
    }

    /** Commit data of a shard, besides the index's own version stamp. */
    static final String RUN = "symdex.shard.run";
    static final String PARTITION = "symdex.shard.partition";
    static final String ATTEMPT = "symdex.shard.attempt";
    static final String PACKAGES = "symdex.shard.packages";

    /** The directory inside an index where runs keep their shards by default, and their markers. */
    static final String DIR = ".shards";

    /**
     * {@code INDEX/.shards/RUN-ID.dir} names a run's shard dir until the run commits: a marker the next
     * run finds means shards no index holds, which it deletes.
     */
    static final String MARKER = ".dir";

    static String name(int partition, int attempt) {
        return "p" + partition + "-a" + attempt;
    }

    /** {@code base/child}, whether base ends with a slash or not. */
    static String child(String base, String child) {
        return base.endsWith("/") ? base + child : base + "/" + child;
    }

    /** The URI of a local directory, as Hadoop names it. */
    static String uri(Path dir) {
        URI u = dir.toAbsolutePath().normalize().toUri();
        String s = u.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Deletes a local directory tree, if there is one. */
    static void deleteLocal(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
