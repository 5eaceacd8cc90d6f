package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;

/**
 * {@code whatprovides --by-label} and {@code whatrequires --by-label} (releases issue, item 2): "which
 * releases provide GLIBC_2.38?" as one call. The hits of a lookup counted per label and matched
 * capability (distinct packages, distinct files), with a zero row for every label in scope that no hit
 * carries, so a release that lacks the capability is said, not left out.
 *
 * @param label a label, or {@code -} for packages without one
 * @param capability the matched capability, or for a zero row the argument as given
 * @param packages distinct packages carrying the label with a hit
 * @param files distinct files (or rpm headers) among them with a hit
 */
public record ByLabel(String label, String capability, long packages, long files) {
    public ByLabel {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(capability, "capability");
    }

    /**
     * The rows of one argument's hits: every (label, capability) pair the hits give, then a zero row
     * for each label of {@code scope} with none; sorted by label (bytewise), then capability.
     *
     * @param scope the labels to account for: the index's, or those --label selects ({@code -} included
     *     when unlabeled packages are)
     */
    public static List<ByLabel> of(String argument, List<CapabilityHit> hits, Collection<String> scope) {
        Map<String, Map<String, Set<String>>> pkgs = new TreeMap<>(ByLabel::bytewise);
        Map<String, Map<String, Set<String>>> files = new TreeMap<>(ByLabel::bytewise);
        for (CapabilityHit h : hits) {
            List<String> labels = h.pkg().labels().isEmpty() ? List.of(Universes.UNLABELED) : h.pkg().labels();
            for (String l : labels) {
                pkgs.computeIfAbsent(l, k -> new TreeMap<>(ByLabel::bytewise))
                        .computeIfAbsent(h.capability(), k -> new HashSet<>()).add(h.pkg().file());
                files.computeIfAbsent(l, k -> new TreeMap<>(ByLabel::bytewise))
                        .computeIfAbsent(h.capability(), k -> new HashSet<>()).add(h.pkg().file() + "\u0000" + h.pathOrDash());
            }
        }
        for (String l : scope) {
            pkgs.putIfAbsent(l, new LinkedHashMap<>());
        }
        List<ByLabel> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Set<String>>> e : pkgs.entrySet()) {
            if (e.getValue().isEmpty()) {
                out.add(new ByLabel(e.getKey(), argument, 0, 0));
                continue;
            }
            for (Map.Entry<String, Set<String>> c : e.getValue().entrySet()) {
                out.add(new ByLabel(e.getKey(), c.getKey(), c.getValue().size(),
                        files.get(e.getKey()).get(c.getKey()).size()));
            }
        }
        return out;
    }

    /** The labels of the index (live ones), with {@code -} when some package has none, filtered by --label. */
    public static List<String> scope(DirectoryReader reader, QueryFilter filter) throws IOException {
        Universes u = BrokenQuery.universes(reader, QueryFilter.NONE);
        List<String> out = new ArrayList<>();
        for (String name : u.names()) {
            if (name.equals(Universes.UNLABELED)) {
                continue;
            }
            out.addAll(u.labels(name));
        }
        out.sort(ByLabel::bytewise);
        if (u.names().contains(Universes.UNLABELED)) {
            out.add(Universes.UNLABELED);
        }
        if (filter.labels().isEmpty()) {
            return out;
        }
        return out.stream().filter(l -> filter.labels().stream().anyMatch(g -> l.equals(Universes.UNLABELED)
                ? g.text().equals(QueryFilter.UNLABELED) : g.matches(l))).toList();
    }

    static int bytewise(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
