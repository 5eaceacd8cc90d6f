package org.symdex.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.symdex.cap.Scope;
import org.symdex.elf.DynamicSymbol;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;
import org.symdex.elf.Section;
import org.symdex.elf.VersionNeed;
import org.symdex.scan.ScannedFile;

/**
 * What closure and symbol binding need to know about one ELF file of an archive.
 *
 * @param soname     the name ld.so finds this file by: DT_SONAME, else the file's base name
 * @param versioned  whether the file has .gnu.version; an object without it matches any version (glibc)
 * @param requires   the file's elfdeps requires
 * @param provides   the file's elfdeps provides
 */
public record FileFacts(PackageRef pkg, String path, Scope scope, String soname, List<String> needed,
                        boolean versioned, List<String> provides, List<String> requires,
                        List<Export> exports, List<Import> imports) {

    public FileFacts {
        needed = List.copyOf(needed);
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
        exports = List.copyOf(exports);
        imports = List.copyOf(imports);
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
        String soname = elf.soname();
        if (soname == null || soname.isEmpty()) {
            soname = f.path().substring(f.path().lastIndexOf('/') + 1);
        }
        boolean versioned = false;
        for (Section s : elf.sections()) {
            versioned |= s.type() == ElfConstants.SHT_GNU_VERSYM;
        }
        Map<Integer, String> fileOfVersion = new HashMap<>();
        for (VersionNeed n : elf.versionNeeds()) {
            for (VersionNeed.Aux a : n.versions()) {
                fileOfVersion.putIfAbsent(a.index() & ElfConstants.VERSYM_INDEX_MASK, n.file());
            }
        }
        List<Export> exports = new ArrayList<>();
        List<Import> imports = new ArrayList<>();
        for (DynamicSymbol s : elf.dynamicSymbols()) {
            if (s.binding() == ElfConstants.STB_LOCAL) {
                continue;
            }
            if (s.isDefined()) {
                exports.add(new Export(s.name(), s.version(), s.versionIndex(), s.hidden()));
            } else {
                String file = s.version() == null ? null : fileOfVersion.get(s.versionIndex());
                imports.add(new Import(s.name(), file == null ? null : s.version(), file, s.isWeak(), s.hidden()));
            }
        }
        return new FileFacts(pkg, f.path(), Scope.of(elf), soname, elf.needed(), versioned, f.caps().provides(),
                f.caps().requires(), exports, imports);
    }
}
