package org.symdex.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.symdex.pkg.ReaderOptions;

/**
 * What every task of one run needs besides its packages, shipped with the task: the run, where shards
 * go, how packages are read, and the test hooks.
 *
 * @param runId the run's id: shard directories and stamps carry it
 * @param shardDir where shards are copied (a Hadoop URI: file:, hdfs:, s3a:, ...)
 * @param withSymbols index dynamic symbols, as the target index does
 * @param xzCommand the system xz command (empty: the pure-Java decoder only), {@link ReaderOptions}
 * @param xzCommandMinBytes streams from this size go to the xz command
 * @param dictionaryLimitBytes the largest LZ dictionary a stream may declare
 * @param stallSeconds HTTP sources: a transfer under 1 KiB/s for this long is aborted (--timeout)
 * @param hooks faults the tests inject
 */
record Settings(String runId, String shardDir, boolean withSymbols, List<String> xzCommand, long xzCommandMinBytes,
                long dictionaryLimitBytes, long stallSeconds, Hooks hooks) implements Serializable {
    private static final long serialVersionUID = 1L;

    Settings {
        xzCommand = List.copyOf(xzCommand);
    }

    /**
     * Faults for the tests, each in attempt 0 of one partition only (-1: none), so that Spark's retry or
     * speculative copy is what the test sees: {@code failPartition} throws after the shard was copied
     * (an orphan shard the driver must not add); {@code slowPartition} sleeps {@code slowMillis} after
     * copying its shard (a straggler whose shard exists but must be added once).
     */
    record Hooks(int failPartition, int slowPartition, long slowMillis) implements Serializable {
        private static final long serialVersionUID = 1L;
        static final Hooks NONE = new Hooks(-1, -1, 0);
    }

    ReaderOptions readerOptions() {
        return new ReaderOptions(xzCommand.isEmpty() ? Optional.empty() : Optional.of(xzCommand), xzCommandMinBytes,
                dictionaryLimitBytes);
    }

    static Settings of(String runId, String shardDir, boolean withSymbols, ReaderOptions reader, long stallSeconds,
                       Hooks hooks) {
        return new Settings(runId, shardDir, withSymbols, reader.xzCommand().orElse(List.of()), reader.xzCommandMinBytes(),
                reader.dictionaryLimitBytes(), stallSeconds, hooks);
    }
}
