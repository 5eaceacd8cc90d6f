package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.symdex.index.IndexException;
import org.symdex.index.Schema;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.CapabilityPattern;
import org.symdex.query.IndexedPackage;
import org.symdex.query.RequirerTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code symdex whatrequires CAP... [--recursive]}, {@code symdex whatrequires --of-package PKG}. */
@Command(name = "whatrequires", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the files (and rpm headers) in the index that require a capability, or any "
                + "capability a glob matches; a soname argument ('.so', no '(' or '/') matches the soname and "
                + "every SONAME(... capability. Several arguments are a union. With --recursive, follow the "
                + "chain upward: who requires what those packages provide, and so on, printing the tree; each "
                + "package appears once, at the first level that reaches it. With --of-package PKG, who uses a "
                + "package: who requires anything it provides, grouped by capability."},
        footer = {"", "Examples:",
                "  symdex whatrequires 'libfoo.so.1(LIBFOO_1.0)(64bit)'",
                "  symdex whatrequires '*(GLIBC_PRIVATE)*' --not-source glibc     # glibc's private ABI, used outside glibc",
                "  symdex whatrequires --recursive --format json 'libssl.so.3()(64bit)'",
                "  symdex whatrequires --format tsv 'libstdc++.so.6(GLIBCXX_3.4.3?)*' | cut -f1 | sort -u",
                "  symdex whatrequires --packages --of-package libssl3                # who uses libssl3 at all",
                "",
                "tsv columns: NAME, VERSION, ARCH, PACKAGE-FILE, PATH ('-' for a capability the rpm header "
                        + "declares), CAPABILITY (the matched capability, not the glob; with --of-package the "
                        + "capability of PKG required), LABELS (',' between labels, '-' for "
                        + "none); lines sorted bytewise. "
                        + "With --recursive, one line per file and capability by which each package of the "
                        + "tree was reached (the tree itself is in text and json). With --packages: NAME, VERSION, "
                        + "ARCH, PACKAGE-FILE, LABELS.",
                "Exit codes: 0 found (for any argument), 1 nothing found, 2 bad usage, an unknown --of-package "
                        + "or no index, 70 internal error."})
final class WhatRequiresCommand extends CapabilityQueryCommand {
    @Parameters(paramLabel = "CAP", arity = "0..*", description = CAP_HELP)
    List<String> arguments = List.of();

    @Option(names = {"-r", "--recursive"}, description = "Print the tree of reverse dependencies upward.")
    boolean recursive;

    @Option(names = "--of-package", paramLabel = "PKG", description = "Who requires anything this package provides "
            + "(its own files left out), grouped by capability. PKG as symdex prints it (name-version-release.arch), "
            + "a Debian file name (name_version_arch), NAME, NAME=VERSION, NAME:ARCH, or a glob on names. Repeatable.")
    List<String> ofPackages = List.of();

    @Override
    List<String> arguments() {
        return ofPackages.isEmpty() ? arguments : ofPackages;
    }

    @Override
    String command() {
        return "whatrequires";
    }

    @Override
    List<CapabilityHit> answer(CapabilityIndex idx, String argument) throws IndexException {
        if (!ofPackages.isEmpty()) {
            List<IndexedPackage> pkgs = idx.resolve(argument, org.symdex.query.QueryFilter.NONE);
            return pkgs.isEmpty() ? List.of() : idx.whoUses(pkgs, filter());
        }
        return idx.whoRequires(pattern(argument), filter());
    }

    @Override
    String nothing(String argument) {
        return ofPackages.isEmpty() ? super.nothing(argument) : "nothing requires what '" + argument + "' provides";
    }

    @Override
    String elsewhere(CapabilityIndex idx, String argument) throws IndexException {
        return ofPackages.isEmpty() && idx.capabilityElsewhere(Schema.REQ, argument) ? "it is provided (whatprovides)" : null;
    }

    @Override
    List<String> suggestions(CapabilityIndex idx, String argument) throws IndexException {
        return ofPackages.isEmpty() ? idx.suggestCapabilities(Schema.REQ, argument) : List.of();
    }

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        if (!ofPackages.isEmpty() && (!arguments.isEmpty() || recursive)) {
            throw new ParameterException(spec.commandLine(), "--of-package takes no CAP and no --recursive");
        }
        if (ofPackages.isEmpty() && arguments.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'CAP'");
        }
        if (!ofPackages.isEmpty()) {
            return ofPackage(idx, out);
        }
        List<CapabilityPattern> patterns = arguments.stream().map(this::pattern).toList();
        if (!recursive) {
            return super.run(idx, out);
        }
        Map<String, RequirerTree> trees = idx.whoRequiresRecursiveByUniverse(CapabilityPattern.anyOf(patterns), filter());
        boolean several = trees.size() > 1;
        boolean empty = trees.values().stream().allMatch(t -> t.roots().isEmpty());
        switch (format.value) {
            case text -> trees.forEach((u, tree) -> {
                if (several && !tree.roots().isEmpty()) {
                    out.println("universe: " + u);
                }
                tree.roots().forEach(n -> text(out, n));
            });
            case tsv -> {
                List<String> lines = new ArrayList<>();
                trees.forEach((u, tree) -> {
                    List<CapabilityHit> all = new ArrayList<>();
                    tree.roots().forEach(n -> collect(n, all));
                    tsvLines(all).forEach(l -> lines.add(l + "\t" + Tsv.field(u)));
                });
                lines.stream().sorted().distinct().forEach(out::println);
            }
            case json -> {
                Json json = envelope(out, command());
                query(json);
                json.field("recursive", true)
                        .field("packages", trees.values().stream().mapToLong(RequirerTree::packages).sum())
                        .field("depth", trees.values().stream().mapToLong(RequirerTree::depth).max().orElse(0));
                json.name("results").beginArray();
                trees.forEach((u, tree) -> tree.roots().forEach(n -> json(json, n, u)));
                json.endArray();
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        if (empty) {
            List<Answer> none = new ArrayList<>();
            for (String a : arguments) {
                none.add(notFound(idx, a));
            }
            notes(none);
        }
        return empty ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }

    /**
     * --of-package: the union of every PKG's users; text groups them by the capability required. An
     * argument that names no indexed package is exit 2 when no argument names one.
     */
    private int ofPackage(CapabilityIndex idx, PrintWriter out) throws IndexException {
        List<Answer> answers = new ArrayList<>();
        boolean anyPackage = false;
        for (String a : ofPackages) {
            List<IndexedPackage> pkgs = idx.resolve(a, org.symdex.query.QueryFilter.NONE);
            if (pkgs.isEmpty()) {
                answers.add(new Answer(a, List.of(), "no package '" + a + "' in " + idx.dir(), List.of()));
                continue;
            }
            anyPackage = true;
            List<CapabilityHit> hits = idx.whoUses(pkgs, filter());
            answers.add(hits.isEmpty() ? new Answer(a, hits, nothing(a), List.of()) : new Answer(a, hits, null, List.of()));
        }
        if (!anyPackage) {
            notes(answers);
            return Symdex.EXIT_BAD_INPUT;
        }
        if (packages || format.value != OutputFormat.text) {
            return union(idx, out, answers);
        }
        Map<String, List<CapabilityHit>> byCapability = new TreeMap<>();
        for (Answer a : answers) {
            a.hits().forEach(h -> byCapability.computeIfAbsent(h.capability(), k -> new ArrayList<>()).add(h));
        }
        for (Map.Entry<String, List<CapabilityHit>> e : byCapability.entrySet()) {
            List<CapabilityHit> hits = new ArrayList<>(new java.util.LinkedHashSet<>(e.getValue()));
            hits.sort(CapabilityHit.ORDER);
            out.println(e.getKey() + ":");
            String lastFile = null;
            for (CapabilityHit h : hits) {
                if (!h.pkg().file().equals(lastFile)) {
                    lastFile = h.pkg().file();
                    out.println("  " + packageLine(h.pkg()));
                }
                out.println("    " + (h.declared() ? "[rpm header]" : h.path()));
            }
        }
        notes(answers);
        return byCapability.isEmpty() ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
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

    private static void json(Json json, RequirerTree.Node n, String universe) {
        json.beginObject();
        packageFields(json, n.pkg()).field("universe", universe).field("depth", n.depth())
                .field("requires", n.viaCapabilities());
        json.name("via").beginArray();
        n.via().forEach(h -> jsonEntry(json, h));
        json.endArray().name("children").beginArray();
        n.children().forEach(c -> json(json, c, universe));
        json.endArray().endObject();
    }
}
