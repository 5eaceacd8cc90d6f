package org.symdex.cli;

import picocli.CommandLine.Command;

/** {@code symdex provides PKG}. */
@Command(name = "provides", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print what an indexed package provides, as 'rpm -qp --provides' lists it: its ELF "
                + "files' capabilities exactly as elfdeps derives them and, for an rpm, the header's "
                + "declared provides ('name' or 'name OP evr'); unique, sorted bytewise. Every package "
                + "matching PKG is printed."},
        footer = {"", "Examples:",
                "  symdex provides libssl3",
                "  symdex provides libc6:i386=2.36-9+deb12u4",
                "  symdex provides --format tsv zlib1g:amd64",
                "",
                "text: a 'NAME-VERSION.ARCH from LABEL (PACKAGE-FILE):' line per package, then its list. "
                        + "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for the rpm header), CAPABILITY, LABELS.",
                "Exit codes: 0 found, 1 no such package, 2 bad usage or no index, 70 internal error."})
final class ProvidesCommand extends PackageListCommand {
    @Override
    String command() {
        return "provides";
    }

    @Override
    boolean provides() {
        return true;
    }
}
