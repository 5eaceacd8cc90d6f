package org.symdex.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.symdex.index.IndexException;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.PackageLists;
import picocli.CommandLine.Parameters;

/** provides PKG and requires PKG: one package's lists, as rpm -qp --provides/--requires prints them. */
abstract class PackageListCommand extends QueryCommand {
    @Parameters(index = "0", paramLabel = "PKG", description = "NAME, NAME=VERSION, NAME:ARCH or NAME:ARCH=VERSION "
            + "(VERSION as indexed: the Debian version, or rpm's [EPOCH:]VERSION-RELEASE; a 0: epoch equals none, "
            + "no epoch matches any), a package as symdex prints it (name-version-release.arch), a Debian file "
            + "name (name_version_arch), or a glob on names.")
    String pkg;

    abstract String command();

    abstract boolean provides();

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        List<org.symdex.query.IndexedPackage> pkgs;
        try {
            pkgs = idx.resolve(pkg, filter());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<PackageLists> lists = idx.lists(pkgs, provides());
        switch (format.value) {
            case text -> {
                boolean first = true;
                for (PackageLists l : lists) {
                    if (!first) {
                        out.println();
                    }
                    first = false;
                    out.println(packageLine(l.pkg()) + ":");
                    l.capabilities().forEach(c -> out.println("  " + c));
                }
            }
            case tsv -> {
                List<CapabilityHit> all = new ArrayList<>();
                lists.forEach(l -> all.addAll(l.entries()));
                tsvLines(all).forEach(out::println);
            }
            case json -> {
                Json json = envelope(out, command());
                json.name("query").beginObject().field("package", pkg).field("arch", arch).endObject();
                json.name("results").beginArray();
                for (PackageLists l : lists) {
                    json.beginObject();
                    packageFields(json, l.pkg()).field("format", l.format()).field(command(), l.capabilities());
                    json.name("entries").beginArray();
                    l.entries().forEach(h -> jsonEntry(json, h));
                    json.endArray().endObject();
                }
                json.endArray();
                endEnvelope(json);
            }
            default -> throw new IllegalStateException("unhandled format " + format.value);
        }
        if (lists.isEmpty()) {
            spec.commandLine().getErr().println("symdex: no package " + pkg + " in " + index.dir()
                    + (arch == null ? "" : " with arch " + arch));
        }
        return lists.isEmpty() ? Symdex.EXIT_FINDINGS : Symdex.EXIT_OK;
    }
}
