package org.symdex.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The merged view of several sources: every listed package once (by checksum and size), carrying
 * the labels of every source that lists it, with each source's own listing kept beside it
 * (membership per source, issue item 3). Labels are unique per source, so a label names its source
 * ({@link #sourceOf}).
 */
public final class Catalog {
    private final List<SourceListing> listings;
    private final List<ListedPackage> packages;
    private final Map<String, SourceListing> byLabel;

    private Catalog(List<SourceListing> listings, List<ListedPackage> packages, Map<String, SourceListing> byLabel) {
        this.listings = List.copyOf(listings);
        this.packages = List.copyOf(packages);
        this.byLabel = Map.copyOf(byLabel);
    }

    /**
     * Refuses two sources that yield one label: the index could not tell their packages apart,
     * and re-reading one would drop the other's. Call it on the heads, before any package list
     * is read.
     *
     * @throws SourceException (USAGE) naming the label and both sources
     */
    public static void checkLabels(List<SourceHead> heads) throws SourceException {
        Map<String, SourceSpec> seen = new HashMap<>();
        for (SourceHead h : heads) {
            check(seen, h.spec(), h.labels());
        }
    }

    /**
     * Merges listings. Label clashes are checked again, so a caller that skipped
     * {@link #checkLabels} still cannot mix two sources' packages.
     *
     * @throws SourceException (USAGE) when two listings share a label
     */
    public static Catalog of(List<SourceListing> listings) throws SourceException {
        Map<String, SourceSpec> seen = new HashMap<>();
        Map<String, SourceListing> byLabel = new HashMap<>();
        // Merged across sources: the per-source cap times the number of sources.
        PackageCollector all = new PackageCollector(Integer.MAX_VALUE);
        for (SourceListing l : listings) {
            check(seen, l.spec(), l.labels());
            for (String label : l.labels()) {
                byLabel.put(label, l);
            }
            for (ListedPackage p : l.packages()) {
                all.add(p.withLabels(all.labels(p.labels())));
            }
        }
        return new Catalog(listings, all.packages(), byLabel);
    }

    private static void check(Map<String, SourceSpec> seen, SourceSpec spec, List<String> labels)
            throws SourceException {
        for (String label : labels) {
            SourceSpec other = seen.putIfAbsent(label, spec);
            if (other != null && other != spec) {
                throw new SourceException(SourceException.Kind.USAGE, spec.origin(), "label " + label
                        + " is given by two sources: '" + other.line() + "' (" + other.origin() + ") and '"
                        + spec.line() + "'");
            }
        }
    }

    /** Each source's listing, in the order given. */
    public List<SourceListing> listings() {
        return listings;
    }

    /** Every package once, with the labels of all sources that list it, in first-listed order. */
    public List<ListedPackage> packages() {
        return packages;
    }

    /** The listing that yields {@code label}, or null. */
    public SourceListing sourceOf(String label) {
        return byLabel.get(Objects.requireNonNull(label, "label"));
    }

    /** The listings that list {@code p} (by its labels), in the order given. */
    public List<SourceListing> sourcesOf(ListedPackage p) {
        List<SourceListing> out = new ArrayList<>();
        for (SourceListing l : listings) {
            for (String label : p.labels()) {
                if (byLabel.get(label) == l) {
                    out.add(l);
                    break;
                }
            }
        }
        return out;
    }
}
