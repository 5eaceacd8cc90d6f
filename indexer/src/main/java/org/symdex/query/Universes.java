package org.symdex.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which packages may satisfy which (releases issue, item 1): a requirement is satisfied only by
 * providers of its own <em>universe</em>. The rule, in one place:
 * <ul>
 * <li>Without {@code --label}, a label's universe is its ORIGIN and SUITE with a pocket suffix
 * ({@code -updates}, {@code -security}, {@code -backports}, {@code -proposed-updates}) removed, across
 * components and architectures: {@code Debian/bookworm-security/main/amd64} is judged with
 * {@code Debian/bookworm/contrib/i386}, never with {@code Debian/trixie/...}. A label of one or two
 * segments (rpm-md {@code ID/BASEARCH}, a walked package's {@code bookworm/main}) has its first segment,
 * pocket removed, as universe. Packages without a label form the universe {@code -}.</li>
 * <li>With {@code --label GLOB...}, the labels the globs match are one universe together (named by the
 * globs, joined by {@code ,}); {@code -} among them brings in the unlabeled packages.</li>
 * </ul>
 * A package listed by several suites (one pool) belongs to each of their universes, and is judged in
 * each.
 */
public final class Universes {
    /** The universe of packages without a label. */
    public static final String UNLABELED = "-";
    private static final List<String> POCKETS = List.of("-proposed-updates", "-updates", "-security", "-backports");

    private final Map<String, Set<String>> labelsByUniverse;
    private final boolean unlabeledIn;
    private final String single; // the --label universe's name, or null

    private Universes(Map<String, Set<String>> labelsByUniverse, boolean unlabeledIn, String single) {
        this.labelsByUniverse = labelsByUniverse;
        this.unlabeledIn = unlabeledIn;
        this.single = single;
    }

    /** The universe of one label, without --label. */
    public static String of(String label) {
        String[] seg = label.split("/", -1);
        if (seg.length <= 2) {
            return withoutPocket(seg[0]);
        }
        return seg[0] + "/" + withoutPocket(seg[1]);
    }

    static String withoutPocket(String suite) {
        for (String p : POCKETS) {
            if (suite.endsWith(p) && suite.length() > p.length()) {
                return suite.substring(0, suite.length() - p.length());
            }
        }
        return suite;
    }

    /**
     * The universes of an index whose labels are {@code labels} (and which has unlabeled packages when
     * {@code anyUnlabeled}); with {@code globs} (--label), the one universe they make.
     */
    public static Universes of(Collection<String> labels, boolean anyUnlabeled, List<Glob> globs) {
        Map<String, Set<String>> out = new TreeMap<>();
        if (!globs.isEmpty()) {
            Set<String> matched = new TreeSet<>();
            boolean unlabeled = false;
            for (Glob g : globs) {
                unlabeled |= g.text().equals(UNLABELED);
                for (String l : labels) {
                    if (g.matches(l)) {
                        matched.add(l);
                    }
                }
            }
            String name = String.join(",", globs.stream().map(Glob::text).toList());
            out.put(name, matched);
            return new Universes(out, unlabeled && anyUnlabeled, name);
        }
        for (String l : labels) {
            out.computeIfAbsent(of(l), k -> new TreeSet<>()).add(l);
        }
        return new Universes(out, anyUnlabeled, null);
    }

    /**
     * The universes of one or more indexes (a diff's two nights): their live labels, and whether any
     * package has none; with {@code globs} (--label), the one universe they make.
     */
    public static Universes of(List<org.apache.lucene.index.DirectoryReader> readers, List<Glob> globs)
            throws java.io.IOException {
        Set<String> labels = new TreeSet<>();
        boolean unlabeled = false;
        for (org.apache.lucene.index.DirectoryReader r : readers) {
            Universes u = BrokenQuery.universes(r, QueryFilter.NONE);
            u.labelsByUniverse.values().forEach(labels::addAll);
            unlabeled |= u.unlabeledIn;
        }
        return of(labels, unlabeled, globs);
    }

    /** Which packages belong to {@code universe}, by their labels. */
    public java.util.function.Predicate<List<String>> member(String universe) {
        return labels -> of(labels).contains(universe);
    }

    /** The universe names, sorted; {@code -} (unlabeled) last. */
    public List<String> names() {
        List<String> out = new ArrayList<>(labelsByUniverse.keySet());
        if (unlabeledIn && single == null) {
            out.add(UNLABELED);
        }
        return out;
    }

    /** The labels of a universe (empty for {@code -}). */
    public Set<String> labels(String universe) {
        return labelsByUniverse.getOrDefault(universe, Set.of());
    }

    /** Whether the universe holds the unlabeled packages. */
    public boolean holdsUnlabeled(String universe) {
        return unlabeledIn && (universe.equals(UNLABELED) || universe.equals(single));
    }

    /** The universes a package with these labels belongs to, sorted. */
    public Set<String> of(List<String> packageLabels) {
        Set<String> out = new LinkedHashSet<>();
        if (packageLabels.isEmpty()) {
            if (unlabeledIn) {
                out.add(single != null ? single : UNLABELED);
            }
            return out;
        }
        for (Map.Entry<String, Set<String>> e : labelsByUniverse.entrySet()) {
            if (packageLabels.stream().anyMatch(e.getValue()::contains)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Whether answers are judged in more than one universe (text then names each: "universe: U"). */
    public boolean several() {
        return names().size() > 1;
    }
}
