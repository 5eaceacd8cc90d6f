package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.CapabilityPattern;
import org.symdex.query.RequirerTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code symdex whatrequires CAP [--recursive]}. */
@Command(name = "whatrequires", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the files (and rpm headers) in the index that require a capability, or any "
                + "capability a glob matches. With --recursive, follow the chain upward: who requires "
                + "what those packages provide, and so on, printing the tree; each package appears once, "
                + "at the first level that reaches it."},
        footer = {"", "Examples:",
                "  symdex whatrequires 'libfoo.so.1(LIBFOO_1.0)(64bit)'",
                "  symdex whatrequires '*(GLIBC_PRIVATE)*' --not-source glibc     # glibc's private ABI, used outside glibc",
                "  symdex whatrequires --recursive --format json 'libssl.so.3()(64bit)'",
                "  symdex whatrequires --format tsv 'libstdc++.so.6(GLIBCXX_3.4.3?)*' | cut -f1 | sort -u",
                "",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for a capability the rpm header "
                        + "declares), CAPABILITY (the matched capability, not the glob), LABELS (',' between labels, '-' for "
                        + "none); lines sorted bytewise. "
                        + "With --recursive, one line per file and capability by which each package of the "
                        + "tree was reached (the tree itself is in text and json).",
                "Exit codes: 0 found, 1 nothing found, 2 bad usage or no index, 70 internal error."})
final class WhatRequiresCommand extends CapabilityQueryCommand {
    @Option(names = {"-r", "--recursive"}, description = "Print the tree of reverse dependencies upward.")
    boolean recursive;

    @Override
    String command() {
        return "whatrequires";
    }

    @Override
    int runPattern(CapabilityIndex idx, PrintWriter out, CapabilityPattern pattern) throws IndexException {
        if (!recursive) {
            return flat(out, pattern, idx.whoRequires(pattern, filter()));
        }
        RequirerTree tree = idx.whoRequiresRecursive(pattern, filter());
        switch (format.value) {
            case text -> tree.roots().forEach(n -> text(out, n));
            case tsv -> {
                List<CapabilityHit> all = new ArrayList<>();
                tree.roots().forEach(n -> collect(n, all));
                tsvLines(all).forEach(out::println);
            }
            case json -> {
                Json json = envelope(out, command());
                query(json, pattern);
                json.field("recursive", true).field("packages", tree.packages()).field("depth", tree.depth());
                json.name("results").beginArray();
                tree.roots().forEach(n -> json(json, n));
                json.endArray();
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        return tree.roots().isEmpty() ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    /** {@code NEVRA from LABEL: CAP, CAP}, indented two spaces per level. */
    private static void text(PrintWriter out, RequirerTree.Node n) {
        out.println("  ".repeat(n.depth() - 1) + n.pkg().nevra() + " from " + label(n.pkg()) + ": "
                + String.join(", ", n.viaCapabilities()));
        n.children().forEach(c -> text(out, c));
    }

    private static void collect(RequirerTree.Node n, List<CapabilityHit> out) {
        out.addAll(n.via());
        n.children().forEach(c -> collect(c, out));
    }

    private static void json(Json json, RequirerTree.Node n) {
        json.beginObject();
        packageFields(json, n.pkg()).field("depth", n.depth()).field("requires", n.viaCapabilities());
        json.name("via").beginArray();
        n.via().forEach(h -> jsonEntry(json, h));
        json.endArray().name("children").beginArray();
        n.children().forEach(c -> json(json, c));
        json.endArray().endObject();
    }
}
