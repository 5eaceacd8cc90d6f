package org.symdex.index;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An index as users name one: {@code PATH} (its newest commit) or {@code PATH@REF}, one of its kept
 * nights. The argument is split at the last {@code @} whose suffix parses as a REF, so a path that holds
 * an {@code @} itself still works:
 * <ul>
 * <li>{@code -N}: N nights before the newest ({@code -1} is last night when a run finished today);</li>
 * <li>{@code YYYY-MM-DD}: the newest night that finished on or before that day's end, UTC;</li>
 * <li>{@code N}: the commit of generation N, as {@code info} lists it.</li>
 * </ul>
 *
 * @param text the argument as given, for messages
 */
public record IndexRef(Path dir, Optional<Ref> ref, String text) {
    private static final Pattern BACK = Pattern.compile("-(\\d{1,9})");
    private static final Pattern GENERATION = Pattern.compile("\\d{1,18}");

    /** What follows the {@code @}. */
    public sealed interface Ref permits Back, OnOrBefore, Generation {
    }

    /** {@code -N}: N nights before the newest. */
    public record Back(int nights) implements Ref {
    }

    /** {@code YYYY-MM-DD}. */
    public record OnOrBefore(LocalDate day) implements Ref {
    }

    /** {@code N}: a commit generation. */
    public record Generation(long generation) implements Ref {
    }

    public static IndexRef parse(String arg) {
        int at = arg.lastIndexOf('@');
        while (at >= 0) {
            Optional<Ref> ref = parseRef(arg.substring(at + 1));
            if (ref.isPresent() && at > 0) {
                return new IndexRef(Path.of(arg.substring(0, at)), ref, arg);
            }
            at = at > 0 ? arg.lastIndexOf('@', at - 1) : -1;
        }
        return new IndexRef(Path.of(arg), Optional.empty(), arg);
    }

    /** The newest commit of {@code dir}. */
    public static IndexRef of(Path dir) {
        return new IndexRef(dir, Optional.empty(), dir.toString());
    }

    static Optional<Ref> parseRef(String s) {
        if (BACK.matcher(s).matches()) {
            return Optional.of(new Back(Integer.parseInt(s.substring(1))));
        }
        if (GENERATION.matcher(s).matches()) {
            return Optional.of(new Generation(Long.parseLong(s)));
        }
        if (s.length() == 10) {
            try {
                return Optional.of(new OnOrBefore(LocalDate.parse(s)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return text;
    }
}
