package org.symdex.batch;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a run did. Counts are packages unless named otherwise.
 *
 * @param added packages indexed that were not in the index (or only as a failure)
 * @param skipped unchanged packages, not read
 * @param replaced changed packages read again and replaced
 * @param removed packages deleted by --prune
 * @param relabelled unchanged packages given another label, rewritten without being read
 * @param moved packages found under a new path with the checksum of one gone from its old path: moved
 * @param failed packages (or command-line paths) that could not be read, in path order
 * @param elfFiles ELF file documents written
 * @param capabilities provides and requires written (ELF and declared)
 * @param bytesRead bytes of package files read
 * @param nanos wall time of the run
 * @param total packages the run had to read (not counting those skipped as unchanged)
 * @param committed packages of the run the index holds now (all of them unless interrupted)
 * @param interrupted the run was asked to stop (SIGINT, SIGTERM) and committed what it had read, unfinished
 * @param pruneRefusals one line per root where --prune refused to remove packages
 * @param indexWritten false when the run made no index (every root missing or empty, and none before)
 * @param internalErrors our bugs met on single packages (each also a failure, so the run went on),
 *     with their stack traces
 * @param sources each source of the run: what it listed, and what became of it
 * @param sourceFailures one line per source that could not be read ({@code WHERE: reason})
 */
public record RunReport(int added, int skipped, int replaced, int removed, int relabelled, int moved,
                        List<Failure> failed, long elfFiles,
                        long capabilities, long bytesRead, long nanos, int total, int committed, boolean interrupted,
                        List<String> pruneRefusals, boolean indexWritten, List<Throwable> internalErrors,
                        List<SourceResult> sources, List<String> sourceFailures) {

    /** A package that could not be read, as recorded in the index. */
    public record Failure(String packageFile, String message) {
        public Failure {
            Objects.requireNonNull(packageFile, "packageFile");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * One source of the run.
     *
     * @param status {@code ok}, {@code unchanged} (skipped whole), {@code failed: REASON},
     *     {@code N package failures}, {@code prune refused}
     * @param summary the line the run prints for it
     */
    public record SourceResult(String line, List<String> labels, String status, int listed, int read, int unchanged,
                               int relabelled, int pruned, int failed, String summary) {
        public SourceResult {
            labels = List.copyOf(labels);
        }
    }

    public RunReport {
        failed = List.copyOf(failed);
        pruneRefusals = List.copyOf(pruneRefusals);
        internalErrors = List.copyOf(internalErrors);
        sources = List.copyOf(sources);
        sourceFailures = List.copyOf(sourceFailures);
    }

    /** A run that wrote nothing: no index existed and no root held a package. */
    static RunReport nothingWritten(List<Failure> failed, long nanos) {
        return nothingWritten(failed, List.of(), nanos);
    }

    /** A run that wrote nothing, with the sources that could not be read. */
    static RunReport nothingWritten(List<Failure> failed, List<String> sourceFailures, long nanos) {
        return new RunReport(0, 0, 0, 0, 0, 0, failed, 0, 0, 0, nanos, 0, 0, false, List.of(), false, List.of(),
                List.of(), sourceFailures);
    }

    public double seconds() {
        return nanos / 1e9;
    }

    public double megabytesRead() {
        return bytesRead / 1e6;
    }

    /** The one summary line of issue 4, item 4. */
    public String summary() {
        double s = seconds();
        return String.format(Locale.ROOT,
                "added %d, skipped %d, replaced %d, removed %d, relabelled %d, moved %d, failed %d%s; %d ELF files, "
                        + "%d capabilities; %.1f MB read in %.1f s (%.1f MB/s)",
                added, skipped, replaced, removed, relabelled, moved, failed.size(), kindsText(), elfFiles, capabilities,
                megabytesRead(), s,
                s > 0 ? megabytesRead() / s : 0.0);
    }

    /**
     * The failures counted by kind, most frequent first: {@code SHA256 mismatch 2, short read 1}. A kind
     * is the reason without its particulars: the text before the first " (" or ": ".
     */
    public java.util.Map<String, Integer> failureKinds() {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (Failure f : failed) {
            counts.merge(kind(f.message()), 1, Integer::sum);
        }
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(java.util.Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static String kind(String message) {
        String m = message;
        int cut = m.length();
        for (String sep : new String[] {" (", ": "}) {
            int i = m.indexOf(sep);
            if (i > 0 && i < cut) {
                cut = i;
            }
        }
        return m.substring(0, cut);
    }

    /** {@code " (2 SHA256 mismatch, 1 short read)"}, or "" without failures. */
    private String kindsText() {
        if (failed.isEmpty()) {
            return "";
        }
        java.util.StringJoiner j = new java.util.StringJoiner(", ", " (", ")");
        failureKinds().forEach((k, n) -> j.add(n + " " + k));
        return j.toString();
    }
}
