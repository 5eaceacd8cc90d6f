package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.symdex.index.Schema;

/**
 * The one hit resolver of the read side: postings of scoped terms become raw hits (a leaf-relative
 * document, the scope of its field, the matched term), and raw hits become {@link CapabilityHit}s named
 * from SORTED_SET doc values, read in doc order per segment, so answering never decompresses a stored
 * document. Every question class ({@link CapabilityLookup}, {@link RequirerWalk}, {@link BrokenQuery},
 * {@link PackageQuery}) goes through it.
 */
final class Hits {
    private Hits() {
    }

    /** A posting: document (leaf-relative), the scope of the field and the matched term. */
    record RawHit(int doc, String scope, String capability) {
    }

    static void collect(PostingsEnum pe, Bits live, String scope, String cap, List<RawHit> out)
            throws IOException {
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live == null || live.get(d)) {
                out.add(new RawHit(d, scope, cap));
            }
        }
    }

    /** The scoped fields of one segment (a segment may lack a scope another has). */
    static List<String> leafScopedFields(LeafReader r, String base) {
        List<String> out = new ArrayList<>();
        for (FieldInfo fi : r.getFieldInfos()) {
            if (Schema.scopeOfField(base, fi.name).isPresent()) {
                out.add(fi.name);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Names the documents of one segment from SORTED_SET doc values, which must be read in doc order:
     * the hits are sorted by doc first, and a document hit by several terms is named once.
     */
    static final class LeafRows {
        private final SortedSetDocValues name;
        private final SortedSetDocValues evr;
        private final SortedSetDocValues arch;
        private final SortedSetDocValues source;
        private final SortedSetDocValues label;
        private final SortedSetDocValues file;
        private final SortedSetDocValues path;
        private final SortedSetDocValues location;

        LeafRows(LeafReader r) throws IOException {
            location = DocValues.getSortedSet(r, Schema.PKG_LOCATION);
            name = DocValues.getSortedSet(r, Schema.PKG_NAME);
            evr = DocValues.getSortedSet(r, Schema.PKG_EVR);
            arch = DocValues.getSortedSet(r, Schema.PKG_ARCH);
            source = DocValues.getSortedSet(r, Schema.PKG_SOURCE);
            label = DocValues.getSortedSet(r, Schema.PKG_LABEL);
            file = DocValues.getSortedSet(r, Schema.PKG_FILE);
            path = DocValues.getSortedSet(r, Schema.FILE_PATH);
        }

        void resolve(List<RawHit> raw, QueryFilter filter, List<CapabilityHit> out) throws IOException {
            if (raw.isEmpty()) {
                return;
            }
            RawHit[] hits = raw.toArray(new RawHit[0]);
            Arrays.sort(hits, (a, b) -> Integer.compare(a.doc(), b.doc()));
            int lastDoc = -1;
            IndexedPackage pkg = null;
            String filePath = null;
            Map<String, IndexedPackage> seen = new HashMap<>();
            for (RawHit h : hits) {
                if (h.doc() != lastDoc) {
                    lastDoc = h.doc();
                    IndexedPackage p = new IndexedPackage(value(name, lastDoc), value(evr, lastDoc),
                            value(arch, lastDoc), value(source, lastDoc), values(label, lastDoc), value(file, lastDoc),
                            values(location, lastDoc));
                    pkg = seen.computeIfAbsent(p.file(), k -> p);
                    filePath = value(path, lastDoc);
                }
                if (filter.accepts(pkg)) {
                    out.add(new CapabilityHit(pkg, filePath, h.scope(), h.capability()));
                }
            }
        }

        /** Every value of a multi-valued field (labels), in term order, which is bytewise. */
        private static List<String> values(SortedSetDocValues dv, int doc) throws IOException {
            if (!dv.advanceExact(doc)) {
                return List.of();
            }
            List<String> out = new ArrayList<>(dv.docValueCount());
            for (int i = 0; i < dv.docValueCount(); i++) {
                out.add(dv.lookupOrd(dv.nextOrd()).utf8ToString());
            }
            return out;
        }

        private static String value(SortedSetDocValues dv, int doc) throws IOException {
            if (!dv.advanceExact(doc)) {
                return null;
            }
            return dv.lookupOrd(dv.nextOrd()).utf8ToString();
        }
    }

    static IndexedPackage packageOf(Document d) {
        return new IndexedPackage(d.get(Schema.PKG_NAME), d.get(Schema.PKG_EVR), d.get(Schema.PKG_ARCH),
                d.get(Schema.PKG_SOURCE), org.symdex.index.PackageStamp.sortedLabels(List.of(d.getValues(Schema.PKG_LABEL))),
                d.get(Schema.PKG_FILE), List.of(d.getValues(Schema.PKG_LOCATION)));
    }

}
