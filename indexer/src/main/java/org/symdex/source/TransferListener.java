package org.symdex.source;

/**
 * Told of every byte a fetcher hands to its reader, so that a progress bar can show the bytes
 * downloaded and the rate. Called from the reading threads (several at once with {@code --jobs}),
 * once per read that returned data, so an implementation must be thread-safe and cheap (a
 * {@code LongAdder}); it must not throw.
 *
 * <p>Bytes a resumed download fetches again are not counted twice: a resume asks only for what the
 * reader has not had.
 */
@FunctionalInterface
public interface TransferListener {

    /** Counts nothing. */
    TransferListener NONE = bytes -> {
    };

    /** {@code bytes} (at least 1) more have arrived. */
    void received(long bytes);
}
