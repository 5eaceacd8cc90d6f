package org.symdex.source;

import java.time.Instant;
import java.util.Optional;

/**
 * Mirror skew (issue 14 item 5): mirrors of one archive are updated one after another, so tonight's
 * mirror may serve an older Release than the one indexed last night. Read, it would prune what
 * yesterday's listing added and tomorrow's will add again; so a source whose Release {@code Date}
 * (rpm-md: repomd {@code revision}) is older than the one recorded at the last run is skipped,
 * unless the run allows older metadata ({@code --allow-older}).
 *
 * <p>A pure function: the run records {@link SourceHead#releaseDate} with each source and passes it
 * back here before {@link SourceReader#list}. Dates are compared as instants (Debian) or as numbers
 * (repomd revisions, Unix times by createrepo_c); two dates that cannot be compared (one missing or
 * unparsable, a revision that is not a number) never skip.
 */
public final class MirrorSkew {
    private MirrorSkew() {
    }

    /**
     * Whether to skip {@code head}.
     *
     * @param indexed the release date recorded for this source at the last run, as
     *     {@link SourceHead#releaseDate} gave it; empty when none was recorded
     * @param allowOlder {@code --allow-older}: never skip
     * @return the skip line, {@code LINE: Release of DATE is older than the indexed DATE; skipped}
     *     (the CLI prefixes {@code symdex: }), or empty to read the source
     */
    public static Optional<String> check(SourceHead head, Optional<String> indexed, boolean allowOlder) {
        if (allowOlder || indexed.isEmpty() || head.releaseDate().isEmpty()) {
            return Optional.empty();
        }
        String now = head.releaseDate().get();
        String then = indexed.get();
        if (!older(now, then)) {
            return Optional.empty();
        }
        return Optional.of(SourceException.oneLine(head.spec().line() + ": Release of " + now
                + " is older than the indexed " + then + "; skipped"));
    }

    /** Whether {@code date} is strictly before {@code indexed}; false when they cannot be compared. */
    static boolean older(String date, String indexed) {
        Optional<Instant> a = ReleaseDates.parse(date);
        Optional<Instant> b = ReleaseDates.parse(indexed);
        if (a.isPresent() && b.isPresent()) {
            return a.get().isBefore(b.get());
        }
        long x = DebRelease.parseSize(date.strip());
        long y = DebRelease.parseSize(indexed.strip());
        return x >= 0 && y >= 0 && x < y;
    }
}
