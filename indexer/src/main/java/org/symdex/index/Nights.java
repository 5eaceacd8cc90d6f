package org.symdex.index;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexDeletionPolicy;
import org.apache.lucene.store.Directory;

/**
 * Nights are commits, not copies (releases issue, item 4): every run that finishes writes one commit
 * stamped {@link Schema#DATA_RUN_FINISHED}, and the index keeps the last N of them ({@link KeepPolicy})
 * plus the newest unfinished commit. Unchanged segments are shared between commits, so a night costs
 * what changed. This class lists the kept commits and resolves {@link IndexRef}s among them.
 */
public final class Nights {
    private Nights() {
    }

    /** One kept commit. {@code finished} is null for a run's middle (not a night). */
    public record Night(IndexCommit commit, long generation, String started, String finished) {
        public boolean isNight() {
            return finished != null;
        }

        /** The UTC day the night finished, "?" when its stamp does not parse. */
        public String day() {
            try {
                return Instant.parse(finished).atZone(ZoneOffset.UTC).toLocalDate().toString();
            } catch (DateTimeParseException | NullPointerException e) {
                return "?";
            }
        }
    }

    /** Every kept commit of the index, oldest first. */
    public static List<Night> list(Directory d) throws IOException {
        List<Night> out = new ArrayList<>();
        for (IndexCommit c : DirectoryReader.listCommits(d)) {
            Map<String, String> data = c.getUserData();
            out.add(new Night(c, c.getGeneration(), data.get(Schema.DATA_RUN_STARTED), data.get(Schema.DATA_RUN_FINISHED)));
        }
        out.sort(Comparator.comparingLong(Night::generation));
        return out;
    }

    /** The kept nights (finished runs), oldest first. */
    public static List<Night> nights(Directory d) throws IOException {
        return list(d).stream().filter(Night::isNight).toList();
    }

    /**
     * The commit {@code ref} names: the newest commit without a REF, else a kept night (or, for a
     * generation, any kept commit). A REF nothing matches is an IndexException that says what is kept.
     */
    public static IndexCommit resolve(Directory d, IndexRef ref) throws IOException, IndexException {
        List<Night> all = list(d);
        if (all.isEmpty()) {
            throw new IndexException(ref.dir() + ": no symdex index there");
        }
        if (ref.ref().isEmpty()) {
            return all.get(all.size() - 1).commit();
        }
        List<Night> nights = all.stream().filter(Night::isNight).toList();
        IndexRef.Ref r = ref.ref().get();
        if (r instanceof IndexRef.Generation g) {
            for (Night n : all) {
                if (n.generation() == g.generation()) {
                    return n.commit();
                }
            }
            throw new IndexException(ref + ": no kept commit of generation " + g.generation() + " (kept: "
                    + String.join(", ", all.stream().map(n -> Long.toString(n.generation())).toList()) + ")");
        }
        if (nights.isEmpty()) {
            throw new IndexException(ref + ": no night is kept (no run has finished)");
        }
        if (r instanceof IndexRef.Back b) {
            int i = nights.size() - 1 - b.nights();
            if (i < 0) {
                throw new IndexException(ref + ": only " + nights.size() + (nights.size() == 1 ? " night is" : " nights are")
                        + " kept (" + range(nights) + ")");
            }
            return nights.get(i).commit();
        }
        LocalDate day = ((IndexRef.OnOrBefore) r).day();
        Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Night found = null;
        for (Night n : nights) {
            try {
                if (Instant.parse(n.finished()).isBefore(end)) {
                    found = n;
                }
            } catch (DateTimeParseException e) {
                // a stamp that does not parse names no day
            }
        }
        if (found == null) {
            throw new IndexException(ref + ": no kept night on or before that day (kept: " + range(nights) + ")");
        }
        return found.commit();
    }

    /**
     * Whether {@code ref}, which names no kept night, names a time before the index's first night, so
     * there is nothing to compare with rather than a night --keep dropped (diff's "first night"):
     * {@code -N} with N or fewer nights ever, a day that ended before the index was created. A
     * generation is never before the first night: it names a commit, kept or not.
     *
     * @param newest the newest commit's user data (DATA_CREATED, DATA_NIGHTS)
     */
    public static boolean beforeFirstNight(IndexRef ref, Map<String, String> newest) {
        if (ref.ref().isEmpty()) {
            return false;
        }
        IndexRef.Ref r = ref.ref().get();
        if (r instanceof IndexRef.Back b) {
            try {
                return Long.parseLong(newest.getOrDefault(Schema.DATA_NIGHTS, "")) <= b.nights();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (r instanceof IndexRef.OnOrBefore d) {
            try {
                Instant created = Instant.parse(newest.getOrDefault(Schema.DATA_CREATED, ""));
                return !created.isBefore(d.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    private static String range(List<Night> nights) {
        String first = nights.get(0).day();
        String last = nights.get(nights.size() - 1).day();
        return first.equals(last) ? first : first + " .. " + last;
    }

    /**
     * Keeps the newest {@code keep} nights (finished commits) and the newest commit of all (a run's
     * middle, or the newest night); deletes the rest. With {@code dropExisting} (--rebuild), the
     * commits the index had when the writer opened are dropped at its first commit.
     */
    public static final class KeepPolicy extends IndexDeletionPolicy {
        private final int keep;
        private final boolean dropExisting;
        private long existingUpTo = -1;

        public KeepPolicy(int keep, boolean dropExisting) {
            if (keep < 1) {
                throw new IllegalArgumentException("keep must be at least 1, not " + keep);
            }
            this.keep = keep;
            this.dropExisting = dropExisting;
        }

        @Override
        public void onInit(List<? extends IndexCommit> commits) throws IOException {
            for (IndexCommit c : commits) {
                existingUpTo = Math.max(existingUpTo, c.getGeneration());
            }
            if (!dropExisting) {
                onCommit(commits);
            }
        }

        @Override
        public void onCommit(List<? extends IndexCommit> commits) throws IOException {
            if (commits.isEmpty()) {
                return;
            }
            IndexCommit newest = commits.get(commits.size() - 1);
            int nightsKept = 0;
            java.util.Set<String> finishedSeen = new java.util.HashSet<>();
            for (int i = commits.size() - 1; i >= 0; i--) {
                IndexCommit c = commits.get(i);
                String finished = c.getUserData().get(Schema.DATA_RUN_FINISHED);
                if (c == newest) {
                    if (finished != null) {
                        nightsKept++;
                        finishedSeen.add(finished);
                    }
                    continue; // Lucene needs the newest; it is tonight, or this run's middle
                }
                boolean old = dropExisting && c.getGeneration() <= existingUpTo;
                // --merge commits the run's stamp again: the unmerged commit before it is the same night.
                boolean sameNight = finished != null && !finishedSeen.add(finished);
                if (!old && finished != null && !sameNight && nightsKept < keep) {
                    nightsKept++;
                } else {
                    c.delete();
                }
            }
        }
    }
}
