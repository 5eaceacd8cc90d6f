package org.symdex.batch;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.symdex.index.SourceRecord;
import org.symdex.source.Catalog;
import org.symdex.source.SourceException;
import org.symdex.source.SourceHead;
import org.symdex.source.SourceListing;
import org.symdex.source.SourceReader;
import org.symdex.source.SourceSpec;

/**
 * The sources of one run (repository issue, items 1, 3 and 6): each opened (its top metadata read and
 * checked), then skipped whole when its skip key equals the one recorded by the last run that read it
 * without failures, else listed. A source whose metadata cannot be read contributes nothing this run and
 * loses nothing: its packages keep their labels and nothing is pruned for it. What the run records of
 * every source ({@link SourceRecord}) is made here too.
 */
final class SourceSet {
    /** One source of the run. */
    static final class Source {
        final SourceSpec spec;
        /** Null when its metadata could not be read. */
        SourceHead head;
        /** Null when skipped as unchanged, or failed. */
        SourceListing listing;
        /** What the last run recorded of it (by id), or null. */
        SourceRecord previous;
        /** One line (WHERE: reason) when its metadata or listing could not be read. */
        String failure;
        /** The skip line when its Release is older than the one indexed (MirrorSkew): read nothing, decide nothing. */
        String older;
        /** Labels whose packages this run decides: its own, and those of the records it supersedes. */
        final Set<String> owned = new LinkedHashSet<>();
        int listed;
        int read;
        int unchanged;
        int relabelled;
        int pruned;
        int failed;
        /** Indexed packages it listed before and lists no more. */
        int gone;
        String pruneRefusal;

        Source(SourceSpec spec) {
            this.spec = spec;
        }

        String id() {
            return spec.canonical();
        }

        boolean skipped() {
            return head != null && listing == null && failure == null && older == null;
        }

        /** The line the run's summary gives it. */
        String summary() {
            String what = spec.line() + ": ";
            if (older != null) {
                return older;
            }
            if (failure != null) {
                return what + "not read (" + failure + "); its packages kept as they were";
            }
            if (skipped()) {
                return what + "unchanged since the last run (" + (previous == null ? 0 : previous.packages())
                        + " packages), not listed again";
            }
            return what + listed + " packages listed: " + read + " read, " + unchanged + " already indexed, "
                    + relabelled + " relabelled, " + gone + " no longer listed (" + pruned + " pruned), " + failed + " failed"
                    + (pruneRefusal == null ? "" : "; " + pruneRefusal);
        }

        /** What the run's report says of it. */
        RunReport.SourceResult result() {
            SourceRecord r = record();
            String status = older != null ? "older" : skipped() ? "unchanged" : r.status();
            return new RunReport.SourceResult(spec.line(), r.labels(), status, skipped() ? (int) r.packages() : listed,
                    read, unchanged, relabelled, pruned, failed, summary());
        }

        /** What the run records of it. */
        SourceRecord record() {
            if (older != null) {
                return previous; // as indexed: the next run compares with the same date
            }
            if (head == null) {
                // Metadata unreadable: keep what was known (its labels still own its packages), marked so
                // the next run reads it.
                SourceRecord p = previous;
                return new SourceRecord(spec.line(), id(), p == null ? List.of() : p.labels(),
                        p == null ? "" : p.metadataUri(), p == null ? "" : p.metadataSha256(), "",
                        p == null ? "" : p.date(), "failed: " + failure, p == null ? 0 : p.packages(), spec.uri().toString());
            }
            String date = head.releaseDate().orElse("");
            if (skipped()) {
                return new SourceRecord(spec.line(), id(), head.labels(), head.metadataUri().toString(),
                        head.metadataSha256(), head.skipKey(), date, SourceRecord.OK, previous.packages(),
                        spec.uri().toString());
            }
            String status = failure != null ? "failed: " + failure
                    : failed > 0 ? failed + (failed == 1 ? " package failure" : " package failures")
                    : pruneRefusal != null ? "prune refused" : SourceRecord.OK;
            return new SourceRecord(spec.line(), id(), head.labels(), head.metadataUri().toString(),
                    head.metadataSha256(), failure != null ? "" : head.skipKey(), date, status, listed,
                    spec.uri().toString());
        }
    }

    private final List<Source> sources;
    /** Records of the last runs that this run leaves as they were (sources not given now). */
    private final List<SourceRecord> untouched;

    private SourceSet(List<Source> sources, List<SourceRecord> untouched) {
        this.sources = List.copyOf(sources);
        this.untouched = List.copyOf(untouched);
    }

    static SourceSet none() {
        return new SourceSet(List.of(), List.of());
    }

    /**
     * Opens every source, refuses two with one label, and lists those that changed.
     *
     * @param previous what the last run recorded (empty with --rebuild)
     * @throws SourceException (USAGE) for a source that cannot be read as given, or two sources sharing a label
     */
    static SourceSet open(List<SourceSpec> specs, SourceReader reader, List<SourceRecord> previous,
                          RunListener listener) throws SourceException {
        return open(specs, reader, previous, listener, false);
    }

    /** @param allowOlder read a source whose Release is older than the indexed one (--allow-older) */
    static SourceSet open(List<SourceSpec> specs, SourceReader reader, List<SourceRecord> previous,
                          RunListener listener, boolean allowOlder) throws SourceException {
        List<Source> out = new ArrayList<>();
        List<SourceHead> heads = new ArrayList<>();
        for (SourceSpec spec : specs) {
            Source s = new Source(spec);
            for (SourceRecord r : previous) {
                if (r.id().equals(s.id())) {
                    s.previous = r;
                }
            }
            try {
                s.head = reader.open(spec);
                heads.add(s.head);
                s.head.notes().forEach(listener::note);
            } catch (SourceException e) {
                if (e.kind() == SourceException.Kind.USAGE) {
                    throw e;
                }
                s.failure = e.getMessage();
            }
            out.add(s);
        }
        Catalog.checkLabels(heads);
        // A source owns its labels, and supersedes every recorded source it shares one with (the same
        // suite read with another architecture list is another id, not a second owner).
        List<SourceRecord> untouched = new ArrayList<>(previous);
        // A lagging mirror (a Release older than the one indexed) is skipped whole, deciding nothing: it
        // must not prune tonight what returns tomorrow.
        for (Source s : out) {
            if (s.head != null && s.previous != null) {
                java.util.Optional<String> skip = org.symdex.source.MirrorSkew.check(s.head,
                        java.util.Optional.of(s.previous.date()).filter(d -> !d.isEmpty()), allowOlder);
                if (skip.isPresent()) {
                    s.older = skip.get();
                    listener.warning(s.older);
                }
            }
        }
        for (Source s : out) {
            if (s.older != null) {
                untouched.remove(s.previous);
                continue; // owns nothing this run: its packages keep their labels
            }
            List<String> labels = s.head != null ? s.head.labels() : s.previous != null ? s.previous.labels() : List.of();
            s.owned.addAll(labels);
            for (SourceRecord r : previous) {
                if (r.id().equals(s.id()) || r.labels().stream().anyMatch(labels::contains)) {
                    untouched.remove(r);
                    if (s.head != null) {
                        s.owned.addAll(r.labels());
                    }
                }
            }
        }
        for (Source s : out) {
            if (s.older != null) {
                continue;
            }
            if (s.head == null) {
                listener.sourceFailed(s.failure);
                continue;
            }
            SourceRecord p = s.previous;
            if (p != null && p.ok() && p.skipKey().equals(s.head.skipKey())) {
                continue; // unchanged: not listed again
            }
            try {
                s.listing = reader.list(s.head);
                s.listing.notes().forEach(listener::note);
            } catch (SourceException e) {
                if (e.kind() == SourceException.Kind.USAGE) {
                    throw e;
                }
                s.failure = e.getMessage();
                listener.sourceFailed(s.failure);
            }
        }
        return new SourceSet(out, untouched);
    }

    List<Source> sources() {
        return sources;
    }

    /**
     * The base URI of the source each label belongs to (given now, or recorded and left untouched), so
     * that a package's locations can follow its labels; a label of a record without one is absent.
     */
    java.util.Map<String, String> baseOfLabel() {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (SourceRecord r : untouched) {
            if (!r.uri().isEmpty()) {
                r.labels().forEach(l -> out.put(l, r.uri()));
            }
        }
        for (Source s : sources) {
            s.owned.forEach(l -> out.put(l, s.spec.uri().toString()));
        }
        return out;
    }

    /** The sources listed this run: their packages are decided (ListingPlan). */
    List<Source> listed() {
        return sources.stream().filter(s -> s.listing != null).toList();
    }

    /** Sources whose metadata or listing could not be read. */
    List<Source> failed() {
        return sources.stream().filter(s -> s.failure != null).toList();
    }

    /** The commit entry: this run's sources, then the records it left untouched. */
    List<SourceRecord> records() {
        List<SourceRecord> out = new ArrayList<>();
        for (Source s : sources) {
            out.add(s.record());
        }
        out.addAll(untouched);
        return out;
    }

    boolean isEmpty() {
        return sources.isEmpty();
    }
}
