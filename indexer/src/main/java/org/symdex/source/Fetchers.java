package org.symdex.source;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The one place a URI's scheme picks its fetcher: {@code file:} is read by {@link FileFetcher},
 * {@code http:} and {@code https:} by {@link HttpFetcher}; anything else is refused. A source's
 * packages may live under another scheme than its metadata (rpm-md's {@code xml:base}), so the
 * choice is made per URI, not per source.
 */
public final class Fetchers {
    private Fetchers() {
    }

    /** file:, http: and https:, the latter with {@code settings}. */
    public static Fetcher standard(HttpSettings settings) {
        return of(new FileFetcher(), new HttpFetcher(settings));
    }

    /** file: through {@code file}, http: and https: through {@code http}. */
    public static Fetcher of(Fetcher file, Fetcher http) {
        return new Fetcher() {
            @Override
            public Optional<Fetched> open(URI uri) throws IOException {
                String scheme = HttpFetcher.scheme(uri);
                return switch (scheme) {
                    case "file" -> file.open(uri);
                    case "http", "https" -> http.open(uri);
                    default -> throw new IOException(scheme + ": URIs are not supported (file:, http: or https:)");
                };
            }
        };
    }
}
