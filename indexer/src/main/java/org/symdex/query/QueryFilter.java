package org.symdex.query;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which packages a query may answer with: only those of architecture {@code arch} (when not null),
 * and none whose source package is in {@code notSources} ({@code --not-source glibc} lists the
 * importers of GLIBC_PRIVATE outside glibc). Filters decide what is reported, never what satisfies a
 * requirement: {@code broken --arch i386} still counts an {@code all} package's provides.
 */
public record QueryFilter(String arch, Set<String> notSources) {
    public static final QueryFilter NONE = new QueryFilter(null, Set.of());

    public QueryFilter {
        notSources = java.util.Collections.unmodifiableSet(new TreeSet<>(notSources));
    }

    public boolean accepts(IndexedPackage p) {
        return (arch == null || arch.equals(p.arch())) && !notSources.contains(p.source());
    }
}
