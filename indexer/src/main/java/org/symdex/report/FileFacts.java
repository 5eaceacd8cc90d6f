package org.symdex.report;

import java.util.ArrayList;
import java.util.List;
import org.symdex.cap.Satisfaction;
import org.symdex.index.IndexException;
import org.symdex.cap.Scope;
import org.symdex.elf.DynamicSymbol;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;
import org.symdex.scan.ScannedFile;

/**
 * What closure and symbol binding need to know about one ELF file of an archive. Equality is identity:
 * each view hands out one instance per file, and reports put thousands of them in sets, where hashing
 * symbol lists would dominate.
 *
 * @param soname     the name ld.so finds this file by: DT_SONAME, else the file's base name
 * @param versioned  whether the file has .gnu.version; an object without it matches any version (glibc)
 * @param requires   the file's elfdeps requires
 * @param provides   the file's elfdeps provides
 */
public final class FileFacts {
    private final PackageRef pkg;
    private final String path;
    private final Scope scope;
    private final String soname;
    private final List<String> needed;
    private final boolean versioned;
    private final List<String> provides;
    private final List<String> requires;
    private final SymbolSource symbols;

    public FileFacts(PackageRef pkg, String path, Scope scope, String soname, List<String> needed, boolean versioned,
                     List<String> provides, List<String> requires, List<Export> exports, List<Import> imports) {
        this(pkg, path, scope, soname, needed, versioned, provides, requires, SymbolSource.of(exports, imports));
    }

    /** Facts whose symbols come from {@code symbols}, decoded when and as far as a report asks. */
    public FileFacts(PackageRef pkg, String path, Scope scope, String soname, List<String> needed, boolean versioned,
                     List<String> provides, List<String> requires, SymbolSource symbols) {
        this.pkg = pkg;
        this.path = path;
        this.scope = scope;
        this.soname = soname;
        this.needed = List.copyOf(needed);
        this.versioned = versioned;
        this.provides = List.copyOf(provides);
        this.requires = List.copyOf(requires);
        this.symbols = symbols;
    }

    public PackageRef pkg() {
        return pkg;
    }

    public String path() {
        return path;
    }

    public Scope scope() {
        return scope;
    }

    public String soname() {
        return soname;
    }

    public List<String> needed() {
        return needed;
    }

    public boolean versioned() {
        return versioned;
    }

    public List<String> provides() {
        return provides;
    }

    public List<String> requires() {
        return requires;
    }

    public List<Export> exports() throws IndexException {
        return symbols.exports();
    }

    public List<Import> imports() throws IndexException {
        return symbols.imports();
    }

    public int exportCount() throws IndexException {
        return symbols.exportCount();
    }

    /** The definitions of one symbol name, in table order. */
    public List<Export> exportsNamed(String name) throws IndexException {
        return symbols.exportsNamed(name);
    }

    @Override
    public String toString() {
        return pkg.nevra() + "!" + path;
    }

    /** A defined dynamic symbol: version null for index 0/1 (unversioned or base). */
    public record Export(String name, String version, int index, boolean hidden) {
    }

    /**
     * An undefined dynamic symbol. {@code version} and {@code file} come from the verneed entry its
     * .gnu.version index names (file = the soname that must define the version), both null when
     * unversioned.
     */
    public record Import(String name, String version, String file, boolean weak, boolean hidden) {
        /** {@code sym@VERSION} or {@code sym}, as ld.so names a missing symbol. */
        public String label() {
            return version == null ? name : name + "@" + version;
        }
    }

    /** Facts of a scanned file; the ElfFile must have been parsed with symbols. */
    public static FileFacts of(PackageRef pkg, ScannedFile f) {
        ElfFile elf = f.elf();
        String soname = Satisfaction.lookupName(elf.soname(), f.path());
        List<Export> exports = new ArrayList<>();
        List<Import> imports = new ArrayList<>();
        for (DynamicSymbol s : elf.dynamicSymbols()) {
            if (s.binding() == ElfConstants.STB_LOCAL) {
                continue;
            }
            if (s.isDefined()) {
                exports.add(new Export(s.name(), s.version(), s.versionIndex(), s.hidden()));
            } else {
                String file = s.versionFile();
                imports.add(new Import(s.name(), file == null ? null : s.version(), file, s.isWeak(), s.hidden()));
            }
        }
        return new FileFacts(pkg, f.path(), Scope.of(elf), soname, elf.needed(), elf.hasSymbolVersions(), f.caps().provides(),
                f.caps().requires(), exports, imports);
    }
}
