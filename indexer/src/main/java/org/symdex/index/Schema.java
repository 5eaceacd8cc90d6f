package org.symdex.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.symdex.cap.Satisfaction;
import org.symdex.cap.Scope;
import org.symdex.elf.ElfFile;
import org.symdex.pkg.PackageFormat;
import org.symdex.pkg.PackageInfo;

/**
 * Every field name of the index, its Lucene type and the reason for it, in one place (OpenGrok's
 * QueryBuilder idea, style.md §3b). docs/index-schema.md is the long form and says how each query of
 * issues 5 and 6 reads these fields.
 *
 * <p>Three kinds of document, told apart by {@link #KIND}: one {@code package} document per indexed
 * package, one {@code file} document per analysed ELF file, one {@code failure} document per package
 * that could not be read. All documents of one package share {@link #PKG_FILE}, so the whole set is
 * replaced or deleted with one {@code updateDocuments(term, docs)} call, atomically.
 *
 * <p>Capabilities, sonames and symbols are scoped: their terms live in a field per scope,
 * {@code prov:x86-64/64}, {@code req:i386/32}, ... A scope is the ELF machine and class
 * ({@link #scopeOf(ElfFile)}); a declared rpm capability takes the scope of its package's
 * architecture ({@link #scopeOfArch(String)}). With the scope in the field name, the terms are the
 * capability strings themselves: an exact query is one seek, a glob is one automaton run over each
 * scope's dictionary, and {@code broken} is a merge of each scope's sorted {@code req:} and
 * {@code prov:} dictionaries, with no document read until a term is known to be unsatisfied.
 *
 * <p>Strings are ISO-8859-1 decoded ELF bytes (one char per byte); Lucene stores them as UTF-8, whose
 * byte order equals code point order, so term order is still the bytewise order of the ELF names.
 */
public final class Schema {
    /**
     * Layout of the documents. Bump on any change of a field name, type or term form, and edit
     * docs/index-schema.md too. A run refuses an index of another version (or rebuilds with --rebuild).
     */
    public static final int SCHEMA_VERSION = 3; // 2: elf.verneed stored (a label-only rewrite needs it); 3: pkg.sha256 searchable, pkg.location, pkg.checksum, file.link

    /**
     * What produced the field values: the ELF reader, the elfdeps rules of CapabilityDeriver, the
     * package scanner's choice of files, and the symbol table encoding. Bump when any of them changes
     * what a package yields, so an index built under old rules is detected (OpenGrok's
     * AnalyzerGuru.getVersionNo). Edit the comment in docs/index-schema.md too!
     */
    public static final int EXTRACTOR_VERSION = 3; // 2: source rpms are no longer indexed as binaries; 3: copy-relocated definitions are name@V

    // ---- commit user data keys ---------------------------------------------------------------------
    public static final String DATA_SCHEMA = "symdex.schema";
    public static final String DATA_EXTRACTOR = "symdex.extractor";
    /** "true" when symbols are indexed; a run with the other setting would mix both, so it refuses. */
    public static final String DATA_SYMBOLS = "symdex.symbols";
    /** ISO-8601 instants of the last run: when it started, and when it finished (absent while it runs). */
    public static final String DATA_RUN_STARTED = "symdex.run.started";
    public static final String DATA_RUN_FINISHED = "symdex.run.finished";
    /** The last run's summary line, for {@code symdex info}. */
    public static final String DATA_RUN_SUMMARY = "symdex.run.summary";
    /**
     * What the runs read of each source (repository issue): a JSON array, one object per source, with
     * its line, id, labels, metadata URI and checksum, skip key, Release date and status
     * ({@link SourceRecord}); an unchanged source is skipped without listing it again.
     */
    public static final String DATA_SOURCES = "symdex.sources";
    /**
     * Packages of this run whose documents the commit holds, and packages the run had to read (not
     * counting those it skipped as unchanged). Written on every commit, so a reader of a commit without
     * {@link #DATA_RUN_FINISHED} can say how much of the run it holds (RunState).
     */
    /**
     * When the index was created (its first run started; --rebuild starts anew), and how many nights it
     * has had, kept or not: together they tell a REF before the index existed (diff's "first night")
     * from one --keep dropped.
     */
    public static final String DATA_CREATED = "symdex.created";
    public static final String DATA_NIGHTS = "symdex.nights";
    public static final String DATA_RUN_DONE = "symdex.run.done";
    public static final String DATA_RUN_TOTAL = "symdex.run.total";

    // ---- fields of every document ------------------------------------------------------------------
    /**
     * package | file | failure. StringField, not stored: only ever a filter (count the packages, list
     * the failures); three terms with long postings, no doc values needed.
     */
    public static final String KIND = "kind";
    public static final String KIND_PACKAGE = "package";
    public static final String KIND_FILE = "file";
    public static final String KIND_FAILURE = "failure";

    /**
     * Absolute normalised path of the package file: the identity of a package in the index, the term
     * that updateDocuments and --prune delete by. KeywordField (exact key; sorted doc values let the
     * query side group hits by package without stored-field reads), stored for display (PACKAGE-FILE).
     */
    public static final String PKG_FILE = "pkg.file";

    // ---- package identity, on package and file documents -------------------------------------------
    /**
     * Package name. KeywordField, stored. Repeated on file documents so that {@code provides NAME}
     * and the tsv NAME column need no join (lucene-core has none): a few bytes per file.
     */
    public static final String PKG_NAME = "pkg.name";
    /** Package architecture label (amd64, x86_64, all, noarch). KeywordField, stored; --arch filters on it. */
    public static final String PKG_ARCH = "pkg.arch";
    /**
     * {@code [EPOCH:]VERSION[-RELEASE]}: the Debian version verbatim or rpm's EVR, as the tsv VERSION
     * column prints it and {@code NAME=VERSION} matches it. KeywordField, stored.
     */
    public static final String PKG_EVR = "pkg.evr";
    /**
     * Source package name ({@link #sourceName}: Debian Source without its version, rpm SOURCERPM
     * without version and release). KeywordField, stored: --not-source and --whole-sources filter on
     * it, reports name it.
     */
    public static final String PKG_SOURCE = "pkg.source";

    // ---- package documents only ----------------------------------------------------------------------
    /** deb | rpm. KeywordField, stored: counts per format in {@code symdex info}. */
    public static final String PKG_FORMAT = "pkg.format";
    /** Stored only: displayed, never searched. */
    public static final String PKG_EPOCH = "pkg.epoch";
    public static final String PKG_VERSION = "pkg.version";
    public static final String PKG_RELEASE = "pkg.release";
    /** Debian Source or rpm SOURCERPM as the package states it. Stored only. */
    public static final String PKG_SOURCE_RAW = "pkg.source.raw";
    public static final String PKG_MULTI_ARCH = "pkg.multiarch";
    public static final String PKG_INSTALLED_SIZE = "pkg.installed";
    public static final String PKG_COMPRESSOR = "pkg.compressor";
    /**
     * Hex SHA-256 of the package file, computed while it is read. KeywordField, stored: a package a
     * source lists is known by it, under whatever URI (repository issue, item 5).
     */
    public static final String PKG_SHA256 = "pkg.sha256";
    /**
     * Every location of a package a source lists (URIs, bytewise order; {@link #PKG_FILE} is the
     * first). Absent for packages found by walking a path. KeywordField, stored.
     */
    public static final String PKG_LOCATION = "pkg.location";
    /**
     * The checksum a source declared when it is not SHA-256 (rpm-md {@code sha1}, {@code sha512}), as
     * {@code TYPE:HEX}; a listed package is skipped on it or on its SHA-256. KeywordField, stored.
     */
    public static final String PKG_CHECKSUM = "pkg.checksum";
    /**
     * Label of the run that indexed the package (bookworm/main). KeywordField, stored: {@code info}
     * lists the labels from the terms dictionary; queries print {@code from LABEL}.
     */
    public static final String PKG_LABEL = "pkg.label";
    /**
     * File size and mtime (nanoseconds since the epoch) when indexed: the incremental skip compares
     * them with the file on disk. LongField, stored (read once per run for every package; a range
     * query on mtime answers "indexed since").
     */
    public static final String PKG_SIZE = "pkg.size";
    public static final String PKG_MTIME = "pkg.mtime";
    /** Number of ELF file documents of the package. Stored only. */
    public static final String PKG_ELF_FILES = "pkg.elffiles";
    /**
     * rpm's declared provides and requires as {@code rpm -qp --provides} prints them
     * ({@code name [op version]}), in header order. Stored only: {@code provides PKG} prints them; the
     * searchable names are in the scoped {@link #PROV}/{@link #REQ} fields of the package document.
     */
    public static final String DECL_PROVIDES = "decl.provides";
    public static final String DECL_REQUIRES = "decl.requires";
    /** Scanner warnings, formatted {@code PACKAGE!/path: reason}. Stored only. */
    public static final String WARNING = "warning";

    // ---- failure documents -------------------------------------------------------------------------
    /** Why the package could not be read (one line). Stored only; failure documents also carry PKG_SIZE/PKG_MTIME/PKG_LABEL. */
    public static final String FAILURE_MESSAGE = "failure.message";

    // ---- file documents ----------------------------------------------------------------------------
    /** Installed path, starting with "/". KeywordField, stored: shown on every hit, and "who ships PATH". */
    public static final String FILE_PATH = "file.path";
    /**
     * The package's symlinks that resolve to this ELF file ({@code /usr/lib/x86_64-linux-gnu/libz.so.1}
     * for {@code libz.so.1.2.13}; issue 16): the path people know is usually the soname link. StringField,
     * stored and indexed, no doc values: {@code whatprovides PATH} looks paths up in this dictionary and in
     * {@link #FILE_PATH}'s; a label-only rewrite makes the field again from the stored values.
     */
    public static final String FILE_LINK = "file.link";
    /** Installed permission bits (they gate requires). Stored only. */
    public static final String FILE_MODE = "file.mode";
    /**
     * The file's scope, {@code MACHINE/CLASS}. KeywordField, stored: the scoped fields below are named
     * after it, and a reader learns the scopes present from this field's terms.
     */
    public static final String SCOPE = "scope";
    /** ELF32 | ELF64, machine name, e_type name: stored only (display). */
    public static final String ELF_CLASS = "elf.class";
    public static final String ELF_MACHINE = "elf.machine";
    public static final String ELF_TYPE = "elf.type";
    /** DT_SONAME, stored for display; searched through the scoped {@link #SONAME} field. */
    public static final String ELF_SONAME = "elf.soname";
    /** "true" when the file has .gnu.version: an object without it matches any version (glibc). Stored only. */
    public static final String ELF_VERSIONED = "elf.versioned";
    /** DT_NEEDED in dynamic-section order (ld.so searches breadth-first in that order). Stored, multi-valued. */
    public static final String ELF_NEEDED = "elf.needed";
    /**
     * The files its Verneed entries name (ld.so checks versions there). Stored only, multi-valued: with
     * DT_NEEDED they make the {@link #NEEDED} terms, which a label-only rewrite makes again from stored
     * fields (DocumentMapper.relabel).
     */
    public static final String ELF_VERNEED = "elf.verneed";
    public static final String ELF_RUNPATH = "elf.runpath";
    public static final String ELF_RPATH = "elf.rpath";
    public static final String ELF_INTERP = "elf.interp";
    /**
     * The file's provides and requires exactly as elfdeps derives them, sorted and unique. Stored
     * only, multi-valued: {@code provides PKG} reads them per document. The searchable copies are the
     * scoped terms; doc values there would duplicate the biggest dictionary for a per-package read.
     */
    public static final String FILE_PROVIDES = "file.provides";
    public static final String FILE_REQUIRES = "file.requires";
    /**
     * Each exported and imported dynamic symbol with version, index, hidden, binding and type,
     * encoded by {@link SymbolTable}. One stored binary value per file: the upgrade report reads a
     * library's whole table at once, which a stored blob serves in one decompression.
     */
    public static final String SYMBOL_TABLE = "sym.table";

    // ---- scoped term fields (indexed only, DOCS, no norms, no doc values) -------------------------
    /** Provides: capability strings, plus the synthetic rtld(GNU_HASH) on a glibc loader (issue 5). */
    public static final String PROV = "prov";
    /** Requires: capability strings. */
    public static final String REQ = "req";
    /**
     * The name ld.so finds the file by, DT_SONAME else the base name ({@link #lookupName}): resolves a
     * NEEDED entry within a scope (ArchiveView.filesWithSoname).
     */
    public static final String SONAME = "soname";
    /**
     * Sonames the file needs: its DT_NEEDED entries and its Verneed files (ArchiveView.filesNeeding):
     * "who links libfoo.so.1", even where no requires capability says so.
     */
    public static final String NEEDED = "needed";
    /**
     * Defined global/weak dynamic symbols as binutils writes them: {@code name@@V} (default),
     * {@code name@V} (hidden), {@code name} (unversioned, version index 0 or 1).
     */
    public static final String SYM_DEF = "def";
    /** Undefined global/weak dynamic symbols: {@code name@V} or {@code name}. */
    public static final String SYM_REF = "ref";
    /**
     * Undefined symbols with their facts ({@link SymbolTable#factsTerm}), the first of each term in table
     * order: whatimports --format json names the version, binding, type and Verneed file of thousands of
     * importers from these postings, not from each importer's stored table. Imports only: an exported
     * symbol is defined in one or two files, and the export dictionary is the index's largest.
     */
    public static final String SYM_REF_FACTS = "reff";

    /** Scope of declared capabilities of noarch/all packages ({@link Satisfaction#ANY}). */
    public static final String SCOPE_ANY = Satisfaction.ANY;
    public static final String RTLD_GNU_HASH = Satisfaction.RTLD_GNU_HASH;

    /**
     * Indexed, DOCS only, no norms, not tokenized, no doc values, not stored: the type of every scoped
     * term field. Same as StringField.TYPE_NOT_STORED, named here so the reason sits with it.
     */
    public static final FieldType TERM_ONLY = StringField.TYPE_NOT_STORED;

    private static final String SEP = ":";

    private Schema() {
    }

    /** The field holding {@code base} terms of {@code scope}: {@code prov:x86-64/64}. */
    public static String scoped(String base, String scope) {
        return base + SEP + scope;
    }

    /** The scope of a scoped field name, or empty when {@code field} is not a {@code base:} field. */
    public static Optional<String> scopeOfField(String base, String field) {
        String prefix = base + SEP;
        return field.startsWith(prefix) ? Optional.of(field.substring(prefix.length())) : Optional.empty();
    }

    /**
     * The scoped {@code base} fields present in the index, e.g. every {@code prov:*}; a query runs
     * its term or automaton over each. Reads FieldInfos only.
     */
    public static List<String> scopedFields(IndexReader reader, String base) {
        TreeSet<String> names = new TreeSet<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            for (FieldInfo fi : leaf.reader().getFieldInfos()) {
                if (scopeOfField(base, fi.name).isPresent()) {
                    names.add(fi.name);
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** {@code MACHINE/CLASS}: {@code x86-64/64}, {@code i386/32}, {@code x86-64/32} (x32), {@code aarch64/64}. */
    public static String scopeOf(ElfFile elf) {
        return Scope.of(elf).toString();
    }

    /** The scope of a package architecture's declared capabilities ({@link Satisfaction#declaredScope}). */
    public static String scopeOfArch(String arch) {
        return Satisfaction.declaredScope(arch);
    }

    /**
     * The source package's name, as the reports compare it: Debian's Source without a "(version)",
     * or for rpm the SOURCERPM file name without "-VERSION-RELEASE.src.rpm"; the package's own name
     * when there is none. Same rules as report.ScanFacts.sourceName (index cannot import report; a
     * test checks both agree).
     */
    public static String sourceName(PackageInfo info) {
        String src = info.sourcePackage().orElse(info.name()).strip();
        if (info.format() == PackageFormat.RPM) {
            if (src.endsWith(".src.rpm") || src.endsWith(".nosrc.rpm")) {
                src = src.substring(0, src.lastIndexOf(".", src.length() - ".rpm".length() - 1));
                for (int i = 0; i < 2 && src.lastIndexOf('-') > 0; i++) {
                    src = src.substring(0, src.lastIndexOf('-'));
                }
            }
            return src;
        }
        int space = src.indexOf(' ');
        return space < 0 ? src : src.substring(0, space);
    }

    /** The name ld.so finds a file by ({@link Satisfaction#lookupName}). */
    public static String lookupName(ElfFile elf, String path) {
        return Satisfaction.lookupName(elf.soname(), path);
    }

    /** {@code [EPOCH:]VERSION[-RELEASE]}. */
    public static String evr(Optional<Integer> epoch, String version, String release) {
        StringBuilder sb = new StringBuilder();
        epoch.ifPresent(e -> sb.append(e).append(':'));
        sb.append(version);
        if (!release.isEmpty()) {
            sb.append('-').append(release);
        }
        return sb.toString();
    }

    // ---- query factories ---------------------------------------------------------------------------

    /** All documents of the package file at {@code absolutePath}: package, files, or failure. */
    public static Term packageTerm(String absolutePath) {
        return new Term(PKG_FILE, absolutePath);
    }

    public static Query kind(String kind) {
        return new TermQuery(new Term(KIND, kind));
    }

    /** Exact term in one scope, e.g. {@code scopedExact(PROV, "x86-64/64", "libc.so.6()(64bit)")}. */
    public static Query scopedExact(String base, String scope, String value) {
        return new TermQuery(new Term(scoped(base, scope), value));
    }
}
