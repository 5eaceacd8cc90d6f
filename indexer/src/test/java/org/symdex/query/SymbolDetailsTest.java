package org.symdex.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SlowCodecReaderWrapper;
import org.apache.lucene.index.Terms;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.symdex.batch.IndexRun;
import org.symdex.batch.RunListener;
import org.symdex.batch.RunOptions;
import org.symdex.cap.TestPaths;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;
import org.symdex.index.SymbolTable;

/**
 * whatimports' details come from the {@link Schema#SYM_REF_FACTS} postings, not from each importer's
 * stored table: on every import of the fixtures (several segments, deleted documents after an update)
 * they must equal what the stored tables say, field by field; and an index without those terms (made
 * before them) must still answer every import from the stored tables.
 */
class SymbolDetailsTest {
    @TempDir
    static Path tmp;
    static Path index;

    @BeforeAll
    static void build() throws Exception {
        Path fx = TestPaths.root().resolve("fixtures");
        List<Path> inputs = new ArrayList<>();
        for (String d : List.of("scenarios/base/deb", "scenarios/base/rpm", "deb/real", "deb", "query")) {
            inputs.addAll(list(fx.resolve(d)));
        }
        index = tmp.resolve("index");
        new IndexRun(RunOptions.defaults(index).withJobs(2).withCommitEvery(5).withLabel("fx/main"), RunListener.NONE)
                .run(inputs);
        // Deleted documents: the facts' postings still hold them until a merge, and only live ones may answer.
        try (IndexSnapshot s = IndexSnapshot.open(index);
             FSDirectory dir = FSDirectory.open(index);
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND)
                     .setMergePolicy(org.apache.lucene.index.NoMergePolicy.INSTANCE))) {
            w.deleteDocuments(Schema.packageTerm(inputs.get(inputs.size() - 1).toString()),
                    Schema.packageTerm(inputs.get(0).toString()));
            w.setLiveCommitData(Map.copyOf(s.commitData()).entrySet());
            w.commit();
        }
    }

    @Test
    void everyImportsFactsEqualItsStoredSymbol() throws Exception {
        try (CapabilityIndex idx = CapabilityIndex.open(index)) {
            List<CapabilityHit> hits = idx.whoImportsOrExports(false, SymbolPattern.of("*"), QueryFilter.NONE);
            assertTrue(hits.size() > 300, "imports in the fixtures: " + hits.size());
            try (IndexSnapshot s = IndexSnapshot.open(index)) {
                assertTrue(s.reader().leaves().size() > 1, "segments: " + s.reader().leaves().size());
                assertTrue(s.reader().hasDeletions(), "the pruning run deleted documents");
                SymbolLookup lookup = new SymbolLookup(s, new org.apache.lucene.search.IndexSearcher(s.reader()));
                List<SymbolTable.Symbol> facts = lookup.details(hits, false);
                List<SymbolTable.Symbol> stored = lookup.detailsFromStoredTables(hits, false);
                int versioned = 0;
                int weak = 0;
                for (int i = 0; i < hits.size(); i++) {
                    assertNotNull(stored.get(i), hits.get(i).toString());
                    assertEquals(stored.get(i), facts.get(i), hits.get(i).toString());
                    versioned += stored.get(i).file().isEmpty() ? 0 : 1;
                    weak += stored.get(i).isWeak() ? 1 : 0;
                }
                assertTrue(versioned > 200 && weak > 3, "versioned imports " + versioned + ", weak " + weak);
                // One term at a time: a seek per segment instead of the whole-dictionary pass '*' takes.
                List<String> terms = hits.stream().map(CapabilityHit::capability).distinct().sorted().toList();
                for (int i = 0; i < terms.size(); i += Math.max(1, terms.size() / 40)) {
                    SymbolPattern one = SymbolPattern.of(terms.get(i).replaceAll("([*?\\[{])", "\\\\$1"));
                    List<CapabilityHit> h = idx.whoImportsOrExports(false, one, QueryFilter.NONE);
                    assertTrue(!h.isEmpty(), terms.get(i));
                    assertEquals(lookup.detailsFromStoredTables(h, false), lookup.details(h, false), terms.get(i));
                }
            }
        }
    }

    @Test
    void anIndexWithoutFactsTermsAnswersFromTheStoredTables() throws Exception {
        Path old = tmp.resolve("without-facts");
        try (IndexSnapshot s = IndexSnapshot.open(index);
             FSDirectory dir = FSDirectory.open(old);
             IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setCodec(new Lucene912Codec()))) {
            List<CodecReader> readers = new ArrayList<>();
            for (LeafReaderContext leaf : s.reader().leaves()) {
                readers.add(SlowCodecReaderWrapper.wrap(new WithoutFacts(leaf.reader())));
            }
            w.addIndexes(readers.toArray(CodecReader[]::new));
            w.setLiveCommitData(Map.copyOf(s.commitData()).entrySet());
            w.commit();
        }
        try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(old))) {
            assertTrue(Schema.scopedFields(r, Schema.SYM_REF_FACTS).isEmpty());
            assertTrue(!Schema.scopedFields(r, Schema.SYM_REF).isEmpty());
        }
        try (CapabilityIndex now = CapabilityIndex.open(index); CapabilityIndex before = CapabilityIndex.open(old)) {
            for (String p : List.of("*", "memcpy", "*@GLIBC_2.2.5", "foo_*")) {
                List<CapabilityHit> a = now.whoImportsOrExports(false, SymbolPattern.of(p), QueryFilter.NONE);
                List<CapabilityHit> b = before.whoImportsOrExports(false, SymbolPattern.of(p), QueryFilter.NONE);
                assertEquals(a, b, p);
                List<SymbolTable.Symbol> db = before.symbolDetails(b, false);
                assertEquals(now.symbolDetails(a, false), db, p);
                assertTrue(db.stream().allMatch(java.util.Objects::nonNull), p);
            }
        }
    }

    @Test
    void aFactsTermReadsBackAsItsSymbol() throws Exception {
        for (SymbolTable.Symbol s : List.of(
                new SymbolTable.Symbol(false, "memcpy", "GLIBC_2.14", 3, false, 1, 2, "libc.so.6"),
                new SymbolTable.Symbol(false, "__gmon_start__", "", 0, false, 2, 0, ""),
                new SymbolTable.Symbol(false, "x@y", "V@1", 12, true, 1, 1, "lib\u00e9\u00ff.so"),
                new SymbolTable.Symbol(false, "\u202e\u001b[31m", "", 1, false, 1, 10, ""))) {
            String t = SymbolTable.factsTerm(s);
            assertTrue(t.startsWith(SymbolTable.factsPrefix(s.versionedName())), t);
            assertEquals(s, SymbolTable.ofFactsTerm(t));
        }
        for (String bad : List.of("memcpy", "memcpy\u0000", "memcpy\u0000x1,2,3\u0000\u0000", "m@V\u0000-1,2\u0000V\u0000",
                "m@V\u0000-1,2,x\u0000V\u0000", "m@W\u0000-1,2,3\u0000V\u0000")) {
            org.junit.jupiter.api.Assertions.assertThrows(org.symdex.index.IndexException.class,
                    () -> SymbolTable.ofFactsTerm(bad), bad.replace('\u0000', '|'));
        }
    }

    /** A segment as an index made before the facts terms has it: no {@code reff:} field. */
    private static final class WithoutFacts extends FilterLeafReader {
        WithoutFacts(LeafReader in) {
            super(in);
        }

        @Override
        public Terms terms(String field) throws IOException {
            return Schema.scopeOfField(Schema.SYM_REF_FACTS, field).isPresent() ? null : super.terms(field);
        }

        @Override
        public FieldInfos getFieldInfos() {
            List<FieldInfo> kept = new ArrayList<>();
            for (FieldInfo fi : super.getFieldInfos()) {
                if (Schema.scopeOfField(Schema.SYM_REF_FACTS, fi.name).isEmpty()) {
                    kept.add(fi);
                }
            }
            return new FieldInfos(kept.toArray(FieldInfo[]::new));
        }

        @Override
        public CacheHelper getCoreCacheHelper() {
            return null;
        }

        @Override
        public CacheHelper getReaderCacheHelper() {
            return null;
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".deb") || p.toString().endsWith(".rpm")).sorted().toList();
        }
    }
}
