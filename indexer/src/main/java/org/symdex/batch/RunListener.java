package org.symdex.batch;

/**
 * What a run tells its front end while it works (the library prints nothing itself). Called from the
 * worker threads, so implementations must be thread-safe; every method defaults to doing nothing.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** After the walk: how many packages will be read, skipped and removed, and their total bytes. */
    default void planned(int toRead, int skipped, int toRemove, long bytesToRead) {
    }

    /** A package is being read (a read that takes long shows its name). */
    default void packageStarted(String packageFile) {
    }

    /** What the run does besides reading packages ("committing"), or null when it reads again. */
    default void phase(String what) {
    }

    /** One package read and written (or recorded as failed); {@code bytes} is its size. */
    default void packageDone(String packageFile, long bytes) {
    }

    /** A commit of the run's middle: {@code done} of its {@code total} packages are in the index now. */
    default void committed(int done, int total) {
    }

    /** A package that could not be read: {@code message} is one line. */
    default void packageFailed(String packageFile, String message) {
    }

    /**
     * A source whose metadata or package list could not be read ({@code WHERE: reason}): it contributes
     * nothing this run, and nothing is pruned for it.
     */
    default void sourceFailed(String line) {
    }

    /**
     * Something a source left out, as designed (an implicit {@code all} its Release does not offer, a
     * filter that does not apply): worth a line with --verbose, not every night.
     */
    default void note(String line) {
    }

    /** A non-fatal problem inside a readable package, formatted {@code PACKAGE!/path: reason}. */
    default void warning(String line) {
    }
}
