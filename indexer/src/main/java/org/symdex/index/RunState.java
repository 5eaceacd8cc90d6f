package org.symdex.index;

import java.util.Map;

/**
 * The state of the run that made a commit, read from the commit's user data. A run commits every N
 * packages without {@link Schema#DATA_RUN_FINISHED} and once more at its end with it, so a commit
 * without it is a run's middle: killed, interrupted, or failed before its end.
 *
 * @param startedAt ISO-8601 start of the run, null when unknown
 * @param finishedAt ISO-8601 end of the run, null when it did not finish
 * @param summary the finished run's summary line, null otherwise
 * @param done packages of the run committed (-1 when the commit predates the count)
 * @param total packages the run had to read (-1 when unknown)
 */
public record RunState(String startedAt, String finishedAt, String summary, long done, long total) {
    public static RunState of(Map<String, String> data) {
        return new RunState(data.get(Schema.DATA_RUN_STARTED), data.get(Schema.DATA_RUN_FINISHED),
                data.get(Schema.DATA_RUN_SUMMARY), number(data.get(Schema.DATA_RUN_DONE)),
                number(data.get(Schema.DATA_RUN_TOTAL)));
    }

    private static long number(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean finished() {
        return finishedAt != null;
    }

    /** {@code 3 of 30 packages committed}, or what is known of it. */
    public String progress() {
        if (done < 0) {
            return "part of it committed";
        }
        return done + " of " + (total < 0 ? "?" : Long.toString(total)) + " packages committed";
    }

    /**
     * What a reader of such a commit is told: a run holding the lock is in progress; otherwise the last
     * run did not finish.
     */
    public String describe(boolean inProgress) {
        return inProgress ? "a run is in progress (" + progress() + " so far)"
                : "the last run did not finish (" + progress() + ")";
    }
}
