package org.symdex.cli;

import java.io.PrintWriter;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.CapabilityPattern;
import picocli.CommandLine.Command;

/** {@code symdex whatprovides CAP}. */
@Command(name = "whatprovides", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the files (and rpm headers) in the index that provide a capability, or any "
                + "capability a glob matches. The glob runs over the terms dictionary of each scope (ELF "
                + "machine and class), never over documents. A glibc dynamic loader also provides "
                + "rtld(GNU_HASH) in its scope."},
        footer = {"", "Examples:",
                "  symdex whatprovides 'libc.so.6(GLIBC_2.34)(64bit)'",
                "  symdex whatprovides --format tsv 'libcrypto.so.3(OPENSSL_3.0.*)(64bit)'",
                "  symdex whatprovides --arch i386 'libc.so.6(GLIBC_2.0)'",
                "  symdex whatprovides 'rtld(GNU_HASH)'",
                "",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for a capability the rpm header "
                        + "declares), CAPABILITY (the matched capability, not the glob), LABELS (',' between labels, '-' for "
                        + "none); lines sorted bytewise.",
                "Exit codes: 0 found, 1 nothing found, 2 bad usage or no index, 70 internal error."})
final class WhatProvidesCommand extends CapabilityQueryCommand {
    @Override
    String command() {
        return "whatprovides";
    }

    @Override
    int runPattern(CapabilityIndex idx, PrintWriter out, CapabilityPattern pattern) throws IndexException {
        return flat(out, pattern, idx.whoProvides(pattern, filter()));
    }
}
