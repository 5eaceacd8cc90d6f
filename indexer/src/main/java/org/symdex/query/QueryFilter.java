package org.symdex.query;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which packages a query may answer with: only those of architecture {@code arch} (when not null),
 * none whose source package is in {@code notSources} ({@code --not-source glibc} lists the importers
 * of GLIBC_PRIVATE outside glibc), and, when {@code labels} is not empty, only those with a label one
 * of its globs matches ({@code -} stands for a package without labels). Filters decide what is
 * reported, never what satisfies a requirement: {@code broken --arch i386} still counts an {@code all}
 * package's provides.
 */
public record QueryFilter(String arch, Set<String> notSources, List<Glob> labels) {
    public static final QueryFilter NONE = new QueryFilter(null, Set.of());
    /** The {@code --label} value that selects packages without any label. */
    public static final String UNLABELED = "-";

    public QueryFilter {
        notSources = java.util.Collections.unmodifiableSet(new TreeSet<>(notSources));
        labels = List.copyOf(labels);
    }

    public QueryFilter(String arch, Set<String> notSources) {
        this(arch, notSources, List.of());
    }

    public boolean accepts(IndexedPackage p) {
        return (arch == null || arch.equals(p.arch())) && !notSources.contains(p.source()) && labelled(p);
    }

    private boolean labelled(IndexedPackage p) {
        if (labels.isEmpty()) {
            return true;
        }
        for (Glob g : labels) {
            if (p.labels().isEmpty() ? g.text().equals(UNLABELED) : p.labels().stream().anyMatch(g::matches)) {
                return true;
            }
        }
        return false;
    }
}
