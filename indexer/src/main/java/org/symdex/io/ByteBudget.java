package org.symdex.io;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte allowance shared by all jobs of a run. Jobs reserve before they grow a heap buffer and
 * give the bytes back when they shrink it, so the sum of heap entry buffers never exceeds the
 * budget whatever the number of jobs (issue 3, item 4). Never blocks: a job that cannot get bytes
 * spools to disk instead of waiting.
 */
public final class ByteBudget {
    private final long total;
    private final AtomicLong available;

    public ByteBudget(long total) {
        if (total < 0) {
            throw new IllegalArgumentException("budget must be >= 0: " + total);
        }
        this.total = total;
        this.available = new AtomicLong(total);
    }

    public long total() {
        return total;
    }

    public long available() {
        return available.get();
    }

    /** Takes {@code bytes} from the budget if that many are left; otherwise takes nothing. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative reservation: " + bytes);
        }
        while (true) {
            long now = available.get();
            if (now < bytes) {
                return false;
            }
            if (available.compareAndSet(now, now - bytes)) {
                return true;
            }
        }
    }

    public void release(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative release: " + bytes);
        }
        long after = available.addAndGet(bytes);
        if (after > total) {
            throw new IllegalStateException("released more than reserved: " + after + " > " + total);
        }
    }
}
