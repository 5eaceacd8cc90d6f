package org.symdex.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one task did: the shard it wrote and copied, and what became of each of its packages (the
 * driver counts, reports and moves by these; the documents themselves are in the shard).
 *
 * @param partition the partition, as planned
 * @param attempt Spark's attempt number of the task that wrote it (a retry or a speculative copy: 1, 2, ...)
 * @param shard the shard's URI under the shard dir
 * @param packages one entry per package of the partition, in the partition's order
 * @param libraries where the executor's classes came from (class name → jar), for the library check
 * @param executor the executor's id and host, for messages
 */
record ShardResult(int partition, int attempt, String shard, List<Done> packages, Map<String, String> libraries,
                   String executor) implements Serializable {
    private static final long serialVersionUID = 1L;

    ShardResult {
        packages = List.copyOf(packages);
        libraries = Map.copyOf(libraries);
    }

    /** What became of a package. */
    enum Outcome {
        /** its documents are in the shard */
        PACKAGE,
        /** its failure record is in the shard (or, when not even that fits, nowhere: said in the message) */
        FAILURE,
        /** a source rpm: nothing indexed, whatever is under its key goes */
        SOURCE
    }

    /**
     * @param sha256 of the bytes read (null when they could not be read)
     * @param failure the failure as recorded, else null
     * @param warnings problems inside the package, {@code PACKAGE!/path: reason}
     * @param internalError our bug met on the package ({@code toString} of the exception), else null
     * @param internalTrace its stack trace, for --verbose
     */
    record Done(String key, Outcome outcome, String action, boolean walked, String sha256, long size, int elfFiles,
                long capabilities, long bytesRead, String failure, List<String> warnings, String internalError,
                String internalTrace) implements Serializable {
        private static final long serialVersionUID = 1L;

        Done {
            warnings = List.copyOf(warnings);
        }
    }
}
