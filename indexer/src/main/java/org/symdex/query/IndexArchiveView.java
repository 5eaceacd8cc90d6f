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
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;
import org.symdex.cap.Satisfaction;
import org.symdex.cap.Scope;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.IndexedFile;
import org.symdex.index.Schema;
import org.symdex.index.SymbolTable;
import org.symdex.report.ArchiveView;
import org.symdex.report.FileFacts;
import org.symdex.report.PackageRef;
import org.symdex.report.SymbolSource;

/**
 * An archive state read from a symdex index, for upgrade reports and nightly diffs. Every lookup is one
 * term of a scoped field (docs/index-schema.md), so a report reads only the postings and stored files of
 * the sonames and capabilities its closure walks; each file document is decoded once per view.
 */
public final class IndexArchiveView implements ArchiveView, Closeable {
    private final CapabilityIndex index;
    private final DirectoryReader reader;
    private final StoredFields stored;
    private final Map<Integer, FileFacts> files = new HashMap<>();
    private final Map<Integer, PackageRef> packages = new HashMap<>();
    /** Term lookups already answered: the index is a snapshot, and closures ask for the same sonames often. */
    private final Map<String, List<FileFacts>> fileLookups = new HashMap<>();
    private final Map<String, List<PackageRef>> providerLookups = new HashMap<>();
    /** The term and doc-values engine every lookup of this view goes through. */
    private final TermPostings terms;

    private IndexArchiveView(CapabilityIndex index) throws IOException {
        this.index = index;
        this.reader = index.reader();
        this.stored = reader.storedFields();
        this.terms = new TermPostings(index.snapshot());
    }

    /**
     * Opens the newest commit of the index at {@code dir} for reports ({@link IndexSnapshot#open}: the
     * stamp, schema and extractor both, is checked); it must have been built with symbols.
     */
    public static IndexArchiveView open(Path dir) throws IndexException {
        return open(org.symdex.index.IndexRef.of(dir));
    }

    /** As {@link #open(Path)}, for the commit {@code ref} names ({@code DIR@REF}: a kept night). */
    public static IndexArchiveView open(org.symdex.index.IndexRef ref) throws IndexException {
        Path dir = ref.dir();
        CapabilityIndex index = CapabilityIndex.open(ref);
        try {
            if (!index.snapshot().withSymbols()) {
                throw new IndexException(dir + ": built without symbols (--no-symbols); symbol-level reports need them");
            }
            return new IndexArchiveView(index);
        } catch (IOException e) {
            index.close();
            throw new IndexException(dir + ": cannot read index: " + e.getMessage(), e);
        } catch (IndexException e) {
            index.close();
            throw e;
        }
    }

    /** The commit this view answers from. */
    public IndexSnapshot snapshot() {
        return index.snapshot();
    }

    @Override
    public List<FileFacts> filesWithSoname(Scope scope, String soname) throws IndexException {
        return filesByTerm(Schema.scoped(Schema.SONAME, scope.toString()), soname);
    }

    @Override
    public List<FileFacts> filesNeeding(Scope scope, String soname) throws IndexException {
        return filesByTerm(Schema.scoped(Schema.NEEDED, scope.toString()), soname);
    }

    @Override
    public List<FileFacts> filesRequiring(Scope scope, String capability) throws IndexException {
        return filesByTerm(Schema.scoped(Schema.REQ, scope.toString()), capability);
    }

    private List<FileFacts> filesByTerm(String field, String value) throws IndexException {
        String key = field + "\u0000" + value;
        List<FileFacts> found = fileLookups.get(key);
        if (found == null) {
            found = files(field, value);
            fileLookups.put(key, found);
        }
        return found;
    }

    @Override
    public List<PackageRef> providersOf(Scope scope, String capability) throws IndexException {
        String key = scope + "\u0000" + capability;
        List<PackageRef> found = providerLookups.get(key);
        if (found == null) {
            found = lookUpProviders(scope, capability);
            providerLookups.put(key, found);
        }
        return found;
    }

    private List<PackageRef> lookUpProviders(Scope scope, String capability) throws IndexException {
        LinkedHashSet<PackageRef> out = new LinkedHashSet<>();
        for (String s : Satisfaction.providerScopes(scope.toString())) {
            for (int doc : terms.docs(Schema.scoped(Schema.PROV, s), capability, null)) {
                out.add(packageOfDoc(doc));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Scope> scopes() throws IndexException {
        return new IndexFacts(index.snapshot(), new org.apache.lucene.search.IndexSearcher(reader)).scopes().stream()
                .map(Scope::parse).toList();
    }

    @Override
    public List<PackageRef> packages() throws IndexException {
        return packagesMatching(Schema.KIND, Schema.KIND_PACKAGE);
    }

    @Override
    public List<PackageRef> packagesNamed(String name) throws IndexException {
        return packagesMatching(Schema.PKG_NAME, name);
    }

    @Override
    public List<PackageRef> packagesOfSource(String source) throws IndexException {
        return packagesMatching(Schema.PKG_SOURCE, source);
    }

    @Override
    public List<FileFacts> filesOf(PackageRef pkg) throws IndexException {
        return files(Schema.PKG_FILE, pkg.file());
    }

    /**
     * Read back from the package document's stored {@code rpm -qp --provides} lines ({@code name} or
     * {@code name OP evr}): the name is what a requirement is matched against.
     */
    @Override
    public List<String> declaredProvidesOf(PackageRef pkg) throws IndexException {
        List<String> out = new ArrayList<>();
        for (int doc : terms.docs(Schema.PKG_FILE, pkg.file(), Schema.KIND_PACKAGE)) {
            for (String line : document(doc).getValues(Schema.DECL_PROVIDES)) {
                out.add(org.symdex.index.DocumentMapper.declaredName(line));
            }
        }
        return out;
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

    private List<FileFacts> files(String field, String value) throws IndexException {
        List<FileFacts> out = new ArrayList<>();
        for (int doc : terms.docs(field, value, Schema.KIND_FILE)) {
            FileFacts f = files.get(doc);
            if (f == null) {
                f = fileOfDoc(doc);
                files.put(doc, f);
            }
            out.add(f);
        }
        return List.copyOf(out);
    }

    private List<PackageRef> packagesMatching(String field, String value) throws IndexException {
        List<PackageRef> out = new ArrayList<>();
        for (int doc : terms.docs(field, value, Schema.KIND_PACKAGE)) {
            out.add(packageOfDoc(doc));
        }
        return out;
    }

    private Document document(int doc) throws IndexException {
        try {
            return stored.document(doc);
        } catch (IOException e) {
            throw readFailure(e);
        }
    }

    /**
     * A package's identity from doc values (its fields are KeywordFields): reading stored fields would
     * decompress blocks that also hold large symbol tables, once per package of a whole-archive diff.
     */
    private PackageRef packageOfDoc(int doc) throws IndexException {
        PackageRef p = packages.get(doc);
        if (p == null) {
            p = new PackageRef(terms.keyword(doc, Schema.PKG_NAME), terms.keyword(doc, Schema.PKG_EVR), terms.keyword(doc, Schema.PKG_ARCH),
                    terms.keyword(doc, Schema.PKG_SOURCE), terms.keyword(doc, Schema.PKG_FILE),
                    terms.keywords(doc, Schema.PKG_LABEL));
            packages.put(doc, p);
        }
        return p;
    }

    private FileFacts fileOfDoc(int doc) throws IndexException {
        Document d = document(doc);
        IndexedFile f;
        SymbolTable.Packed table;
        try {
            f = IndexedFile.withoutSymbols(d);
            BytesRef b = d.getBinaryValue(Schema.SYMBOL_TABLE);
            table = b == null ? null : SymbolTable.Packed.of(b.bytes, b.offset, b.length);
        } catch (IndexException e) {
            throw new IndexException(snapshot().dir() + ": index document " + doc + ": " + e.getMessage(), e);
        }
        PackageRef pkg = new PackageRef(f.packageName(), f.evr(), f.arch(), f.source(), f.packageFile(),
                org.symdex.index.PackageStamp.sortedLabels(List.of(d.getValues(Schema.PKG_LABEL))));
        String soname = Satisfaction.lookupName(f.soname(), f.path());
        return new FileFacts(pkg, f.path(), Scope.parse(f.scope()), soname, f.needed(), f.versioned(), f.provides(),
                f.requires(), table == null ? SymbolSource.of(List.of(), List.of()) : new StoredSymbols(doc, table));
    }

    /**
     * A file's symbols read from its stored table as reports ask: imports decoded once (a consumer is
     * checked before and after a change), exports found by name without decoding the rest.
     */
    private static final class StoredSymbols implements SymbolSource {
        private final int doc;
        private final SymbolTable.Packed table;
        private List<FileFacts.Import> imports;

        StoredSymbols(int doc, SymbolTable.Packed table) {
            this.doc = doc;
            this.table = table;
        }

        @Override
        public List<FileFacts.Export> exports() throws IndexException {
            List<FileFacts.Export> out = new ArrayList<>();
            for (SymbolTable.Symbol s : decode(() -> table.all(true))) {
                out.add(export(s));
            }
            return out;
        }

        @Override
        public List<FileFacts.Import> imports() throws IndexException {
            if (imports == null) {
                List<FileFacts.Import> out = new ArrayList<>();
                for (SymbolTable.Symbol s : decode(() -> table.all(false))) {
                    String version = s.version().isEmpty() ? null : s.version();
                    String from = s.file().isEmpty() ? null : s.file();
                    out.add(new FileFacts.Import(s.name(), from == null ? null : version, from, s.isWeak(),
                            s.hidden()));
                }
                imports = List.copyOf(out);
            }
            return imports;
        }

        @Override
        public int exportCount() throws IndexException {
            return decode(() -> table.count(true));
        }

        @Override
        public List<FileFacts.Export> exportsNamed(String name) throws IndexException {
            List<SymbolTable.Symbol> found = decode(() -> table.defined(name));
            if (found.isEmpty()) {
                return List.of();
            }
            List<FileFacts.Export> out = new ArrayList<>(found.size());
            for (SymbolTable.Symbol s : found) {
                out.add(export(s));
            }
            return out;
        }

        private static FileFacts.Export export(SymbolTable.Symbol s) {
            return new FileFacts.Export(s.name(), s.version().isEmpty() ? null : s.version(), s.versionIndex(),
                    s.hidden());
        }

        private interface Decoding<T> {
            T run() throws IndexException;
        }

        /** A stored table that does not decode is a damaged index: the reader's IndexException. */
        private <T> T decode(Decoding<T> d) throws IndexException {
            try {
                return d.run();
            } catch (IndexException e) {
                throw new IndexException("index document " + doc + ": " + e.getMessage(), e);
            }
        }
    }

    private IndexException readFailure(java.io.IOException e) {
        return new IndexException(snapshot().dir() + ": cannot read index: " + e.getMessage(), e);
    }
}
