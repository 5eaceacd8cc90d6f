package org.symdex.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes through an external command ({@code xz -dc}): a thread copies the compressed bytes to
 * the process's stdin while the caller reads its stdout. End of output with a non-zero exit status
 * is an IOException carrying the command's first stderr line, so garbage still fails loudly.
 * close() kills the process and waits for the copying thread, so the source stream is no longer
 * touched once close() returns.
 */
final class ProcessDecoder extends InputStream {
    private final String name;
    private final String memoryLimitMessage;
    private final Process process;
    private final InputStream out;
    private final Thread pump;
    private volatile IOException pumpError;
    private boolean finished;

    /**
     * @param memoryLimitMessage the one line to fail with when the command reports its memory limit
     *     ({@code --memlimit-decompress}) reached
     */
    ProcessDecoder(List<String> command, InputStream source, String memoryLimitMessage) throws IOException {
        this.name = String.join(" ", command);
        this.memoryLimitMessage = memoryLimitMessage;
        ProcessBuilder pb = new ProcessBuilder(command);
        // xz translates its messages (gettext); the memory-limit one is recognised by its English text.
        pb.environment().put("LC_ALL", "C");
        this.process = pb.start();
        this.out = process.getInputStream();
        this.pump = new Thread(() -> copy(source), "symdex-xz-feed");
        pump.setDaemon(true);
        pump.start();
    }

    private void copy(InputStream source) {
        byte[] buf = new byte[64 * 1024];
        try (OutputStream stdin = process.getOutputStream()) {
            int n;
            while ((n = source.read(buf)) >= 0) {
                stdin.write(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            // A broken pipe after xz exited is reported through the exit status instead.
            if (process.isAlive()) {
                pumpError = e instanceof IOException io ? io : new IOException(e.toString(), e);
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (finished) {
            return -1;
        }
        int n = out.read(b, off, len);
        if (n < 0) {
            finish();
        }
        return n;
    }

    private void finish() throws IOException {
        finished = true;
        try {
            pump.join();
            int status = process.waitFor();
            // xz's own complaint explains a broken pipe on our side, so it goes first.
            if (status != 0) {
                String error = firstErrorLine();
                // xz 5.4.1 says "xz: (stdin): Memory usage limit reached", then "xz: 1 MiB of memory is
                // required" for any .xz stream (the figure is right only for .lzma), so the size it
                // needs cannot be told, only that it is over the limit.
                if (error.endsWith("Memory usage limit reached")) {
                    throw new IOException(memoryLimitMessage + " (xz: Memory usage limit reached)");
                }
                throw new IOException(name + " failed (exit " + status + "): " + error);
            }
            if (pumpError != null) {
                throw new IOException("feeding " + name + ": " + pumpError.getMessage(), pumpError);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + name, e);
        }
    }

    private String firstErrorLine() {
        try (InputStream err = process.getErrorStream()) {
            String s = new String(err.readNBytes(4096), StandardCharsets.UTF_8).strip();
            int nl = s.indexOf('\n');
            return nl < 0 ? s : s.substring(0, nl);
        } catch (IOException e) {
            return "(no message)";
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            out.close();
        } finally {
            try {
                pump.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.getErrorStream().close();
        }
    }
}
