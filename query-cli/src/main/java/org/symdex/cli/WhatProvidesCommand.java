package org.symdex.cli;

import java.util.List;
import org.symdex.index.IndexException;
import org.symdex.index.Schema;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.PathPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code symdex whatprovides CAP|SONAME|PATH|GLOB...}. */
@Command(name = "whatprovides", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the files (and rpm headers) in the index that provide a capability, or any "
                + "capability a glob matches; a soname argument ('.so', no '(' or '/') matches the soname and "
                + "every SONAME(... capability; a PATH (or a glob starting with '/') lists the packages shipping "
                + "that ELF file, or a symlink to one, at it or its merged-/usr twin. The glob runs over the terms "
                + "dictionary of each scope (ELF machine and class), never over documents. A glibc dynamic "
                + "loader also provides rtld(GNU_HASH) in its scope. Several arguments are a union."},
        footer = {"", "Examples:",
                "  symdex whatprovides 'libc.so.6(GLIBC_2.34)(64bit)'",
                "  symdex whatprovides --format tsv 'libcrypto.so.3(OPENSSL_3.0.*)(64bit)'",
                "  symdex whatprovides --arch i386 'libc.so.6(GLIBC_2.0)'",
                "  symdex whatprovides 'rtld(GNU_HASH)'",
                "  symdex whatprovides libz.so.1                                   # a soname",
                "  symdex whatprovides --packages /usr/lib/x86_64-linux-gnu/libz.so.1  # who ships this path",
                "",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for a capability the rpm header "
                        + "declares), CAPABILITY (the matched capability, not the glob; for a PATH argument the "
                        + "indexed path that matched: the ELF file's or its symlink's), LABELS (',' between "
                        + "labels, '-' for none); lines sorted bytewise. With --packages: NAME, VERSION, ARCH, "
                        + "PACKAGE-FILE, LABELS.",
                "Exit codes: 0 found (for any argument), 1 nothing found, 2 bad usage or no index, 70 internal error."})
final class WhatProvidesCommand extends CapabilityQueryCommand {
    @Parameters(paramLabel = "CAP", arity = "1..*", description = CAP_HELP
            + " An argument starting with '/' is a PATH (a glob too): the ELF file there, or a symlink to one.")
    List<String> arguments = List.of();

    @Override
    List<String> arguments() {
        return arguments;
    }
    @Override
    String command() {
        return "whatprovides";
    }

    @Override
    int run(CapabilityIndex idx, java.io.PrintWriter out) throws IndexException {
        parseAll(a -> {
            if (PathPattern.isPath(a)) {
                argument(PathPattern::of, a);
            } else {
                pattern(a);
            }
        });
        return super.run(idx, out);
    }

    @Override
    List<CapabilityHit> answer(CapabilityIndex idx, String argument) throws IndexException {
        if (PathPattern.isPath(argument)) {
            return idx.whoShips(argument(PathPattern::of, argument), filter());
        }
        return idx.whoProvides(pattern(argument), filter());
    }

    @Override
    String nothing(String argument) {
        if (PathPattern.isPath(argument)) {
            return "no indexed ELF file at " + argument + " (symdex indexes ELF files only)";
        }
        return super.nothing(argument);
    }

    @Override
    String elsewhere(CapabilityIndex idx, String argument) throws IndexException {
        return !PathPattern.isPath(argument) && idx.capabilityElsewhere(Schema.PROV, argument)
                ? "it is required (whatrequires)" : null;
    }

    @Override
    List<String> suggestions(CapabilityIndex idx, String argument) throws IndexException {
        return PathPattern.isPath(argument) ? List.of() : idx.suggestCapabilities(Schema.PROV, argument);
    }
}
