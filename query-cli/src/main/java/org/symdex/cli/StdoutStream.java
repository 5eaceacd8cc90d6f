package org.symdex.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's standard output, which remembers how writing to it failed. A PrintWriter swallows
 * write errors, so {@code symdex deps ... > /dev/full} used to exit 0 having written nothing: here the
 * first failure is kept, and {@link Symdex#main} turns it into {@code symdex: cannot write output:
 * REASON}, exit 2. A closed pipe ({@code | head}) is not an error of the command: the reader has all it
 * wanted, so output ends silently with the command's own exit code, and {@link #closed()} lets
 * streaming commands stop starting work nobody will read.
 */
final class StdoutStream extends OutputStream {
    private final OutputStream out = new FileOutputStream(FileDescriptor.out);
    private volatile IOException failure;
    private volatile boolean closed;

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure; // every later write fails alike, and cheaply
        }
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        if (failure != null) {
            throw failure;
        }
        try {
            out.flush();
        } catch (IOException e) {
            failed(e);
            throw e;
        }
    }

    private void failed(IOException e) {
        failure = e;
        // EPIPE: the JVM ignores SIGPIPE, so a closed pipe is this message (Linux's strerror).
        closed = e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }

    /** Whether the reader went away (a closed pipe). */
    boolean closed() {
        return closed;
    }

    /** Why writing failed, when it did for another reason than a closed pipe; else null. */
    String error() {
        IOException f = failure;
        if (f == null || closed) {
            return null;
        }
        return f.getMessage() == null ? f.getClass().getSimpleName() : f.getMessage();
    }
}
