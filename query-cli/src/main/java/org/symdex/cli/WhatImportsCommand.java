package org.symdex.cli;

import picocli.CommandLine.Command;

/** {@code symdex whatimports SYMBOL...}. */
@Command(name = "whatimports", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the ELF files in the index that import a dynamic symbol (undefined in .dynsym), at a "
                + "version or any; a glob runs over the imported-symbol dictionary of each scope. Needs an index "
                + "built with symbols (the default). Several arguments are a union."},
        footer = {"", "Examples:",
                "  symdex whatimports EVP_CIPHER_CTX_cleanup                 # who still calls it, at any version",
                "  symdex whatimports --packages gets",
                "  symdex whatimports 'memcpy@GLIBC_2.2.5'",
                "  symdex whatimports --format tsv '*@GLIBC_PRIVATE'",
                "  symdex whatimports --demangle '_ZNSt7__cxx11*'",
                "",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH, SYMBOL (name@VERSION or name, as indexed; "
                        + "demangled with --demangle), LABELS; lines sorted bytewise. With --packages: NAME, VERSION, "
                        + "ARCH, PACKAGE-FILE, LABELS.",
                "Exit codes: 0 found (for any argument), 1 nothing found, 2 bad usage, no index or an index built "
                        + "--no-symbols, 70 internal error."})
final class WhatImportsCommand extends SymbolQueryCommand {
    @Override
    String command() {
        return "whatimports";
    }

    @Override
    boolean exports() {
        return false;
    }
}
