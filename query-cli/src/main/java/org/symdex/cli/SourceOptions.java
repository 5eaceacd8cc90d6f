package org.symdex.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.symdex.source.ParsedSources;
import org.symdex.source.SourceDefaults;
import org.symdex.source.SourceException;
import org.symdex.source.SourceFilter;
import org.symdex.source.SourceParser;
import picocli.CommandLine.Option;

/**
 * The repository options {@code index} and {@code deps} share (a picocli mixin): {@code --source LINE},
 * {@code --sources FILE}, {@code --releasever}, {@code --basearch}, {@code --section}, {@code --package}.
 * Parsing is the source layer's ({@link SourceParser}); this only collects the arguments.
 */
final class SourceOptions {
    @Option(names = "--source", paramLabel = "LINE", description = "A repository, the whole line quoted, repeatable: "
            + "'deb [arch=amd64,arm64] URI SUITE COMPONENT...' (sources.list one-line form; flat 'deb URI ./'), or "
            + "'rpm-md [id=NAME arch=BASEARCH] URI' (URI holds repodata/). file:, http: and https: URIs; "
            + "[signed-by=KEYRING] checks InRelease (or Release.gpg, repomd.xml.asc) with gpgv.")
    List<String> lines = new ArrayList<>();

    @Option(names = "--sources", paramLabel = "FILE", description = "Repositories from a file, repeatable: apt's "
            + ".list (one-line) and .sources (deb822), or a dnf .repo (baseurl=; enabled=0 skipped).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--releasever", paramLabel = "VER", description = "$releasever in .repo files.")
    String releasever;

    @Option(names = "--basearch", paramLabel = "ARCH", description = "$basearch in .repo files, and the arch of "
            + "rpm-md labels.")
    String basearch;

    @Option(names = "--section", paramLabel = "NAME", description = "Only packages of this Debian Section (libs "
            + "also matches non-free/libs), repeatable.")
    List<String> sections = new ArrayList<>();

    @Option(names = "--package", paramLabel = "GLOB", description = "Only packages whose name matches, repeatable.")
    List<String> packages = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "Over HTTP, abort a "
            + "transfer that stays below 1 KiB/s for this long (default: ${DEFAULT-VALUE}); connecting waits 30 s at most.")
    long timeoutSeconds = 60;

    /**
     * What opens the sources' URIs: file:, and http:/https: through the JDK's client (at most 4
     * connections per host, retries, proxies as curl reads them from the environment).
     *
     * @throws SourceException (USAGE) for a proxy variable that cannot be used
     */
    org.symdex.source.Fetcher fetcher(org.symdex.source.TransferListener listener) throws SourceException {
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("--timeout must be at least 1 second");
        }
        return org.symdex.source.Fetchers.standard(org.symdex.source.HttpSettings.defaults(System.getenv())
                .withStallWindow(java.time.Duration.ofSeconds(timeoutSeconds)).withListener(listener));
    }

    boolean any() {
        return !lines.isEmpty() || !files.isEmpty();
    }

    /** Every source given, in order: the lines, then the files. */
    ParsedSources parse() throws SourceException {
        SourceDefaults d = SourceDefaults.detect(Optional.ofNullable(releasever), Optional.ofNullable(basearch));
        ParsedSources all = new ParsedSources(List.of(), List.of());
        for (String line : lines) {
            all = all.plus(SourceParser.parseLine(line, d));
        }
        for (Path f : files) {
            all = all.plus(SourceParser.parseFile(f, d));
        }
        return all;
    }

    /** --section and --package; IllegalArgumentException for an empty one. */
    SourceFilter filter() {
        return new SourceFilter(sections, packages);
    }
}
