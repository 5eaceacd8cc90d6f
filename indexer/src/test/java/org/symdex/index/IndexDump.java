package org.symdex.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Everything an index holds, as text: one string per live document, made of every indexed term
 * ({@code field=term}) and every stored value ({@code field:stored=value}), sorted. Two indexes hold the
 * same document set exactly when their dumps are equal: how the crash tests compare a resumed run with
 * an uninterrupted one.
 */
public final class IndexDump {
    private IndexDump() {
    }

    /** Sorted canonical documents. */
    public static List<String> documents(Path dir) throws IOException {
        List<String> docs = new ArrayList<>();
        try (var d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
            for (LeafReaderContext ctx : r.leaves()) {
                LeafReader leaf = ctx.reader();
                Bits live = leaf.getLiveDocs();
                Map<Integer, List<String>> byDoc = new TreeMap<>();
                for (FieldInfo fi : leaf.getFieldInfos()) {
                    if (fi.getIndexOptions() == IndexOptions.NONE) {
                        continue;
                    }
                    Terms terms = leaf.terms(fi.name);
                    if (terms == null) {
                        continue;
                    }
                    TermsEnum te = terms.iterator();
                    PostingsEnum pe = null;
                    for (BytesRef t = te.next(); t != null; t = te.next()) {
                        pe = te.postings(pe, PostingsEnum.NONE);
                        for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
                            if (live == null || live.get(doc)) {
                                byDoc.computeIfAbsent(doc, k -> new ArrayList<>()).add(fi.name + "=" + t.utf8ToString());
                            }
                        }
                    }
                }
                StoredFields stored = leaf.storedFields();
                for (int doc = 0; doc < leaf.maxDoc(); doc++) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    List<String> lines = byDoc.computeIfAbsent(doc, k -> new ArrayList<>());
                    Document sd = stored.document(doc);
                    for (IndexableField f : sd.getFields()) {
                        BytesRef b = f.binaryValue();
                        String v = b != null ? HexFormat.of().formatHex(b.bytes, b.offset, b.offset + b.length)
                                : f.stringValue() != null ? f.stringValue() : String.valueOf(f.numericValue());
                        lines.add(f.name() + ":stored=" + v);
                    }
                    lines.sort(null);
                    docs.add(String.join("\n", lines));
                }
            }
        }
        docs.sort(null);
        return docs;
    }
}
