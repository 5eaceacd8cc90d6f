package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.search.IndexSearcher;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;

/**
 * whatrequires --of-package PKG (issue 16, item 4): who uses a package, i.e. who requires anything it
 * provides, in a scope that meets (cap.Satisfaction), with the package's own files left out. Its provides
 * are read as the recursive walk reads a level's ({@link RequirerWalk#scopedProvides}: ELF provides, the
 * loader's rtld(GNU_HASH), an rpm header's provide names), and their requirers looked up one seek each.
 */
final class PackageUse {
    private final IndexSnapshot snapshot;
    private final IndexSearcher searcher;

    PackageUse(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.searcher = searcher;
    }

    /** The requirers of what {@code packages} provide, in tsv order; the hit's capability is the one required. */
    List<CapabilityHit> users(List<IndexedPackage> packages, QueryFilter filter) throws IndexException {
        RequirerWalk walk = new RequirerWalk(snapshot, searcher);
        Set<String> own = new HashSet<>();
        Map<String, Set<String>> provided = new TreeMap<>();
        try {
            for (IndexedPackage p : packages) {
                own.add(p.file());
                walk.scopedProvides(p.file()).forEach((scope, caps) ->
                        provided.computeIfAbsent(scope, k -> new java.util.TreeSet<>()).addAll(caps));
            }
            List<CapabilityHit> out = new ArrayList<>();
            for (CapabilityHit h : walk.requirersOf(provided, filter)) {
                if (!own.contains(h.pkg().file())) {
                    out.add(h);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
    }
}
