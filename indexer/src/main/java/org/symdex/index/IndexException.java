package org.symdex.index;

/**
 * The index cannot be opened, written or read as asked: another schema or extractor version, a lock
 * held by another run, an I/O error of the index directory. The message is one line meant for the user
 * (the CLI prints {@code symdex: MESSAGE}); the cause keeps the detail for --verbose.
 */
public class IndexException extends Exception {
    private static final long serialVersionUID = 1L;

    public IndexException(String message) {
        super(message);
    }

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
