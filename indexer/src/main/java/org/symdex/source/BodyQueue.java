package org.symdex.source;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as the JDK's HttpClient delivers it, handed to one reader with waits it can bound.
 * The JDK's own {@code BodySubscribers.ofInputStream} blocks its reader without a timeout, so a
 * server that stops sending would hang the reader; here the reader polls with a deadline
 * ({@link HttpBodyStream} decides what a stall is).
 *
 * <p>Memory is bounded by demand: one more list of buffers is requested only when the reader takes
 * one, so at most two are held, whatever the server sends. Asking 16 ahead instead made no
 * difference reading 300 packages (51 MB) from nginx on 127.0.0.1 (HttpReadBench), so the bound
 * stays this tight. {@link #getBody} completes at once, so
 * {@code HttpClient.send} returns with the headers and the body streams after.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue> {
    /** Put after the last buffer. */
    static final Object END = new Object();

    private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        items.add(buffers);
    }

    @Override
    public void onError(Throwable t) {
        items.add(t);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    @Override
    public CompletionStage<BodyQueue> getBody() {
        return CompletableFuture.completedStage(this);
    }

    /**
     * The next item: a {@code List<ByteBuffer>}, a {@code Throwable} (the transfer failed),
     * {@link #END}, or null when nothing came within {@code nanos}.
     */
    Object poll(long nanos) throws InterruptedException {
        Object o = items.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        if (o instanceof List) {
            Flow.Subscription s = subscription;
            if (s != null && !cancelled) {
                s.request(1);
            }
        }
        return o;
    }

    /** Stops the transfer: the JDK closes the connection rather than reading the rest. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        items.clear();
    }
}
