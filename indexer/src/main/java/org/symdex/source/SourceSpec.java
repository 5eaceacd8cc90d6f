package org.symdex.source;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One parsed source: what to read and where it was written. Built by {@link SourceParser}; a deb822
 * stanza with several URIs and Suites becomes one spec per URI x Suite, as apt makes one
 * meta-index per pair (apt-pkg/sourcelist.cc {@code ParseStanza}).
 *
 * @param kind deb or rpm-md
 * @param uri the archive root (deb: the directory holding {@code dists/}, or the base of a flat
 *     repository; rpm-md: the directory holding {@code repodata/}); always ends with "/", as apt's
 *     {@code FixupURI} makes it
 * @param suite deb: the distribution ({@code bookworm}) or, for a flat repository, a path ending
 *     with "/" ({@code ./}); rpm-md: ""
 * @param components deb: the components ({@code main}, may contain "/"); empty for a flat
 *     repository and for rpm-md
 * @param arches deb: the architectures asked for ({@code arch=}, else the host's); empty for rpm-md
 * @param implicitAll deb: {@code all} is read too when the Release offers it, as apt adds
 *     "implicit:all" unless {@code arch-=all} (apt-pkg/deb/debmetaindex.cc
 *     {@code parsePlusMinusArchOptions})
 * @param options every {@code [key=value]} option of the line or field of the stanza, sorted by key;
 *     options symdex does not use ({@code signed-by=}, {@code trusted=}) are kept for later issues
 * @param id rpm-md: the repository id ({@code id=} or the .repo section)
 * @param basearch rpm-md: {@code arch=} or {@code --basearch}
 * @param line the source as one line: the original line, or for a deb822 stanza or a .repo section
 *     its one-line equivalent; for messages
 * @param origin where it was written: {@code --source}, {@code FILE:LINE} or {@code FILE [id]}
 */
public record SourceSpec(
        SourceKind kind,
        URI uri,
        String suite,
        List<String> components,
        List<String> arches,
        boolean implicitAll,
        Map<String, String> options,
        Optional<String> id,
        Optional<String> basearch,
        String line,
        String origin) {

    public SourceSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(suite, "suite");
        components = List.copyOf(components);
        arches = List.copyOf(arches);
        options = Collections.unmodifiableMap(new TreeMap<>(options));
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(basearch, "basearch");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(origin, "origin");
        if (!uri.isAbsolute() || !uri.toString().endsWith("/")) {
            throw new IllegalArgumentException("source URI must be absolute and end with /: " + uri);
        }
        if (kind == SourceKind.DEB) {
            if (suite.isEmpty()) {
                throw new IllegalArgumentException("deb source without a suite: " + line);
            }
            boolean flat = suite.endsWith("/");
            if (flat != components.isEmpty()) {
                throw new IllegalArgumentException(flat
                        ? "flat deb source with components: " + line
                        : "deb source without components: " + line);
            }
            if (arches.isEmpty() && !implicitAll) {
                throw new IllegalArgumentException("deb source without architectures: " + line);
            }
        } else if (!suite.isEmpty() || !components.isEmpty() || !arches.isEmpty() || implicitAll) {
            throw new IllegalArgumentException("rpm-md source with deb fields: " + line);
        }
    }

    /** A flat Debian repository ({@code deb URI ./}): Release and Packages under URI/SUITE, no dists/. */
    public boolean flat() {
        return kind == SourceKind.DEB && suite.endsWith("/");
    }

    /**
     * The canonical one-line form: kind, the options symdex acts on, URI, suite, components. Two
     * specs with the same canonical line read the same thing; it goes into the skip key.
     */
    public String canonical() {
        StringBuilder b = new StringBuilder(kind.word());
        if (kind == SourceKind.DEB) {
            b.append(" [arch=").append(String.join(",", arches)).append(implicitAll ? " implicit-all" : "")
                    .append("] ").append(uri).append(' ').append(suite);
            for (String c : components) {
                b.append(' ').append(c);
            }
        } else {
            b.append(" [id=").append(id.orElse("")).append(" arch=").append(basearch.orElse(""))
                    .append("] ").append(uri);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return origin + ": " + line;
    }
}
