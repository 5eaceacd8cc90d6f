package org.symdex.source;

import java.util.Objects;

/**
 * Reads sources: {@link #open} fetches and checks a source's top metadata (InRelease/Release or
 * repomd.xml), {@link #list} its package lists. Every failure is one {@link SourceException}
 * naming the URI: {@code SOURCE} for the metadata (that source contributes nothing), never a
 * partial listing.
 *
 * <p>Thread-safe if the {@link Fetcher} is: it holds no state between calls.
 */
public final class SourceReader {

    /** The longest field (value and continuation lines) or XML text accepted from metadata. */
    public static final int MAX_FIELD_BYTES = 1 << 20;

    /**
     * The most an index file may decompress to when its metadata declares no size (a Release
     * without the plain Packages, a repomd.xml without open-size). Debian's largest Packages
     * (bookworm main amd64) is 50 MB.
     */
    public static final long DEFAULT_MAX_INDEX_BYTES = 2L << 30;

    /**
     * The most packages one source may list. The largest real ones list under 80,000 (bookworm
     * main amd64 63,440; Fedora Everything about 75,000); each costs about 500 bytes of heap, so
     * without a cap hostile metadata of tiny stanzas could exhaust the heap instead of failing.
     */
    public static final int MAX_PACKAGES_PER_SOURCE = 500_000;

    private final Fetcher fetcher;
    private final SourceFilter filter;

    /**
     * @param fetcher opens URIs ({@link FileFetcher} for file:)
     * @param filter {@code --section} and {@code --package}; {@link SourceFilter#none()} for all
     */
    public SourceReader(Fetcher fetcher, SourceFilter filter) {
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.filter = Objects.requireNonNull(filter, "filter");
    }

    public SourceFilter filter() {
        return filter;
    }

    /**
     * Reads and checks the source's top metadata: its labels and skip key are then known.
     *
     * @throws SourceException (SOURCE) when the metadata is missing, unreadable or hostile, or an
     *     architecture or component asked for is not in the Release (the message lists what it has)
     */
    public SourceHead open(SourceSpec spec) throws SourceException {
        return spec.kind() == SourceKind.DEB
                ? DebReader.open(spec, fetcher, filter)
                : RpmMdReader.open(spec, fetcher, filter);
    }

    /**
     * Reads the package lists of an opened source, each verified against the top metadata and
     * streamed; applies the filters.
     *
     * @throws SourceException (SOURCE) on a checksum or size mismatch, a decompression past the
     *     declared size, a field over {@link #MAX_FIELD_BYTES}, a stanza or package without
     *     location, size or checksum, an absolute or ".." location, any XML DOCTYPE
     */
    public SourceListing list(SourceHead head) throws SourceException {
        return head.spec().kind() == SourceKind.DEB
                ? DebReader.list(head, fetcher, filter)
                : RpmMdReader.list(head, fetcher, filter);
    }

    /** {@link #open} then {@link #list}. */
    public SourceListing read(SourceSpec spec) throws SourceException {
        return list(open(spec));
    }
}
