package org.symdex.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.symdex.batch.RunListener;

/**
 * Progress of a long run (index, deps) on stderr. When stderr is a terminal, a bar is drawn at once
 * and redrawn twice a second whether or not a package finished: packages and bytes done of the plan,
 * the rate, the time elapsed and an estimate of the time left, then what the run is doing (the
 * package being read longest, when one takes more than two seconds: a stuck read shows its name; or
 * "committing", "merging"), cut to the terminal's width. Every message line (a failed package, a
 * warning) is printed above it, so the bar never splits a line; {@link #clear} wipes it before the
 * last line. Without a terminal only the lines are printed.
 */
final class Progress implements RunListener {
    private static final long REDRAW_MILLIS = 500;
    private static final long STUCK_NANOS = 2_000_000_000L;
    private final PrintWriter err;
    private final boolean bar;
    private final int width;
    private final long t0 = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<String, Long> reading = new ConcurrentHashMap<>();
    private volatile int total;
    private volatile long totalBytes;
    private volatile String phase;
    private ScheduledExecutorService timer;
    private boolean drawn;
    private boolean closed;

    /** Whether package file names come as Unicode (index's keys) rather than as byte strings (deps's sources). */
    private final boolean unicodeNames;

    Progress(PrintWriter err, boolean bar) {
        this(err, bar, false);
    }

    Progress(PrintWriter err, boolean bar, boolean unicodeNames) {
        this.err = err;
        this.bar = bar;
        this.unicodeNames = unicodeNames;
        this.width = columns();
    }

    /** The terminal's width: the launcher passes it (SYMDEX_COLUMNS), else COLUMNS, else 80. */
    static int columns() {
        for (String v : new String[] {System.getenv("SYMDEX_COLUMNS"), System.getenv("COLUMNS")}) {
            try {
                if (v != null && Integer.parseInt(v.strip()) >= 20) {
                    return Integer.parseInt(v.strip());
                }
            } catch (NumberFormatException e) {
                // not a number: the next source
            }
        }
        return 80;
    }

    @Override
    public synchronized void planned(int toRead, int skipped, int toRemove, long bytesToRead) {
        total = toRead;
        totalBytes = bytesToRead;
        if (bar && !closed && timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "symdex-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::redraw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void packageStarted(String packageFile) {
        reading.put(packageFile, System.nanoTime());
    }

    @Override
    public void packageDone(String packageFile, long size) {
        reading.remove(packageFile);
        done.incrementAndGet();
        bytes.addAndGet(size);
        if (bar && done.get() == total) {
            redraw();
        }
    }

    @Override
    public void phase(String what) {
        phase = what;
        if (bar) {
            redraw();
        }
    }

    @Override
    public void packageFailed(String packageFile, String message) {
        reading.remove(packageFile);
        line("symdex: " + (unicodeNames ? ByteStrings.of(packageFile) : packageFile) + ": " + message);
    }

    /** Notes are said with --verbose only. */
    private volatile boolean verbose;

    Progress verbose(boolean v) {
        verbose = v;
        return this;
    }

    /** Bytes downloaded over HTTP (TransferListener), shown with their rate when there are any. */
    private final java.util.concurrent.atomic.LongAdder downloaded = new java.util.concurrent.atomic.LongAdder();

    /** A {@link org.symdex.source.TransferListener}: thread-safe and cheap. */
    void received(long n) {
        downloaded.add(n);
    }

    @Override
    public void note(String line) {
        if (verbose) {
            line("symdex: note: " + line);
        }
    }

    @Override
    public void sourceFailed(String line) {
        line("symdex: " + line);
    }

    @Override
    public void warning(String line) {
        line("symdex: " + line);
    }

    private synchronized void line(String s) {
        wipe();
        err.println(s);
        err.flush();
        if (bar && !closed && timer != null) {
            draw(System.nanoTime());
        }
    }

    private synchronized void redraw() {
        if (!closed) {
            draw(System.nanoTime());
        }
    }

    private void draw(long now) {
        int n = done.get();
        long b = bytes.get();
        double secs = (now - t0) / 1e9;
        double rate = secs > 0 ? b / 1e6 / secs : 0;
        int barWidth = Math.max(10, Math.min(30, width / 4));
        long tb = Math.max(1, totalBytes);
        int filled = (int) Math.min(barWidth, b * barWidth / tb);
        String eta = b > 0 && totalBytes > b ? ", ETA " + clock((long) (secs * (totalBytes - b) / b)) : "";
        StringBuilder sb = new StringBuilder();
        sb.append('[').append("#".repeat(filled)).append(" ".repeat(barWidth - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%d/%d packages, %.0f/%.0f MB, %.1f MB/s, %s%s", n, total,
                        b / 1e6, totalBytes / 1e6, rate, clock((long) secs), eta));
        long dl = downloaded.sum();
        if (dl > 0) {
            sb.append(String.format(Locale.ROOT, ", %.0f MB downloaded (%.1f MB/s)", dl / 1e6,
                    secs > 0 ? dl / 1e6 / secs : 0.0));
        }
        String doing = phase;
        if (doing == null) {
            String slowest = null;
            long since = Long.MAX_VALUE;
            for (Map.Entry<String, Long> e : reading.entrySet()) {
                if (e.getValue() < since) {
                    since = e.getValue();
                    slowest = e.getKey();
                }
            }
            if (slowest != null && now - since > STUCK_NANOS) {
                doing = "reading " + ByteStrings.of(slowest.substring(slowest.lastIndexOf('/') + 1)) + " ("
                        + clock((now - since) / 1_000_000_000L) + ")";
            }
        }
        if (doing != null) {
            sb.append("  ").append(doing);
        }
        String text = MessageWriter.safe(sb.toString());
        if (text.length() > width - 1) {
            text = text.substring(0, width - 1);
        }
        raw("\r" + text + " ".repeat(Math.max(0, width - 1 - text.length())) + "\r");
        drawn = true;
    }

    /** The bar's own characters (already made safe), not a message line: printed as they are. */
    private void raw(String s) {
        err.print(s);
        err.flush();
    }

    private static String clock(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private void wipe() {
        if (drawn) {
            raw("\r" + " ".repeat(width - 1) + "\r");
            drawn = false;
        }
    }

    /** Wipes the bar for good (before the run's last line). */
    synchronized void clear() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
        wipe();
    }
}
