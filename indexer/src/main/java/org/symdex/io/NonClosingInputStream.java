package org.symdex.io;

import java.io.FilterInputStream;
import java.io.InputStream;

/**
 * Hides close() from a decoder stacked on a container stream: closing the decompressor of a .deb
 * member must leave the ar stream open so the next member can be read (issue 3, item 1).
 */
public final class NonClosingInputStream extends FilterInputStream {
    public NonClosingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public void close() {
        // Deliberately nothing: the owner of the underlying stream closes it.
    }
}
