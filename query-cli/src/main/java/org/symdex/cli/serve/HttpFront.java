package org.symdex.cli.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 front of {@code symdex serve}: one selector thread accepts connections, reads request
 * heads and writes responses, all non-blocking; a bounded pool of workers only computes answers. No
 * thread ever waits on a client, so slow clients (slowloris: a byte of header every few seconds) cost a
 * buffer each, never a worker. docs/decisions.md says why this is not the JDK's HttpServer, which reads
 * each request's head on a worker thread in blocking mode.
 *
 * <p>Bounds (issue 18, item 4): at most {@link #MAX_CONNECTIONS} connections; a new one beyond that
 * closes the connection that has waited longest for its request head, or is refused when every
 * connection is busy with a request; a request head must be complete within {@link #HEAD_MILLIS}
 * of the connection (or of the previous response) and within {@link #MAX_HEAD} bytes; an answer not
 * ready within {@link #ANSWER_MILLIS} is a 503. GET and HEAD only; no request bodies.
 */
final class HttpFront implements AutoCloseable {
    static final int MAX_CONNECTIONS = 64;
    static final long HEAD_MILLIS = 10_000;
    static final long ANSWER_MILLIS = 10_000;
    /** A response nobody reads is dropped after this long. */
    static final long WRITE_MILLIS = 30_000;
    /** The request line and headers; q is at most 4 KiB, 12 KiB percent-encoded. */
    static final int MAX_HEAD = 32 * 1024;

    /** A parsed request head. Header names lower-case; the target as sent (percent-encoded). */
    record Request(String method, String target, String version, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** An answer: status, headers (besides the ones every response gets), body bytes. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response of(int status, String contentType, byte[] body) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", contentType);
            return new Response(status, h, body);
        }

        static Response text(int status, String text) {
            return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        Response with(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Response(status, h, body);
        }
    }

    /** What answers a request, on a worker thread. */
    interface Handler {
        Response handle(Request request) throws Exception;

        /** The 503 for a request not answered within {@link #ANSWER_MILLIS}; {@code message} says so. */
        default Response timedOut(Request request, String message) {
            return Response.text(503, message + "\n");
        }
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Handler handler;
    private final ExecutorService workers;
    private final PrintWriter log;
    private final ConcurrentLinkedQueue<Runnable> fromWorkers = new ConcurrentLinkedQueue<>();
    private final List<Conn> conns = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile long stopDeadline;
    private Thread loop;

    private enum State { HEAD, WORKING, WRITING }

    private final class Conn {
        final SocketChannel ch;
        final SelectionKey key;
        State state = State.HEAD;
        ByteBuffer in = ByteBuffer.allocate(2048);
        ByteBuffer out;
        long deadline;
        long headSince;
        boolean closeAfter;
        Future<?> task;
        Request req;
        int seq;

        Conn(SocketChannel ch, SelectionKey key, long now) {
            this.ch = ch;
            this.key = key;
            this.headSince = now;
            this.deadline = now + HEAD_MILLIS;
        }
    }

    HttpFront(InetSocketAddress listen, Handler handler, int threads, PrintWriter log) throws IOException {
        this.handler = handler;
        this.log = log;
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listen, 128);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
        // Bounded both ways: the threads, and the queue behind them; past both a request is a 503 at once.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_CONNECTIONS), r -> {
                    Thread t = new Thread(r, "symdex-serve-worker");
                    t.setDaemon(true);
                    return t;
                });
        this.workers = pool;
    }

    /** The bound address (the port when 0 was asked). */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    void start() {
        loop = new Thread(this::run, "symdex-serve-io");
        loop.start();
    }

    /**
     * Stops accepting, closes connections that wait for a request, lets the requests in flight finish
     * and their responses be written, within {@code graceMillis}; then closes everything.
     */
    void stop(long graceMillis) throws InterruptedException {
        stopDeadline = System.currentTimeMillis() + graceMillis;
        stopping = true;
        selector.wakeup();
        stopped.await(graceMillis + 1000, TimeUnit.MILLISECONDS);
        workers.shutdownNow();
    }

    /** Blocks until the front has stopped. */
    void await() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        try {
            stop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                long now = System.currentTimeMillis();
                if (stopping) {
                    if (server.isOpen()) {
                        server.close();
                        for (Conn c : new ArrayList<>(conns)) {
                            // A request already sent is in flight, whether or not the selector has seen it yet:
                            // read what is there; only a connection with no whole request head is closed.
                            if (c.state == State.HEAD) {
                                try {
                                    read(c);
                                } catch (IOException e) {
                                    close(c);
                                }
                            }
                            if (c.state == State.HEAD) {
                                close(c);
                            }
                        }
                    }
                    if (conns.isEmpty() || now >= stopDeadline) {
                        break;
                    }
                }
                selector.select(100);
                Runnable r;
                while ((r = fromWorkers.poll()) != null) {
                    r.run();
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (!k.isValid()) {
                        continue;
                    }
                    if (k.isAcceptable()) {
                        accept();
                    } else {
                        Conn c = (Conn) k.attachment();
                        try {
                            if (k.isReadable() && c.state == State.HEAD) {
                                read(c);
                            }
                            if (k.isValid() && k.isWritable() && c.state == State.WRITING) {
                                write(c);
                            }
                        } catch (IOException e) {
                            close(c);
                        }
                    }
                }
                expire(System.currentTimeMillis());
            }
        } catch (IOException | RuntimeException e) {
            log.println("symdex: serve: " + e);
            log.flush();
        } finally {
            for (Conn c : new ArrayList<>(conns)) {
                close(c);
            }
            try {
                server.close();
                selector.close();
            } catch (IOException e) {
                // closing at the end: nothing left to tell
            }
            stopped.countDown();
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            long now = System.currentTimeMillis();
            if (conns.size() >= MAX_CONNECTIONS) {
                // Make room by closing the connection that has waited longest for its request head (a slow
                // or idle client); when every connection is busy with a request, refuse this one.
                Conn oldest = null;
                for (Conn c : conns) {
                    if (c.state == State.HEAD && (oldest == null || c.headSince < oldest.headSince)) {
                        oldest = c;
                    }
                }
                if (oldest == null) {
                    ch.close();
                    continue;
                }
                close(oldest);
            }
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            Conn c = new Conn(ch, key, now);
            key.attach(c);
            conns.add(c);
        }
    }

    private void read(Conn c) throws IOException {
        if (!c.in.hasRemaining()) {
            if (c.in.capacity() >= MAX_HEAD) {
                respondAndClose(c, Response.text(431, "request head over " + MAX_HEAD + " bytes\n"));
                return;
            }
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_HEAD, c.in.capacity() * 4));
            c.in.flip();
            bigger.put(c.in);
            c.in = bigger;
        }
        int n = c.ch.read(c.in);
        if (n < 0) {
            close(c);
            return;
        }
        int end = headEnd(c.in);
        if (end < 0) {
            return;
        }
        String head = new String(c.in.array(), 0, end, StandardCharsets.ISO_8859_1);
        // Anything after the head would be a body or a pipelined request: neither is taken.
        boolean extra = c.in.position() > end + 4;
        c.in.clear();
        Request req;
        try {
            req = parse(head);
        } catch (IllegalArgumentException e) {
            respondAndClose(c, Response.text(400, e.getMessage() + "\n"));
            return;
        }
        String length = req.header("content-length");
        if (extra || req.header("transfer-encoding") != null || length != null && !length.trim().equals("0")) {
            respondAndClose(c, Response.text(400, "request bodies are not taken\n"));
            return;
        }
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            respondAndClose(c, Response.text(405, "GET or HEAD only\n").with("Allow", "GET, HEAD"));
            return;
        }
        String connection = req.header("connection");
        c.closeAfter = stopping || !req.version().equals("HTTP/1.1")
                || connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
        c.state = State.WORKING;
        c.key.interestOps(0);
        c.deadline = System.currentTimeMillis() + ANSWER_MILLIS;
        int seq = ++c.seq;
        c.req = req;
        try {
            c.task = workers.submit(() -> {
                Response r;
                try {
                    r = handler.handle(req);
                } catch (Throwable t) {
                    r = Response.text(500, "symdex: internal error: " + t + "\n");
                }
                Response done = r;
                fromWorkers.add(() -> answered(c, seq, req, done));
                selector.wakeup();
            });
        } catch (RejectedExecutionException e) {
            respond(c, req, Response.text(503, "busy: every worker and queue place is taken; try again\n")
                    .with("Retry-After", "1"));
        }
    }

    private void answered(Conn c, int seq, Request req, Response r) {
        if (c.state != State.WORKING || c.seq != seq || !c.ch.isOpen()) {
            return; // timed out meanwhile (a 503 was sent), or the client went away
        }
        respond(c, req, r);
    }

    private void respondAndClose(Conn c, Response r) {
        c.closeAfter = true;
        respond(c, null, r);
    }

    private void respond(Conn c, Request req, Response r) {
        boolean head = req != null && req.method().equals("HEAD");
        c.closeAfter |= stopping; // said in the head: the connection ends after this response
        StringBuilder sb = new StringBuilder(512);
        sb.append("HTTP/1.1 ").append(r.status()).append(' ').append(reason(r.status())).append("\r\n");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        // Every response, whatever made it: the page may load only this server's own files, is never framed,
        // and is never sniffed into another type.
        sb.append("Content-Security-Policy: default-src 'self'\r\n");
        sb.append("X-Content-Type-Options: nosniff\r\n");
        sb.append("X-Frame-Options: DENY\r\n");
        sb.append("Referrer-Policy: no-referrer\r\n");
        if (!r.headers().containsKey("Cache-Control")) {
            sb.append("Cache-Control: no-cache\r\n");
        }
        sb.append("Content-Length: ").append(r.body().length).append("\r\n");
        sb.append("Connection: ").append(c.closeAfter ? "close" : "keep-alive").append("\r\n\r\n");
        byte[] headBytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + (head ? 0 : r.body().length));
        out.put(headBytes);
        if (!head) {
            out.put(r.body());
        }
        out.flip();
        c.out = out;
        c.state = State.WRITING;
        c.deadline = System.currentTimeMillis() + WRITE_MILLIS;
        try {
            write(c);
        } catch (IOException e) {
            close(c);
        }
    }

    private void write(Conn c) throws IOException {
        c.ch.write(c.out);
        if (c.out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        c.out = null;
        if (c.closeAfter || stopping) {
            close(c);
            return;
        }
        long now = System.currentTimeMillis();
        c.state = State.HEAD;
        c.headSince = now;
        c.deadline = now + HEAD_MILLIS;
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private void expire(long now) {
        for (Conn c : new ArrayList<>(conns)) {
            if (now < c.deadline) {
                continue;
            }
            switch (c.state) {
                case HEAD -> {
                    if (c.in.position() == 0) {
                        close(c); // an idle keep-alive connection: nothing to answer
                    } else {
                        respondAndClose(c, Response.text(408, "request head not complete within "
                                + HEAD_MILLIS / 1000 + " s\n"));
                    }
                }
                case WORKING -> {
                    if (c.task != null) {
                        c.task.cancel(true);
                    }
                    c.closeAfter = true;
                    respond(c, null, handler.timedOut(c.req, "no answer within " + ANSWER_MILLIS / 1000
                            + " s; narrow the question (a longer glob, label, arch)"));
                }
                case WRITING -> close(c);
                default -> throw new IllegalStateException(c.state.toString());
            }
        }
    }

    private void close(Conn c) {
        conns.remove(c);
        c.key.cancel();
        try {
            c.ch.close();
        } catch (IOException e) {
            // the client is gone either way
        }
    }

    /** The offset of the blank line ending the head, or -1. Bare LF line ends are taken too. */
    private static int headEnd(ByteBuffer in) {
        byte[] a = in.array();
        int n = in.position();
        for (int i = 0; i + 1 < n; i++) {
            if (a[i] == '\n' && a[i + 1] == '\n') {
                return i;
            }
            if (i + 3 < n && a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    static Request parse(String head) {
        String[] lines = head.split("\r?\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("bad request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("bad header line");
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (headers.putIfAbsent(name, value) != null && name.equals("host")) {
                throw new IllegalArgumentException("two Host headers");
            }
        }
        return new Request(first[0], first[1], first[2], headers);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 414 -> "URI Too Long";
            case 421 -> "Misdirected Request";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
