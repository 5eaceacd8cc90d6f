package org.symdex.query;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;
import org.symdex.cap.Scope;
import org.symdex.index.IndexException;
import org.symdex.index.IndexedFile;
import org.symdex.index.Schema;
import org.symdex.index.SymbolTable;
import org.symdex.report.ArchiveView;
import org.symdex.report.FileFacts;
import org.symdex.report.PackageRef;

/**
 * An archive state read from a symdex index, for upgrade reports and nightly diffs. Every lookup is one
 * term of a scoped field (docs/index-schema.md), so a report reads only the postings and stored files of
 * the sonames and capabilities its closure walks; each file document is decoded once per view.
 */
public final class IndexArchiveView implements ArchiveView, Closeable {
    private final CapabilityIndex index;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final StoredFields stored;
    private final Map<Integer, FileFacts> files = new HashMap<>();
    private final Map<Integer, PackageRef> packages = new HashMap<>();
    /** Term lookups already answered: the index is a snapshot, and closures ask for the same sonames often. */
    private final Map<String, List<FileFacts>> fileLookups = new HashMap<>();
    private final Map<String, List<PackageRef>> providerLookups = new HashMap<>();

    private IndexArchiveView(CapabilityIndex index) throws IOException {
        this.index = index;
        this.reader = index.reader();
        this.searcher = new IndexSearcher(reader);
        this.stored = searcher.storedFields();
    }

    /** Opens the index at {@code dir} for reading; it must have been built with symbols. */
    public static IndexArchiveView open(Path dir) throws IndexException {
        CapabilityIndex index = CapabilityIndex.open(dir);
        try {
            Map<String, String> data = index.reader().getIndexCommit().getUserData();
            if (!String.valueOf(Schema.SCHEMA_VERSION).equals(data.get(Schema.DATA_SCHEMA))) {
                throw new IndexException(dir + ": index schema " + data.get(Schema.DATA_SCHEMA) + ", this symdex reads "
                        + Schema.SCHEMA_VERSION + "; rebuild it with symdex index --rebuild");
            }
            if ("false".equals(data.get(Schema.DATA_SYMBOLS))) {
                throw new IndexException(dir + ": built without symbols; symbol-level reports need them");
            }
            return new IndexArchiveView(index);
        } catch (IOException e) {
            index.close();
            throw new IndexException("cannot read index " + dir + ": " + e.getMessage(), e);
        } catch (IndexException e) {
            index.close();
            throw e;
        }
    }

    @Override
    public List<FileFacts> filesWithSoname(Scope scope, String soname) {
        return filesByTerm(Schema.scoped(Schema.SONAME, scope.toString()), soname);
    }

    @Override
    public List<FileFacts> filesNeeding(Scope scope, String soname) {
        return filesByTerm(Schema.scoped(Schema.NEEDED, scope.toString()), soname);
    }

    @Override
    public List<FileFacts> filesRequiring(Scope scope, String capability) {
        return filesByTerm(Schema.scoped(Schema.REQ, scope.toString()), capability);
    }

    private List<FileFacts> filesByTerm(String field, String value) {
        return fileLookups.computeIfAbsent(field + "\u0000" + value, k -> List.copyOf(files(term(field, value))));
    }

    @Override
    public List<PackageRef> providersOf(Scope scope, String capability) {
        return providerLookups.computeIfAbsent(scope + "\u0000" + capability, k -> lookUpProviders(scope, capability));
    }

    private List<PackageRef> lookUpProviders(Scope scope, String capability) {
        LinkedHashSet<PackageRef> out = new LinkedHashSet<>();
        // Declared capabilities of arch-independent packages sit in the "any" scope and count everywhere.
        for (String s : List.of(scope.toString(), Schema.SCOPE_ANY)) {
            for (int doc : collect(new TermQuery(new Term(Schema.scoped(Schema.PROV, s), capability)))) {
                out.add(packageOfDoc(doc));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<PackageRef> packages() {
        return packagesMatching(null);
    }

    @Override
    public List<PackageRef> packagesNamed(String name) {
        return packagesMatching(new TermQuery(new Term(Schema.PKG_NAME, name)));
    }

    @Override
    public List<PackageRef> packagesOfSource(String source) {
        return packagesMatching(new TermQuery(new Term(Schema.PKG_SOURCE, source)));
    }

    @Override
    public List<FileFacts> filesOf(PackageRef pkg) {
        return files(new TermQuery(Schema.packageTerm(pkg.file())));
    }

    @Override
    public void close() throws IOException {
        try {
            index.close();
        } catch (IndexException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    // ---- reading ---------------------------------------------------------------------------------

    private static Query term(String field, String value) {
        return new TermQuery(new Term(field, value));
    }

    private List<FileFacts> files(Query q) {
        List<FileFacts> out = new ArrayList<>();
        for (int doc : collect(and(Schema.kind(Schema.KIND_FILE), q))) {
            out.add(files.computeIfAbsent(doc, this::fileOfDoc));
        }
        return out;
    }

    private List<PackageRef> packagesMatching(Query q) {
        List<PackageRef> out = new ArrayList<>();
        Query kind = Schema.kind(Schema.KIND_PACKAGE);
        for (int doc : collect(q == null ? kind : and(kind, q))) {
            out.add(packageOfDoc(doc));
        }
        return out;
    }

    private static Query and(Query filter, Query q) {
        return new BooleanQuery.Builder().add(filter, BooleanClause.Occur.FILTER)
                .add(q, BooleanClause.Occur.FILTER).build();
    }

    private List<Integer> collect(Query q) {
        List<Integer> ids = new ArrayList<>();
        try {
            searcher.search(q, new SimpleCollector() {
                private int base;

                @Override
                protected void doSetNextReader(LeafReaderContext context) {
                    base = context.docBase;
                }

                @Override
                public void collect(int doc) {
                    ids.add(base + doc);
                }

                @Override
                public ScoreMode scoreMode() {
                    return ScoreMode.COMPLETE_NO_SCORES;
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ids;
    }

    private Document document(int doc) {
        try {
            return stored.document(doc);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A package's identity from doc values (its fields are KeywordFields): reading stored fields would
     * decompress blocks that also hold large symbol tables, once per package of a whole-archive diff.
     */
    private PackageRef packageOfDoc(int doc) {
        return packages.computeIfAbsent(doc, d -> new PackageRef(keyword(d, Schema.PKG_NAME),
                keyword(d, Schema.PKG_EVR), keyword(d, Schema.PKG_ARCH), keyword(d, Schema.PKG_SOURCE),
                keyword(d, Schema.PKG_FILE)));
    }

    /** Doc-values iterators by leaf and field; they only move forward, so one is replaced when asked to go back. */
    private final Map<String, SortedSetDocValues> docValues = new HashMap<>();

    private String keyword(int doc, String field) {
        List<LeafReaderContext> leaves = reader.leaves();
        int li = ReaderUtil.subIndex(doc, leaves);
        LeafReaderContext leaf = leaves.get(li);
        int local = doc - leaf.docBase;
        try {
            String key = li + "\u0000" + field;
            SortedSetDocValues dv = docValues.get(key);
            if (dv == null || dv.docID() > local || (dv.docID() == local && local != -1)) {
                dv = DocValues.getSortedSet(leaf.reader(), field);
                docValues.put(key, dv);
            }
            if (!dv.advanceExact(local)) {
                return null;
            }
            return dv.lookupOrd(dv.nextOrd()).utf8ToString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private FileFacts fileOfDoc(int doc) {
        IndexedFile f;
        try {
            f = IndexedFile.of(document(doc));
        } catch (IndexException e) {
            throw new IllegalStateException("index document " + doc + ": " + e.getMessage(), e);
        }
        PackageRef pkg = new PackageRef(f.packageName(), f.evr(), f.arch(), f.source(), f.packageFile());
        List<FileFacts.Export> exports = new ArrayList<>();
        List<FileFacts.Import> imports = new ArrayList<>();
        for (SymbolTable.Symbol s : f.symbols()) {
            String version = s.version().isEmpty() ? null : s.version();
            if (s.defined()) {
                exports.add(new FileFacts.Export(s.name(), version, s.versionIndex(), s.hidden()));
            } else {
                String from = s.file().isEmpty() ? null : s.file();
                imports.add(new FileFacts.Import(s.name(), from == null ? null : version, from, s.isWeak(), s.hidden()));
            }
        }
        String soname = f.soname() == null || f.soname().isEmpty()
                ? f.path().substring(f.path().lastIndexOf('/') + 1) : f.soname();
        return new FileFacts(pkg, f.path(), Scope.parse(f.scope()), soname, f.needed(), f.versioned(), f.provides(),
                f.requires(), exports, imports);
    }
}
