package org.symdex.batch;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Runs one task per input on a fixed number of threads, the largest inputs first, and hands the
 * results to a sink in input order, on the calling thread.
 *
 * <p>Why largest first: a run of {@code jobs} threads ends when its slowest thread does. Taken in
 * argument order, a package that is a third of the bytes (Debian's linux-image-*-dbg is 281 MB of
 * a 761 MB sample) may start last and leave the other cores idle for its whole decompression;
 * started first, it runs while the other threads work through everything else (the classic LPT
 * rule for scheduling on identical machines).
 *
 * <p>Why a window: results must come out in input order, so a result that finishes before its
 * turn is held. Only inputs within {@code window} places of the next one due are started, which
 * bounds the held results to {@code window} whatever the order of sizes; largest-first applies
 * among them. A window as large as the input list is the global rule.
 */
public final class LargestFirst<I, R> {
    private final List<I> inputs;
    private final long[] sizes;
    private final int jobs;
    private final int window;
    private final String threadName;

    /**
     * @param inputs the inputs, in the order their results are delivered
     * @param sizes each input's size (the bytes it reads); read once, here
     * @param jobs threads, at least 1
     * @param window how many inputs past the next one due may be started or held, at least 1
     * @param threadName the name of the worker threads
     */
    public LargestFirst(List<I> inputs, ToLongFunction<? super I> sizes, int jobs, int window,
                        String threadName) {
        if (jobs < 1 || window < 1) {
            throw new IllegalArgumentException("jobs and window must be at least 1: " + jobs + ", " + window);
        }
        this.inputs = List.copyOf(inputs);
        this.sizes = new long[this.inputs.size()];
        for (int i = 0; i < this.sizes.length; i++) {
            this.sizes[i] = sizes.applyAsLong(this.inputs.get(i));
        }
        this.jobs = jobs;
        this.window = window;
        this.threadName = Objects.requireNonNull(threadName);
    }

    /** The sum of the inputs' sizes. */
    public long totalSize() {
        long sum = 0;
        for (long s : sizes) {
            sum += s;
        }
        return sum;
    }

    private record Done<R>(int index, R result) {
    }

    /**
     * Runs {@code task} on every input and passes each result to {@code sink} in input order. The
     * sink runs on the calling thread while the workers go on. A task's unchecked exception (a bug:
     * problems with an input belong in its result) stops the run and is rethrown here, as is the
     * sink's.
     */
    public void run(Function<? super I, ? extends R> task, Consumer<? super R> sink) throws InterruptedException {
        run(() -> false, task, sink);
    }

    /**
     * As {@link #run(Function, Consumer)}, ending early, after the sink's current result, once
     * {@code stop} says so (the reader of the output went away): no input is started any more, and the
     * running ones are abandoned (their threads are interrupted).
     */
    public void run(java.util.function.BooleanSupplier stop, Function<? super I, ? extends R> task,
                    Consumer<? super R> sink) throws InterruptedException {
        int n = inputs.size();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(n, 1)), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Done<R>> done = new ExecutorCompletionService<>(pool);
            // Largest first; equal sizes in input order, so that a run of equal inputs is the plain order.
            PriorityQueue<Integer> startable = new PriorityQueue<>(
                    Comparator.<Integer>comparingLong(i -> -sizes[i]).thenComparingInt(i -> i));
            @SuppressWarnings("unchecked")
            R[] held = (R[]) new Object[n];
            boolean[] ready = new boolean[n];
            int admitted = 0; // inputs below this index are startable, running or finished
            int next = 0; // the next result due to the sink
            int running = 0;
            while (next < n && !stop.getAsBoolean()) {
                while (admitted < n && admitted - next < window) {
                    startable.add(admitted++);
                }
                while (running < jobs && !startable.isEmpty()) {
                    int i = startable.poll();
                    I input = inputs.get(i);
                    done.submit(() -> new Done<R>(i, task.apply(input)));
                    running++;
                }
                if (ready[next]) {
                    R r = held[next];
                    held[next] = null;
                    ready[next] = false;
                    next++;
                    sink.accept(r);
                    continue;
                }
                Done<R> d = result(done.take());
                running--;
                held[d.index()] = d.result();
                ready[d.index()] = true;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> Done<R> result(Future<Done<R>> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
