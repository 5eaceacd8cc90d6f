package org.symdex.source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Collects listed packages, one per checksum and size, merging the labels of every listing that
 * names the same bytes (one pool for several suites; {@code Architecture: all} in every
 * binary-ARCH). Two listings with one checksum but different sizes stay apart: one of them is
 * wrong, and reading both lets verification say which.
 *
 * <p>Label lists and the few distinct strings (architectures, sections) are shared, so that a
 * 63,440-package listing costs a few hundred bytes per package.
 */
final class PackageCollector {
    private record Key(Checksum checksum, long size) {
    }

    private final Map<Key, ListedPackage> byKey = new LinkedHashMap<>();
    private final Map<List<String>, List<String>> labelLists = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();
    private final int limit;
    private String where = "";

    /** @param limit the most distinct packages accepted ({@link SourceReader#MAX_PACKAGES_PER_SOURCE}) */
    PackageCollector(int limit) {
        this.limit = limit;
    }

    /** The index file being read, for the message when the limit is passed. */
    void readingFrom(String uri) {
        this.where = uri;
    }

    /** The shared instance of a string from a small set (arch, section). */
    String intern(String s) {
        String t = strings.putIfAbsent(s, s);
        return t == null ? s : t;
    }

    /** The shared instance of a sorted label list. */
    List<String> labels(List<String> sorted) {
        List<String> l = List.copyOf(sorted);
        List<String> t = labelLists.putIfAbsent(l, l);
        return t == null ? l : t;
    }

    /**
     * Adds {@code p}, or adds its labels to the package already collected with its checksum and
     * size. Callers build {@code p} with a list from {@link #labels}, so that it is shared.
     */
    void add(ListedPackage p) throws SourceException {
        Key k = new Key(p.checksum(), p.size());
        ListedPackage old = byKey.putIfAbsent(k, p);
        if (old == null) {
            if (byKey.size() > limit) {
                byKey.remove(k);
                throw new SourceException(SourceException.Kind.SOURCE, where, "lists more than " + limit
                        + " packages; refused (SourceReader.MAX_PACKAGES_PER_SOURCE)");
            }
            return;
        }
        if (old.labels().containsAll(p.labels())) {
            return;
        }
        TreeSet<String> union = new TreeSet<>(old.labels());
        union.addAll(p.labels());
        byKey.put(k, old.withLabels(labels(new ArrayList<>(union))));
    }

    List<ListedPackage> packages() {
        return List.copyOf(byKey.values());
    }
}
