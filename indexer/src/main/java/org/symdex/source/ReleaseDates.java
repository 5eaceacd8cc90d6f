package org.symdex.source;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Release {@code Date} and {@code Valid-Until} as Debian writes them, RFC 1123 with "UTC"
 * ({@code Sat, 11 Jul 2026 10:16:37 UTC}), and as apt also reads them (apt-pkg/contrib/strutl.cc
 * {@code RFC1123StrToTime}: "GMT", "UTC", "Z" or a numeric offset; the day name optional).
 */
final class ReleaseDates {
    private ReleaseDates() {
    }

    /** The instant {@code text} names, or empty if it is not such a date. */
    static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip().replaceAll("\\s+", " ");
        if (t.endsWith(" UTC") || t.endsWith(" Z")) {
            t = t.substring(0, t.lastIndexOf(' ')) + " GMT";
        }
        try {
            return Optional.of(ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
