package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.symdex.cap.Satisfaction;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/** whatrequires --recursive: the reverse-dependency tree, breadth first, each package once. */
final class RequirerWalk {
    private final IndexSnapshot snapshot;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    RequirerWalk(IndexSnapshot snapshot, IndexSearcher searcher) {
        this.snapshot = snapshot;
        this.reader = snapshot.reader();
        this.searcher = searcher;
    }

    /**
     * Who requires {@code pattern}, then who requires what those packages provide, and so on, breadth
     * first, each package once. A provide of scope S is looked up among the requirements of S (an
     * rpm {@code noarch} package's declared provides, scope {@code any}, among every scope's).
     * Packages the filter rejects are neither shown nor followed.
     */
    RequirerTree whoRequiresRecursive(CapabilityPattern pattern, QueryFilter filter) throws IndexException {
        try {
            Map<String, Builder> nodes = new HashMap<>();
            Map<String, Builder> level = new TreeMap<>();
            for (CapabilityHit h : new CapabilityLookup(snapshot, searcher).matching(Schema.REQ, pattern, filter)) {
                level.computeIfAbsent(h.pkg().file(), k -> new Builder(h.pkg(), 1)).via.add(h);
            }
            List<Builder> roots = sorted(level.values());
            roots.forEach(b -> nodes.put(b.pkg.file(), b));
            List<Builder> frontier = roots;
            int depth = roots.isEmpty() ? 0 : 1;
            while (!frontier.isEmpty()) {
                // (scope, capability) → the frontier packages providing it, in package order.
                Map<String, Map<String, List<Builder>>> provided = new TreeMap<>();
                for (Builder b : frontier) {
                    for (Map.Entry<String, Set<String>> e : scopedProvides(b.pkg.file()).entrySet()) {
                        Map<String, List<Builder>> caps = provided.computeIfAbsent(e.getKey(), k -> new TreeMap<>());
                        for (String c : e.getValue()) {
                            caps.computeIfAbsent(c, k -> new ArrayList<>()).add(b);
                        }
                    }
                }
                Map<String, Set<String>> wanted = new TreeMap<>();
                provided.forEach((scope, caps) -> wanted.put(scope, caps.keySet()));
                // child package file → parent → the child's requirements that parent provides
                Map<String, TreeMap<Builder, List<CapabilityHit>>> found = new TreeMap<>();
                Map<String, IndexedPackage> childPkgs = new HashMap<>();
                for (CapabilityHit h : requirersOf(wanted, filter)) {
                    if (nodes.containsKey(h.pkg().file())) {
                        continue; // already in the tree, at this level or above
                    }
                    childPkgs.putIfAbsent(h.pkg().file(), h.pkg());
                    TreeMap<Builder, List<CapabilityHit>> byParent = found.computeIfAbsent(h.pkg().file(),
                            k -> new TreeMap<>((a, b) -> IndexedPackage.ORDER.compare(a.pkg, b.pkg)));
                    for (Map.Entry<String, Map<String, List<Builder>>> e : provided.entrySet()) {
                        boolean scopeMatches = Satisfaction.satisfies(e.getKey(), h.scope());
                        List<Builder> parents = scopeMatches ? e.getValue().get(h.capability()) : null;
                        if (parents != null) {
                            for (Builder p : parents) {
                                byParent.computeIfAbsent(p, k -> new ArrayList<>()).add(h);
                            }
                        }
                    }
                }
                depth += found.isEmpty() ? 0 : 1;
                List<Builder> next = new ArrayList<>();
                for (Map.Entry<String, TreeMap<Builder, List<CapabilityHit>>> e : found.entrySet()) {
                    Builder child = new Builder(childPkgs.get(e.getKey()), depth);
                    Map.Entry<Builder, List<CapabilityHit>> first = e.getValue().firstEntry();
                    child.via.addAll(first.getValue());
                    first.getKey().children.add(child);
                    nodes.put(e.getKey(), child);
                    next.add(child);
                }
                frontier = sorted(next);
            }
            return new RequirerTree(pattern.text(), roots.stream().map(Builder::build).toList(), nodes.size(), depth);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    private static List<Builder> sorted(java.util.Collection<Builder> bs) {
        List<Builder> l = new ArrayList<>(bs);
        l.sort((a, b) -> IndexedPackage.ORDER.compare(a.pkg, b.pkg));
        return l;
    }

    /** Mutable while the tree grows; {@link #build} freezes it. */
    private static final class Builder {
        final IndexedPackage pkg;
        int depth;
        final List<CapabilityHit> via = new ArrayList<>();
        final List<Builder> children = new ArrayList<>();

        Builder(IndexedPackage pkg, int depth) {
            this.pkg = pkg;
            this.depth = depth;
        }

        RequirerTree.Node build() {
            List<CapabilityHit> v = new ArrayList<>(via);
            v.sort(CapabilityHit.ORDER);
            List<Builder> c = new ArrayList<>(children);
            c.sort((a, b) -> IndexedPackage.ORDER.compare(a.pkg, b.pkg));
            return new RequirerTree.Node(pkg, depth, v, c.stream().map(Builder::build).toList());
        }
    }

    /**
     * What one package provides, per scope: its ELF files' provides (plus rtld(GNU_HASH) on a glibc
     * loader, as the prov terms hold it) and, for rpm, its declared provide names in its arch's scope.
     */
    Map<String, Set<String>> scopedProvides(String packageFile) throws IOException {
        Map<String, Set<String>> out = new TreeMap<>();
        StoredFields stored = searcher.storedFields();
        Set<String> fields = Set.of(Schema.SCOPE, Schema.FILE_PATH, Schema.FILE_PROVIDES, Schema.DECL_PROVIDES,
                Schema.PKG_ARCH);
        Query q = new TermQuery(Schema.packageTerm(packageFile));
        for (ScoreDoc sd : searcher.search(q, Math.max(1, searcher.count(q))).scoreDocs) {
            Document d = stored.document(sd.doc, fields);
            if (d.get(Schema.FILE_PATH) != null) {
                Set<String> caps = out.computeIfAbsent(d.get(Schema.SCOPE), k -> new TreeSet<>());
                List<String> provides = List.of(d.getValues(Schema.FILE_PROVIDES));
                caps.addAll(provides);
                if (Satisfaction.providesRtld(provides)) {
                    caps.add(Satisfaction.RTLD_GNU_HASH);
                }
            } else if (d.getValues(Schema.DECL_PROVIDES).length > 0) {
                Set<String> caps = out.computeIfAbsent(Schema.scopeOfArch(d.get(Schema.PKG_ARCH)), k -> new TreeSet<>());
                for (String c : d.getValues(Schema.DECL_PROVIDES)) {
                    caps.add(org.symdex.index.DocumentMapper.declaredName(c));
                }
            }
        }
        return out;
    }

    /**
     * Every file (and rpm header) requiring one of {@code caps} (scope → sorted capabilities): a
     * seekExact per capability in that scope's {@code req:} dictionary; scope {@code any} in all.
     */
    List<CapabilityHit> requirersOf(Map<String, Set<String>> caps, QueryFilter filter) throws IOException {
        List<CapabilityHit> out = new ArrayList<>();
        Set<String> anyScope = caps.getOrDefault(Schema.SCOPE_ANY, Set.of());
        for (LeafReaderContext leaf : reader.leaves()) {
            List<Hits.RawHit> raw = new ArrayList<>();
            Bits live = leaf.reader().getLiveDocs();
            for (String field : Hits.leafScopedFields(leaf.reader(), Schema.REQ)) {
                String scope = Schema.scopeOfField(Schema.REQ, field).orElseThrow();
                TreeSet<String> wanted = new TreeSet<>(caps.getOrDefault(scope, Set.of()));
                wanted.addAll(anyScope);
                if (scope.equals(Schema.SCOPE_ANY)) {
                    caps.values().forEach(wanted::addAll); // a noarch header's requirement, met in any scope
                }
                if (wanted.isEmpty()) {
                    continue;
                }
                Terms terms = leaf.reader().terms(field);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = terms.iterator();
                PostingsEnum pe = null;
                for (String c : wanted) {
                    if (te.seekExact(new BytesRef(c))) {
                        pe = te.postings(pe, PostingsEnum.NONE);
                        Hits.collect(pe, live, scope, c, raw);
                    }
                }
            }
            new Hits.LeafRows(leaf.reader()).resolve(raw, filter, out);
        }
        out.sort(CapabilityHit.ORDER);
        return out;
    }



    private IndexException readFailure(IOException e) {
        return new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
