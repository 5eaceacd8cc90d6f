package org.symdex.batch;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a run has done so far, as its readers and writers tell it ({@link RunPlan#report} turns it into
 * the {@link RunReport}). Thread-safe: counters and queues only (style.md §6).
 */
public final class RunCounts {
    public final LongAdder added = new LongAdder();
    public final LongAdder replaced = new LongAdder();
    public final LongAdder moved = new LongAdder();
    public final LongAdder relabelled = new LongAdder();
    /** Source rpms: read, not indexed as binaries, counted as skipped. */
    public final LongAdder sourceSkipped = new LongAdder();
    public final LongAdder elfFiles = new LongAdder();
    public final LongAdder capabilities = new LongAdder();
    public final LongAdder bytesRead = new LongAdder();
    public final ConcurrentLinkedQueue<RunReport.Failure> failures = new ConcurrentLinkedQueue<>();
    /** Our bugs met on single packages (each also a failure), with their stack traces. */
    public final ConcurrentLinkedQueue<Throwable> internalErrors = new ConcurrentLinkedQueue<>();
    /** Packages of this run whose documents (or failure records) are written. */
    public final AtomicInteger written = new AtomicInteger();
}
