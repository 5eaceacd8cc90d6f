package org.symdex.io;

import java.io.IOException;

/** An entry above the hard cap (or above what one ByteBuffer can address): reported and skipped. */
public final class EntryTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public EntryTooLargeException(String message) {
        super(message);
    }
}
