package org.symdex.query;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@code why PKG} for one package (issue 16, item 5): each requirement of it that nothing
 * satisfies, with the nearest facts, as dose explains a broken dependency.
 *
 * @param unsatisfied in file (header first, as PATH "-" sorts), then requirement order
 */
public record WhyReport(IndexedPackage pkg, List<Unsatisfied> unsatisfied) {
    public WhyReport {
        Objects.requireNonNull(pkg, "pkg");
        unsatisfied = List.copyOf(unsatisfied);
    }

    /**
     * One unsatisfied requirement.
     *
     * @param path the ELF file requiring it, null for the rpm header
     * @param sameSoname the indexed files that ld.so would find by the requirement's soname in a scope that
     *     meets (satisfies) this one, with the version nodes each defines
     * @param otherScopes the scopes, not meeting this one, where the same capability (or its form for the
     *     other word size, with or without elfdeps' {@code (64bit)}) is provided
     * @param otherLabels the labels of packages providing the same capability, other than this package's
     * @param symbols for a versioned requirement of an ELF file, each symbol it imports at that version
     *     from that soname, and where it is defined now
     */
    public record Unsatisfied(String path, String requirement, String scope, List<SonameFile> sameSoname,
                              List<String> otherScopes, List<String> otherLabels, List<SymbolFate> symbols) {
        public Unsatisfied {
            Objects.requireNonNull(requirement, "requirement");
            Objects.requireNonNull(scope, "scope");
            sameSoname = List.copyOf(sameSoname);
            otherScopes = List.copyOf(otherScopes);
            otherLabels = List.copyOf(otherLabels);
            symbols = List.copyOf(symbols);
        }

        /** PATH as tsv prints it: "-" for the rpm header. */
        public String pathOrDash() {
            return path == null ? "-" : path;
        }
    }

    /** A file ld.so finds by the soname, and the version nodes it defines (sorted bytewise). */
    public record SonameFile(IndexedPackage pkg, String path, List<String> versions) {
        public SonameFile {
            versions = List.copyOf(versions);
        }
    }

    /** A symbol imported at the missing version, and its definitions in scopes that meet the file's. */
    public record SymbolFate(String name, String version, List<Definition> nowDefinedIn) {
        public SymbolFate {
            nowDefinedIn = List.copyOf(nowDefinedIn);
        }
    }

    /**
     * One definition of a symbol.
     *
     * @param symbol the term as indexed ({@code name@@V}, {@code name@V} or {@code name})
     * @param version V, or null for an unversioned definition
     * @param hidden {@code name@V}: not the default, so only a reference naming V binds to it
     */
    public record Definition(IndexedPackage pkg, String path, String symbol, String version, boolean hidden) {
    }
}
