package org.symdex.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An opened resource. The size is what the transport says (a file's length, Content-Length)
 * and is never trusted over the metadata's: it only lets a wrong file fail before it is read.
 *
 * @param stream the bytes; the caller closes it (through this record)
 * @param size its length in bytes, or -1 if the transport does not know
 */
public record Fetched(InputStream stream, long size) implements Closeable {

    public Fetched {
        Objects.requireNonNull(stream, "stream");
        if (size < -1) {
            throw new IllegalArgumentException("size " + size);
        }
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
