package org.symdex.cli;

import picocli.CommandLine.Command;

/** {@code symdex whatexports SYMBOL...}. */
@Command(name = "whatexports", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the ELF files in the index that define (export) a dynamic symbol: name@@VERSION the "
                + "default definition, name@VERSION a hidden one, name an unversioned one; a glob runs over the "
                + "defined-symbol dictionary of each scope. Needs an index built with symbols (the default). "
                + "Several arguments are a union."},
        footer = {"", "Examples:",
                "  symdex whatexports EVP_CIPHER_CTX_cleanup",
                "  symdex whatexports 'memcpy@GLIBC_2.2.5'                  # the default and the hidden definition",
                "  symdex whatexports 'memcpy@@GLIBC_2.14'                  # the default only",
                "  symdex whatexports --packages 'EVP_*'",
                "",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH, SYMBOL (name@@VERSION, name@VERSION or name, "
                        + "as indexed; demangled with --demangle), LABELS; lines sorted bytewise. With --packages: "
                        + "NAME, VERSION, ARCH, PACKAGE-FILE, LABELS.",
                "Exit codes: 0 found (for any argument), 1 nothing found, 2 bad usage, no index or an index built "
                        + "--no-symbols, 70 internal error."})
final class WhatExportsCommand extends SymbolQueryCommand {
    @Override
    String command() {
        return "whatexports";
    }

    @Override
    boolean exports() {
        return true;
    }
}
