package org.symdex.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.symdex.batch.RunListener;

/**
 * Progress of a long run (index, deps) on stderr: a bar redrawn in place at most five times a
 * second when stderr is a terminal, and every message line (a failed package, a warning) printed
 * above it, so that the bar never splits a line. Without a terminal only the lines are printed.
 */
final class Progress implements RunListener {
    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final boolean bar;
    private final long t0 = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile int total;
    private volatile long totalBytes;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintWriter err, boolean bar) {
        this.err = err;
        this.bar = bar;
    }

    @Override
    public void planned(int toRead, int skipped, int toRemove, long bytesToRead) {
        total = toRead;
        totalBytes = bytesToRead;
    }

    @Override
    public void packageDone(String packageFile, long size) {
        done.incrementAndGet();
        bytes.addAndGet(size);
        if (bar) {
            synchronized (this) {
                long now = System.nanoTime();
                if (now - lastDraw >= REDRAW_NANOS || done.get() == total) {
                    lastDraw = now;
                    draw(now);
                }
            }
        }
    }

    @Override
    public void packageFailed(String packageFile, String message) {
        line("symdex: " + packageFile + ": " + message);
    }

    @Override
    public void warning(String line) {
        line("symdex: " + line);
    }

    private synchronized void line(String s) {
        clear();
        err.println(s);
        err.flush();
    }

    private void draw(long now) {
        int n = done.get();
        int width = 30;
        long tb = Math.max(1, totalBytes);
        int filled = (int) Math.min(width, bytes.get() * width / tb);
        double secs = (now - t0) / 1e9;
        err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d packages, %.0f/%.0f MB, %.1f MB/s ",
                "#".repeat(filled), " ".repeat(width - filled), n, total, bytes.get() / 1e6, totalBytes / 1e6,
                secs > 0 ? bytes.get() / 1e6 / secs : 0.0));
        err.flush();
        drawn = true;
    }

    synchronized void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(79) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
