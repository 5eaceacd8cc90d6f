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

    /** What one package became. */
    public record Mapped(List<Document> documents, int elfFiles, long capabilities) {
        public Mapped {
            documents = List.copyOf(documents);
        }
    }

    /** @param withSymbols index dynamic symbols (the largest part of the index; the upgrade reports need them) */
    public DocumentMapper(boolean withSymbols) {
        this.withSymbols = withSymbols;
    }

    /** The package document first, then one document per ELF file in the scan's (path) order. */
    public Mapped map(PackageStamp stamp, String sha256, PackageScan scan) {
        PackageInfo info = scan.info();
        String evr = Schema.evr(info.epoch(), info.version(), info.release());
        String source = Schema.sourceName(info);
        List<Document> docs = new ArrayList<>(1 + scan.files().size());
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
        p.add(new StoredField(Schema.PKG_SHA256, sha256));
        stampFields(p, stamp);
        p.add(new StoredField(Schema.PKG_ELF_FILES, scan.files().size()));
        // Only rpm declares elfdeps-shaped capabilities in its header; Debian's relations are
        // package names and version bounds, which the elfdeps-level queries do not judge (issue 4 item 1).
        if (info.format() == PackageFormat.RPM && !info.isSourceRpm()) {
            String scope = Schema.scopeOfArch(info.arch());
            capabilities += declared(p, Schema.PROV, Schema.DECL_PROVIDES, scope, info.provides());
            capabilities += declared(p, Schema.REQ, Schema.DECL_REQUIRES, scope, info.requires());
        }
        for (Warning w : scan.warnings()) {
            p.add(new StoredField(Schema.WARNING, w.format(stamp.file())));
        }
        docs.add(p);

        for (ScannedFile f : scan.files()) {
            docs.add(file(stamp, info, evr, source, f));
            capabilities += f.caps().provides().size() + f.caps().requires().size();
        }
        return new Mapped(docs, scan.files().size(), capabilities);
    }

    /** The document that records a package that could not be read, replacing whatever was indexed for it. */
    public static Document failure(PackageStamp stamp, String message) {
        Document d = new Document();
        d.add(new StringField(Schema.KIND, Schema.KIND_FAILURE, Field.Store.NO));
        d.add(new KeywordField(Schema.PKG_FILE, stamp.file(), Field.Store.YES));
        d.add(new KeywordField(Schema.PKG_LABEL, stamp.label(), Field.Store.YES));
        stampFields(d, stamp);
        d.add(new StoredField(Schema.FAILURE_MESSAGE, message));
        return d;
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
        d.add(new KeywordField(Schema.PKG_LABEL, stamp.label(), Field.Store.YES));
    }

    private static long declared(Document d, String base, String storedName, String scope, List<Dependency> deps) {
        String field = Schema.scoped(base, scope);
        Set<String> names = new LinkedHashSet<>();
        for (Dependency dep : deps) {
            d.add(new StoredField(storedName, rpmFormat(dep)));
            names.add(dep.name());
        }
        for (String n : names) {
            d.add(new Field(field, n, Schema.TERM_ONLY));
        }
        return names.size();
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

    private Document file(PackageStamp stamp, PackageInfo info, String evr, String source, ScannedFile f) {
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
        d.add(new Field(Schema.scoped(Schema.SONAME, scope), Schema.lookupName(elf, f.path()), Schema.TERM_ONLY));
        boolean versioned = elf.hasSymbolVersions();
        d.add(new StoredField(Schema.ELF_VERSIONED, Boolean.toString(versioned)));
        if (elf.interpreter() != null) {
            d.add(new StoredField(Schema.ELF_INTERP, elf.interpreter()));
        }
        Set<String> needs = new LinkedHashSet<>();
        for (String n : elf.needed()) {
            d.add(new StoredField(Schema.ELF_NEEDED, n));
            needs.add(n);
        }
        elf.versionNeeds().forEach(vn -> needs.add(vn.file()));
        String neededField = Schema.scoped(Schema.NEEDED, scope);
        needs.forEach(n -> d.add(new Field(neededField, n, Schema.TERM_ONLY)));
        elf.runpath().forEach(r -> d.add(new StoredField(Schema.ELF_RUNPATH, r)));
        elf.rpath().forEach(r -> d.add(new StoredField(Schema.ELF_RPATH, r)));

        String prov = Schema.scoped(Schema.PROV, scope);
        for (String c : f.caps().provides()) {
            d.add(new StoredField(Schema.FILE_PROVIDES, c));
            d.add(new Field(prov, c, Schema.TERM_ONLY));
        }
        if (Satisfaction.providesRtld(f.caps().provides())) {
            // Issue 5: a glibc loader satisfies rtld(GNU_HASH) in its scope; a term, not a stored
            // provide, so `provides PKG` still prints exactly what elfdeps derives.
            d.add(new Field(prov, Schema.RTLD_GNU_HASH, Schema.TERM_ONLY));
        }
        String req = Schema.scoped(Schema.REQ, scope);
        for (String c : f.caps().requires()) {
            d.add(new StoredField(Schema.FILE_REQUIRES, c));
            d.add(new Field(req, c, Schema.TERM_ONLY));
        }
        for (Warning w : f.warnings()) {
            d.add(new StoredField(Schema.WARNING, w.format(stamp.file())));
        }
        if (withSymbols) {
            symbols(d, elf, scope);
        }
        return d;
    }

    private static void symbols(Document d, ElfFile elf, String scope) {
        List<SymbolTable.Symbol> table = SymbolTable.of(elf);
        String def = Schema.scoped(Schema.SYM_DEF, scope);
        String ref = Schema.scoped(Schema.SYM_REF, scope);
        // The same name can appear twice in .dynsym (rare, but legal); one term per document is enough.
        Set<String> defs = new LinkedHashSet<>();
        Set<String> refs = new LinkedHashSet<>();
        for (SymbolTable.Symbol s : table) {
            (s.defined() ? defs : refs).add(s.versionedName());
        }
        defs.forEach(t -> d.add(new Field(def, t, Schema.TERM_ONLY)));
        refs.forEach(t -> d.add(new Field(ref, t, Schema.TERM_ONLY)));
        d.add(new StoredField(Schema.SYMBOL_TABLE, SymbolTable.encode(table)));
    }
}
