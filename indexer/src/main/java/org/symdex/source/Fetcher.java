package org.symdex.source;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Opens what a source's URIs name. The readers see only this interface, never a file system
 * path, so the HTTP fetcher (a later issue) slots in behind it; {@link FileFetcher} reads
 * {@code file:} URIs.
 *
 * <p>Implementations must be safe for concurrent {@code open} calls: packages of one source may
 * be read by several jobs at once.
 */
public interface Fetcher {

    /**
     * Opens {@code uri} for reading.
     *
     * @return the stream and its size if known, or empty when nothing exists at {@code uri}
     *     (no such file, HTTP 404): the caller decides whether that is a failure, as
     *     "InRelease absent: read Release" is not
     * @throws IOException when the resource exists but cannot be read, or the scheme is not
     *     supported; the message is one line and does not repeat the URI
     */
    Optional<Fetched> open(URI uri) throws IOException;
}
