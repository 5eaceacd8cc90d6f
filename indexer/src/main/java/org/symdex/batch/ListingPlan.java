package org.symdex.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.symdex.index.PackageStamp;
import org.symdex.source.Checksum;
import org.symdex.source.ListedPackage;

/**
 * What the sources listed this run mean for the index (repository issue, items 3, 5 and 6), decided
 * before anything is read:
 * <ul>
 * <li>a package is known by its checksum: one already indexed is not read again, under whatever URI; if
 * only its labels or locations changed, its documents are rewritten from their stored fields;</li>
 * <li>labels follow the current listings: a package carries the labels of every source that lists it,
 * and keeps those of sources not listed this run (unchanged, unreadable, not given);</li>
 * <li>a package several sources or positions list is read once, keyed by its first location in bytewise
 * order, with every location kept;</li>
 * <li>a listed package left with no label is removed with {@code --prune} (and relabelled to none
 * without it), unless that would remove more than {@code --max-prune} percent of a source's packages;
 * a failure record left with no label is dropped.</li>
 * </ul>
 */
final class ListingPlan {
    /** A package to read: the location it is read from, its stamp, and the sources that list it. */
    record Read(ListedPackage pkg, PackageStamp stamp, boolean retry, boolean replace, List<SourceSet.Source> sources) {
    }

    /**
     * A package whose documents are rewritten from stored fields: {@code from} is where they are now
     * (the stamp's key, or another: a new first location, or a walked copy of the same bytes when
     * {@code keepFrom}).
     */
    record Rewrite(String from, PackageStamp stamp, boolean keepFrom) {
    }

    /** A failure record whose labels changed: written again with the same message. */
    record FailureRewrite(PackageStamp stamp, String message) {
    }

    final List<Read> reads = new ArrayList<>();
    final List<Rewrite> rewrites = new ArrayList<>();
    final List<FailureRewrite> failureRewrites = new ArrayList<>();
    /** Package keys --prune removes (listed packages left with no label): applied in the final commit. */
    final List<String> prunes = new ArrayList<>();
    /** Failure records of packages no longer listed: dropped with the first write. */
    final List<String> dropFailures = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    int unchanged;
    long bytesToRead;

    private record Key(Checksum checksum, long size) {
    }

    /** One package as all listings together give it. */
    private static final class Entry {
        final Map<String, ListedPackage> byLocation = new HashMap<>();
        final TreeSet<String> locations = new TreeSet<>(ListingPlan::bytewise);
        final Set<String> labels = new LinkedHashSet<>();
        final Set<SourceSet.Source> sources = new LinkedHashSet<>();
    }

    /**
     * @param listed the sources listed this run
     * @param owned the labels whose packages this run decides (every given source's, SourceSet)
     * @param existing what the index holds, by key
     */
    static ListingPlan of(List<SourceSet.Source> listed, Set<String> owned, Map<String, Indexed> existing,
                          boolean prune, double maxPrunePercent, boolean forcePrune) {
        return of(listed, owned, existing, prune, maxPrunePercent, forcePrune, Map.of());
    }

    /**
     * @param baseOfLabel the base URI of each label's source (SourceSet.baseOfLabel): an old location is
     *     kept only while a label it keeps belongs to a source under which it lies
     */
    static ListingPlan of(List<SourceSet.Source> listed, Set<String> owned, Map<String, Indexed> existing,
                          boolean prune, double maxPrunePercent, boolean forcePrune, Map<String, String> baseOfLabel) {
        ListingPlan plan = new ListingPlan();
        Map<Key, Entry> entries = new LinkedHashMap<>();
        for (SourceSet.Source s : listed) {
            for (ListedPackage p : s.listing.packages()) {
                Entry e = entries.computeIfAbsent(new Key(p.checksum(), p.size()), k -> new Entry());
                String uri = p.uri().toString();
                e.byLocation.putIfAbsent(uri, p);
                e.locations.add(uri);
                e.labels.addAll(p.labels());
                e.sources.add(s);
                s.listed++;
            }
        }
        // What is indexed, by content: a listed copy first, else a walked one.
        Map<String, Indexed> bySha = new HashMap<>();
        Map<String, Indexed> byChecksum = new HashMap<>();
        for (Indexed x : existing.values()) {
            if (x.failure() || x.sha256() == null) {
                continue;
            }
            bySha.merge(x.sha256(), x, (a, b) -> preferred(a, b));
            if (!x.checksum().isEmpty()) {
                byChecksum.merge(x.checksum(), x, (a, b) -> preferred(a, b));
            }
        }
        Set<String> claimed = new HashSet<>();
        for (Entry e : entries.values()) {
            String key = e.locations.first();
            ListedPackage p = e.byLocation.get(key);
            Indexed same = p.checksum().isSha256() ? bySha.get(p.checksum().hex()) : byChecksum.get(p.checksum().toString());
            Indexed atKey = existing.get(key);
            Set<String> labels = new TreeSet<>(e.labels);
            List<String> keptLabels = new ArrayList<>();
            for (Indexed x : new Indexed[] {same != null && same.listed() ? same : null, atKey}) {
                if (x != null) {
                    x.labels().stream().filter(l -> !owned.contains(l)).forEach(keptLabels::add);
                    // Locations of sources not listed now stay while their labels do.
                    e.locations.addAll(keptLocations(x.locations(), keptLabels, baseOfLabel));
                }
            }
            labels.addAll(keptLabels);
            claimed.add(key); // the listed first location: whatever is indexed there is decided here
            key = e.locations.first();
            PackageStamp stamp = new PackageStamp(key, p.size(), 0, List.copyOf(labels), List.copyOf(e.locations),
                    p.checksum().isSha256() ? "" : p.checksum().toString());
            if (same != null) {
                claimed.add(same.key());
                claimed.add(key);
                if (same.listed() && same.key().equals(key) && same.labels().equals(stamp.labels())
                        && same.locations().equals(stamp.locations())) {
                    plan.unchanged++;
                    e.sources.forEach(s -> s.unchanged++);
                } else {
                    plan.rewrites.add(new Rewrite(same.key(), stamp, !same.listed()));
                    e.sources.forEach(s -> s.relabelled++);
                }
                continue;
            }
            claimed.add(key);
            plan.reads.add(new Read(p, stamp, atKey != null && atKey.failure(), atKey != null && !atKey.failure(),
                    List.copyOf(e.sources)));
            plan.bytesToRead += p.size();
            e.sources.forEach(s -> s.read++);
        }
        // Indexed listed packages no listing claimed: they lose the labels of the sources listed now.
        Map<SourceSet.Source, List<String>> goneBySource = new LinkedHashMap<>();
        Map<SourceSet.Source, Integer> before = new HashMap<>();
        List<Indexed> labelless = new ArrayList<>();
        for (Indexed x : existing.values()) {
            if (!x.listed()) {
                continue;
            }
            for (SourceSet.Source s : listed) {
                if (!x.failure() && x.labels().stream().anyMatch(s.owned::contains)) {
                    before.merge(s, 1, Integer::sum);
                }
            }
            if (claimed.contains(x.key())) {
                continue;
            }
            for (SourceSet.Source s : listed) {
                if (!x.failure() && x.labels().stream().anyMatch(s.owned::contains)) {
                    s.gone++;
                }
            }
            List<String> kept = x.labels().stream().filter(l -> !owned.contains(l)).toList();
            if (kept.equals(x.labels()) && !(kept.isEmpty() && prune)) {
                continue;
            }
            List<String> locations = kept.isEmpty() ? x.locations() : keptLocations(x.locations(), kept, baseOfLabel);
            if (locations.isEmpty()) {
                locations = x.locations();
            }
            String newKey = locations.get(0);
            PackageStamp stamp = new PackageStamp(newKey, x.size(), x.mtime(), kept, locations, x.checksum());
            if (x.failure()) {
                if (kept.isEmpty()) {
                    plan.dropFailures.add(x.key());
                } else {
                    plan.failureRewrites.add(new FailureRewrite(stamp, x.message()));
                }
            } else if (!kept.isEmpty() || !prune) {
                plan.rewrites.add(new Rewrite(x.key(), stamp, false)); // under its new first location, if it moved
            } else {
                labelless.add(x);
                for (SourceSet.Source s : listed) {
                    if (x.labels().stream().anyMatch(s.owned::contains)) {
                        goneBySource.computeIfAbsent(s, k -> new ArrayList<>()).add(x.key());
                    }
                }
            }
        }
        // --max-prune per source: a source whose listing would take too many packages away prunes none.
        Set<String> refused = new HashSet<>();
        for (Map.Entry<SourceSet.Source, List<String>> g : goneBySource.entrySet()) {
            SourceSet.Source s = g.getKey();
            int gone = g.getValue().size();
            int was = before.getOrDefault(s, 0);
            double percent = was == 0 ? 0 : 100.0 * gone / was;
            if (gone > IndexRun.PRUNE_GUARD_MIN && percent > maxPrunePercent && !forcePrune) {
                s.pruneRefusal = String.format(Locale.ROOT, "--prune would remove %d of its %d indexed packages "
                        + "(%.0f%% > --max-prune %s); nothing removed for it (--force-prune to allow)",
                        gone, was, percent, IndexRun.percentText(maxPrunePercent));
                plan.refusals.add(s.spec.line() + ": " + s.pruneRefusal);
                refused.addAll(g.getValue());
            }
        }
        for (Indexed x : labelless) {
            if (refused.contains(x.key())) {
                continue; // kept with its old labels, as if its sources still listed it
            }
            plan.prunes.add(x.key());
            for (SourceSet.Source s : listed) {
                if (x.labels().stream().anyMatch(s.owned::contains)) {
                    s.pruned++;
                }
            }
        }
        return plan;
    }

    /**
     * The locations a package keeps for the labels it keeps: those under the base URI of a kept label's
     * source, and all of them when a kept label's source is not known (nothing is dropped on a guess).
     */
    private static List<String> keptLocations(List<String> locations, List<String> kept, Map<String, String> baseOfLabel) {
        Set<String> bases = new HashSet<>();
        for (String l : kept) {
            String b = baseOfLabel.get(l);
            if (b == null) {
                return locations;
            }
            bases.add(b);
        }
        List<String> out = new ArrayList<>();
        for (String loc : locations) {
            if (bases.stream().anyMatch(loc::startsWith)) {
                out.add(loc);
            }
        }
        return out;
    }

    /** Of two indexed copies of the same bytes, the listed one (it is what a listing rewrites). */
    private static Indexed preferred(Indexed a, Indexed b) {
        if (a.listed() != b.listed()) {
            return a.listed() ? a : b;
        }
        return bytewise(a.key(), b.key()) <= 0 ? a : b;
    }

    static int bytewise(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static Set<String> union(Collection<SourceSet.Source> sources) {
        Set<String> out = new HashSet<>();
        sources.forEach(s -> out.addAll(s.owned));
        return out;
    }
}
