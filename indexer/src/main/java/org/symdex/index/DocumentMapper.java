package org.symdex.index;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KeywordField;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;
import org.symdex.cap.Satisfaction;
import org.symdex.cap.Satisfaction;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;
import org.symdex.pkg.Dependency;
import org.symdex.pkg.PackageFormat;
import org.symdex.pkg.PackageInfo;
import org.symdex.scan.PackageScan;
import org.symdex.scan.ScannedFile;
import org.symdex.scan.Warning;

/**
 * Turns one scanned package into its documents (the analyser role of OpenGrok's split: it only fills
 * documents; {@code IndexRun} decides what to write). Pure and thread-safe. Field types and the reason
 * for each are in {@link Schema}.
 */
public final class DocumentMapper {
    private final boolean withSymbols;

    /**
     * Lucene's limit on one indexed term, in UTF-8 bytes ({@link IndexWriter#MAX_TERM_LENGTH}); a sorted
     * doc value (KeywordField) has the same limit. A longer term makes the writer refuse the document,
     * so an over-long name is left out of the terms (kept in the stored lists and symbol table) rather
     * than costing its package, or, before this guard, the whole run.
     */
    public static final int MAX_TERM_BYTES = IndexWriter.MAX_TERM_LENGTH;

    /**
     * What one package became.
     *
     * @param warnings {@code PACKAGE!/path: reason} for each value left out of the index terms
     * @param sourcePackage a source rpm: its documents are not to be written (its requires are build
     *     requirements), and the run counts it as skipped
     */
    public record Mapped(List<Document> documents, int elfFiles, long capabilities, List<String> warnings,
                         boolean sourcePackage) {
        public Mapped {
            documents = List.copyOf(documents);
            warnings = List.copyOf(warnings);
        }
    }

    /** @param withSymbols index dynamic symbols (the largest part of the index; the upgrade reports need them) */
    public DocumentMapper(boolean withSymbols) {
        this.withSymbols = withSymbols;
    }

    /**
     * The package document first, then one document per ELF file in the scan's (path) order. A package
     * whose identity (file, name, version, arch, source, label) is over the term limit cannot be
     * indexed: IndexException, that package's failure.
     */
    public Mapped map(PackageStamp stamp, String sha256, PackageScan scan) throws IndexException {
        PackageInfo info = scan.info();
        String evr = Schema.evr(info.epoch(), info.version(), info.release());
        String source = Schema.sourceName(info);
        identity("package file name", stamp.file());
        identity("package name", info.name());
        identity("version", evr);
        identity("architecture", info.arch());
        identity("source package name", source);
        for (String l : stamp.labels()) {
            identity("label", l);
        }
        List<Document> docs = new ArrayList<>(1 + scan.files().size());
        List<String> warnings = new ArrayList<>();
        long capabilities = 0;

        Document p = new Document();
        p.add(new StringField(Schema.KIND, Schema.KIND_PACKAGE, Field.Store.NO));
        common(p, stamp, info, evr, source);
        p.add(new KeywordField(Schema.PKG_FORMAT, info.format().name().toLowerCase(Locale.ROOT), Field.Store.YES));
        info.epoch().ifPresent(e -> p.add(new StoredField(Schema.PKG_EPOCH, e)));
        p.add(new StoredField(Schema.PKG_VERSION, info.version()));
        p.add(new StoredField(Schema.PKG_RELEASE, info.release()));
        info.sourcePackage().ifPresent(raw -> p.add(new StoredField(Schema.PKG_SOURCE_RAW, raw)));
        info.multiArch().ifPresent(m -> p.add(new StoredField(Schema.PKG_MULTI_ARCH, m)));
        p.add(new StoredField(Schema.PKG_INSTALLED_SIZE, info.installedSize()));
        p.add(new StoredField(Schema.PKG_COMPRESSOR, info.payloadCompressor().name()));
        p.add(new KeywordField(Schema.PKG_SHA256, sha256, Field.Store.YES));
        declaredChecksum(p, stamp);
        stampFields(p, stamp);
        p.add(new StoredField(Schema.PKG_ELF_FILES, scan.files().size()));
        // Only rpm declares elfdeps-shaped capabilities in its header; Debian's relations are
        // package names and version bounds, which the elfdeps-level queries do not judge (issue 4 item 1).
        if (info.format() == PackageFormat.RPM && !info.isSourceRpm()) {
            String scope = Schema.scopeOfArch(info.arch());
            Terms header = new Terms(stamp.file(), "", warnings);
            capabilities += declared(p, Schema.PROV, Schema.DECL_PROVIDES, scope, info.provides(), header);
            capabilities += declared(p, Schema.REQ, Schema.DECL_REQUIRES, scope, info.requires(), header);
        }
        for (Warning w : scan.warnings()) {
            p.add(new StoredField(Schema.WARNING, w.format(stamp.file())));
        }
        docs.add(p);

        int files = 0;
        for (ScannedFile f : scan.files()) {
            if (utf8Length(f.path()) > MAX_TERM_BYTES) {
                warnings.add(stamp.file() + "!" + f.path() + ": path of " + grouped(f.path().length())
                        + " bytes is over the index's term limit; file left out of the index");
                continue;
            }
            docs.add(file(stamp, info, evr, source, f, new Terms(stamp.file(), f.path(), warnings)));
            capabilities += f.caps().provides().size() + f.caps().requires().size();
            files++;
        }
        for (String w : warnings) {
            p.add(new StoredField(Schema.WARNING, w));
        }
        return new Mapped(docs, files, capabilities, warnings, info.isSourceRpm());
    }

    private static void identity(String what, String value) throws IndexException {
        if (utf8Length(value) > MAX_TERM_BYTES) {
            throw new IndexException(what + " of " + grouped(value.length()) + " bytes is over the index's "
                    + grouped(MAX_TERM_BYTES) + "-byte term limit");
        }
    }

    /**
     * Adds scoped terms of one document, leaving out (with a warning naming the file) any value over
     * the term limit.
     */
    private record Terms(String packageFile, String path, List<String> warnings) {
        void add(Document d, String field, String value, String kind) {
            if (utf8Length(value) <= MAX_TERM_BYTES) {
                d.add(new Field(field, value, Schema.TERM_ONLY));
            } else {
                int utf8 = utf8Length(value);
                warnings.add(packageFile + (path.isEmpty() ? "" : "!" + path) + ": " + kind + " of "
                        + grouped(value.length()) + " bytes" + (utf8 != value.length() ? " (" + grouped(utf8)
                        + " in UTF-8)" : "") + " left out of the index terms");
            }
        }
    }

    /** Length of {@code s} in UTF-8, which is how Lucene measures a term. */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1; // a surrogate pair: 4 bytes for 2 chars
            }
        }
        return n;
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The document that records a package that could not be read, replacing whatever was indexed for it. */
    public static Document failure(PackageStamp stamp, String message) {
        Document d = new Document();
        d.add(new StringField(Schema.KIND, Schema.KIND_FAILURE, Field.Store.NO));
        d.add(new KeywordField(Schema.PKG_FILE, stamp.file(), Field.Store.YES));
        stamp.labels().forEach(l -> d.add(new KeywordField(Schema.PKG_LABEL, l, Field.Store.YES)));
        stampFields(d, stamp);
        listing(d, stamp);
        declaredChecksum(d, stamp);
        d.add(new StoredField(Schema.FAILURE_MESSAGE, message));
        return d;
    }

    /** Where a source lists the package: on every document, so a hit needs no join. */
    private static void listing(Document d, PackageStamp stamp) {
        stamp.locations().forEach(l -> d.add(new KeywordField(Schema.PKG_LOCATION, l, Field.Store.YES)));
    }

    /** The checksum its source declared when not SHA-256: on the package (or failure) document. */
    private static void declaredChecksum(Document d, PackageStamp stamp) {
        if (!stamp.checksum().isEmpty()) {
            d.add(new KeywordField(Schema.PKG_CHECKSUM, stamp.checksum(), Field.Store.YES));
        }
    }

    private static void stampFields(Document d, PackageStamp stamp) {
        d.add(new LongField(Schema.PKG_SIZE, stamp.size(), Field.Store.YES));
        d.add(new LongField(Schema.PKG_MTIME, stamp.mtime(), Field.Store.YES));
    }

    /** Identity fields shared by package and file documents, so a hit needs no join. */
    private static void common(Document d, PackageStamp stamp, PackageInfo info, String evr, String source) {
        d.add(new KeywordField(Schema.PKG_FILE, stamp.file(), Field.Store.YES));
        d.add(new KeywordField(Schema.PKG_NAME, info.name(), Field.Store.YES));
        d.add(new KeywordField(Schema.PKG_ARCH, info.arch(), Field.Store.YES));
        d.add(new KeywordField(Schema.PKG_EVR, evr, Field.Store.YES));
        d.add(new KeywordField(Schema.PKG_SOURCE, source, Field.Store.YES));
        stamp.labels().forEach(l -> d.add(new KeywordField(Schema.PKG_LABEL, l, Field.Store.YES)));
        listing(d, stamp);
    }

    private static long declared(Document d, String base, String storedName, String scope, List<Dependency> deps,
                                 Terms terms) {
        List<String> lines = new ArrayList<>();
        for (Dependency dep : deps) {
            d.add(new StoredField(storedName, rpmFormat(dep)));
            lines.add(rpmFormat(dep));
        }
        return declaredTerms(d, base, scope, lines, terms);
    }

    /** The terms of an rpm header's declared capabilities, from their stored lines: one per distinct name. */
    private static long declaredTerms(Document d, String base, String scope, List<String> lines, Terms terms) {
        String field = Schema.scoped(base, scope);
        Set<String> names = new LinkedHashSet<>();
        for (String line : lines) {
            names.add(declaredName(line));
        }
        for (String n : names) {
            terms.add(d, field, n, "declared capability");
        }
        return names.size();
    }

    private static final java.util.regex.Pattern DECLARED = java.util.regex.Pattern.compile("^(.*) (?:<|>|=|<=|>=|<>) [^ ]*$");

    /** The name of a declared dependency as {@link #rpmFormat} stored it ({@code name} or {@code name OP evr}). */
    public static String declaredName(String line) {
        java.util.regex.Matcher m = DECLARED.matcher(line);
        return m.matches() ? m.group(1) : line;
    }

    /** Fields that are KeywordFields (a term, sorted doc values, stored): the same type again on a rewrite. */
    private static final Set<String> KEYWORDS = Set.of(Schema.PKG_FILE, Schema.PKG_NAME, Schema.PKG_ARCH, Schema.PKG_EVR,
            Schema.PKG_SOURCE, Schema.PKG_LABEL, Schema.PKG_FORMAT, Schema.FILE_PATH, Schema.SCOPE, Schema.PKG_SHA256,
            Schema.PKG_LOCATION, Schema.PKG_CHECKSUM);
    /** Fields that are LongFields (a point, doc values, stored). */
    private static final Set<String> LONGS = Set.of(Schema.PKG_SIZE, Schema.PKG_MTIME);

    /**
     * A package's documents with another label, rebuilt from their stored fields without reading the
     * package again (a label given on a re-run, a second suite listing the same packages): every stored
     * value copied with its field type, every term made again from the stored values by the helpers
     * {@link #map} uses. RelabelTest compares the result with a fresh index, term by term.
     *
     * @param stored every document of one package (package and files), with all stored fields
     */
    public Mapped relabel(List<Document> stored, List<String> labels) throws IndexException {
        return relabel(stored, labels, null);
    }

    /**
     * As {@link #relabel(List, List)}, and when {@code moved} is not null the package's identity moves
     * too: {@link Schema#PKG_FILE} and the locations become the stamp's (a listed package whose first
     * location changed, a second suite listing it under another pool path).
     */
    public Mapped relabel(List<Document> stored, PackageStamp moved) throws IndexException {
        identity("package file name", moved.file());
        return relabel(stored, moved.labels(), moved);
    }

    private Mapped relabel(List<Document> stored, List<String> labels, PackageStamp moved) throws IndexException {
        for (String l : labels) {
            identity("label", l);
        }
        List<Document> docs = new ArrayList<>(stored.size());
        List<String> warnings = new ArrayList<>();
        int files = 0;
        long capabilities = 0;
        for (Document s : stored) {
            if (s.get(Schema.FAILURE_MESSAGE) != null) {
                throw new IndexException(s.get(Schema.PKG_FILE) + ": a failure record is retried, not relabelled");
            }
            boolean isFile = s.get(Schema.FILE_PATH) != null;
            Document d = new Document();
            d.add(new StringField(Schema.KIND, isFile ? Schema.KIND_FILE : Schema.KIND_PACKAGE, Field.Store.NO));
            boolean labelled = false;
            boolean located = false;
            for (IndexableField f : s.getFields()) {
                if (f.name().equals(Schema.FILE_LINK)) {
                    continue; // indexed too: made again below by fileTerms, as map made it
                }
                if (moved != null && f.name().equals(Schema.PKG_FILE)) {
                    d.add(new KeywordField(Schema.PKG_FILE, moved.file(), Field.Store.YES));
                    continue;
                }
                if (moved != null && f.name().equals(Schema.PKG_LOCATION)) {
                    if (!located) {
                        moved.locations().forEach(l -> d.add(new KeywordField(Schema.PKG_LOCATION, l, Field.Store.YES)));
                        located = true;
                    }
                    continue;
                }
                if (f.name().equals(Schema.PKG_LABEL)) {
                    if (!labelled) {
                        // the labels are written where the first one was, so stored fields keep their order
                        labels.forEach(l -> d.add(new KeywordField(Schema.PKG_LABEL, l, Field.Store.YES)));
                        labelled = true;
                    }
                    continue;
                }
                d.add(copy(f));
            }
            if (!labelled) {
                labels.forEach(l -> d.add(new KeywordField(Schema.PKG_LABEL, l, Field.Store.YES)));
            }
            if (moved != null && !located) {
                listing(d, moved); // a walked copy of the same bytes, now listed by a source
            }
            if (moved != null && !isFile && s.get(Schema.PKG_CHECKSUM) == null) {
                declaredChecksum(d, moved);
            }
            String pkgFile = moved != null ? moved.file() : s.get(Schema.PKG_FILE);
            if (isFile) {
                String path = s.get(Schema.FILE_PATH);
                BytesRef t = s.getBinaryValue(Schema.SYMBOL_TABLE);
                List<SymbolTable.Symbol> table = t == null ? null : SymbolTable.decode(t.bytes, t.offset, t.length);
                List<String> provides = List.of(s.getValues(Schema.FILE_PROVIDES));
                List<String> requires = List.of(s.getValues(Schema.FILE_REQUIRES));
                fileTerms(d, s.get(Schema.SCOPE), Satisfaction.lookupName(s.get(Schema.ELF_SONAME), path),
                        List.of(s.getValues(Schema.ELF_NEEDED)), List.of(s.getValues(Schema.ELF_VERNEED)), provides,
                        requires, withSymbols ? table : null, new Terms(pkgFile, path, warnings));
                links(d, List.of(s.getValues(Schema.FILE_LINK)), new Terms(pkgFile, path, warnings));
                files++;
                capabilities += provides.size() + requires.size();
            } else if ("rpm".equals(s.get(Schema.PKG_FORMAT))) {
                // A source rpm is never indexed, so a stored rpm package document is a binary one.
                String scope = Schema.scopeOfArch(s.get(Schema.PKG_ARCH));
                Terms header = new Terms(pkgFile, "", warnings);
                capabilities += declaredTerms(d, Schema.PROV, scope, List.of(s.getValues(Schema.DECL_PROVIDES)), header);
                capabilities += declaredTerms(d, Schema.REQ, scope, List.of(s.getValues(Schema.DECL_REQUIRES)), header);
            }
            docs.add(d);
        }
        return new Mapped(docs, files, capabilities, List.of(), false);
    }

    /** One stored field again, with the type it was written with. */
    private static IndexableField copy(IndexableField f) {
        String name = f.name();
        if (KEYWORDS.contains(name)) {
            return new KeywordField(name, f.stringValue(), Field.Store.YES);
        }
        if (LONGS.contains(name)) {
            return new LongField(name, f.numericValue().longValue(), Field.Store.YES);
        }
        if (f.binaryValue() != null) {
            return new StoredField(name, BytesRef.deepCopyOf(f.binaryValue()));
        }
        Number n = f.numericValue();
        if (n instanceof Integer i) {
            return new StoredField(name, i);
        }
        if (n instanceof Long l) {
            return new StoredField(name, l);
        }
        if (n != null) {
            throw new IllegalStateException("stored field " + name + " of type " + n.getClass());
        }
        return new StoredField(name, f.stringValue());
    }

    /** As {@code rpm -qp --provides} prints a dependency: {@code name}, or {@code name OP evr}. */
    static String rpmFormat(Dependency dep) {
        int sense = dep.flags() & (Dependency.LESS | Dependency.GREATER | Dependency.EQUAL);
        if (sense == 0 || dep.version().isEmpty()) {
            return dep.name();
        }
        String op = switch (sense) {
            case Dependency.LESS -> "<";
            case Dependency.GREATER -> ">";
            case Dependency.EQUAL -> "=";
            case Dependency.LESS | Dependency.EQUAL -> "<=";
            case Dependency.GREATER | Dependency.EQUAL -> ">=";
            default -> "<>"; // LESS|GREATER: rpm has no name for it either
        };
        return dep.name() + " " + op + " " + dep.version();
    }

    private Document file(PackageStamp stamp, PackageInfo info, String evr, String source, ScannedFile f, Terms terms) {
        ElfFile elf = f.elf();
        String scope = Schema.scopeOf(elf);
        Document d = new Document();
        d.add(new StringField(Schema.KIND, Schema.KIND_FILE, Field.Store.NO));
        common(d, stamp, info, evr, source);
        d.add(new KeywordField(Schema.FILE_PATH, f.path(), Field.Store.YES));
        d.add(new StoredField(Schema.FILE_MODE, f.mode()));
        d.add(new KeywordField(Schema.SCOPE, scope, Field.Store.YES));
        d.add(new StoredField(Schema.ELF_CLASS, elf.is64() ? "ELF64" : "ELF32"));
        d.add(new StoredField(Schema.ELF_MACHINE, ElfConstants.machineName(elf.machine())));
        d.add(new StoredField(Schema.ELF_TYPE, ElfConstants.typeName(elf.type())));
        if (elf.soname() != null) {
            d.add(new StoredField(Schema.ELF_SONAME, elf.soname()));
        }
        boolean versioned = elf.hasSymbolVersions();
        d.add(new StoredField(Schema.ELF_VERSIONED, Boolean.toString(versioned)));
        if (elf.interpreter() != null) {
            d.add(new StoredField(Schema.ELF_INTERP, elf.interpreter()));
        }
        elf.needed().forEach(n -> d.add(new StoredField(Schema.ELF_NEEDED, n)));
        elf.versionNeeds().forEach(vn -> d.add(new StoredField(Schema.ELF_VERNEED, vn.file())));
        elf.runpath().forEach(r -> d.add(new StoredField(Schema.ELF_RUNPATH, r)));
        elf.rpath().forEach(r -> d.add(new StoredField(Schema.ELF_RPATH, r)));
        f.caps().provides().forEach(c -> d.add(new StoredField(Schema.FILE_PROVIDES, c)));
        f.caps().requires().forEach(c -> d.add(new StoredField(Schema.FILE_REQUIRES, c)));
        for (Warning w : f.warnings()) {
            d.add(new StoredField(Schema.WARNING, w.format(stamp.file())));
        }
        List<SymbolTable.Symbol> table = withSymbols ? SymbolTable.of(elf) : null;
        if (table != null) {
            d.add(new StoredField(Schema.SYMBOL_TABLE, SymbolTable.encode(table)));
        }
        List<String> verneed = elf.versionNeeds().stream().map(vn -> vn.file()).toList();
        fileTerms(d, scope, Schema.lookupName(elf, f.path()), elf.needed(), verneed, f.caps().provides(),
                f.caps().requires(), table, terms);
        links(d, f.links(), terms);
        return d;
    }

    /** The symlinks to the file, stored and indexed as one field (Schema.FILE_LINK); an over-long one is left out. */
    private static void links(Document d, List<String> links, Terms terms) {
        for (String l : links) {
            if (utf8Length(l) <= MAX_TERM_BYTES) {
                d.add(new StringField(Schema.FILE_LINK, l, Field.Store.YES));
            } else {
                terms.warnings().add(terms.packageFile() + "!" + terms.path() + ": symlink " + l.substring(0, 80)
                        + "... left out of the index terms");
            }
        }
    }

    /**
     * The searchable terms of a file document, from its values: the one place both a scan
     * ({@link #map}) and a label-only rewrite from stored fields ({@link #relabel}) make them, so the two
     * cannot index a file differently.
     */
    private static void fileTerms(Document d, String scope, String lookupName, List<String> needed,
                                  List<String> verneed, List<String> provides, List<String> requires,
                                  List<SymbolTable.Symbol> table, Terms terms) {
        terms.add(d, Schema.scoped(Schema.SONAME, scope), lookupName, "soname");
        Set<String> needs = new LinkedHashSet<>(needed);
        needs.addAll(verneed);
        String neededField = Schema.scoped(Schema.NEEDED, scope);
        needs.forEach(n -> terms.add(d, neededField, n, "needed soname"));
        String prov = Schema.scoped(Schema.PROV, scope);
        provides.forEach(c -> terms.add(d, prov, c, "capability"));
        if (Satisfaction.providesRtld(provides)) {
            // Issue 5: a glibc loader satisfies rtld(GNU_HASH) in its scope; a term, not a stored
            // provide, so `provides PKG` still prints exactly what elfdeps derives.
            d.add(new Field(prov, Schema.RTLD_GNU_HASH, Schema.TERM_ONLY));
        }
        String req = Schema.scoped(Schema.REQ, scope);
        requires.forEach(c -> terms.add(d, req, c, "capability"));
        if (table != null) {
            String def = Schema.scoped(Schema.SYM_DEF, scope);
            String ref = Schema.scoped(Schema.SYM_REF, scope);
            // The same name can appear twice in .dynsym (rare, but legal); one term per document is enough.
            String facts = Schema.scoped(Schema.SYM_REF_FACTS, scope);
            Set<String> defs = new LinkedHashSet<>();
            Set<String> refs = new LinkedHashSet<>();
            for (SymbolTable.Symbol s : table) {
                if (s.defined()) {
                    defs.add(s.versionedName());
                } else if (refs.add(s.versionedName())) {
                    String f = SymbolTable.factsTerm(s);
                    if (utf8Length(f) <= MAX_TERM_BYTES) {
                        // Over the limit it is not an error: the details of that import come from the stored table.
                        d.add(new Field(facts, f, Schema.TERM_ONLY));
                    }
                }
            }
            defs.forEach(t -> terms.add(d, def, t, "symbol"));
            refs.forEach(t -> terms.add(d, ref, t, "symbol"));
        }
    }

}
