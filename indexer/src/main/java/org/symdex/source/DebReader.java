package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Debian source: InRelease (else Release), then each {@code COMPONENT/binary-ARCH/Packages}
 * in the first form the Release lists ({@code .xz}, {@code .gz}, plain; an unlisted file is never
 * probed), verified against the Release's SHA256 and size while it streams, its decompressed
 * length held to the Release's size of the plain file. Flat repositories ({@code deb URI ./}) have
 * Release and Packages under URI/SUITE and no dists/ (apt's debReleaseIndex for an "absolute"
 * dist); their Filenames, like an archive's, are relative to URI.
 */
final class DebReader {
    private DebReader() {
    }

    /** The Packages fields we keep; the order is the index into {@link ControlReader#next}'s array. */
    private static final List<String> FIELDS = List.of("Package", "Version", "Architecture", "Source", "Section",
            "Filename", "Size", "SHA256");

    /**
     * One Packages file to read.
     *
     * @param uri where it is read: its by-hash name when the Release offers one, else its name
     * @param fallback its name when {@code uri} is the by-hash one (read if that is missing), else null
     * @param entry its size and SHA256 from the Release
     * @param plainSize the Release's size of the uncompressed form, or -1 if it lists none
     * @param codec how it is compressed
     * @param arch the binary-ARCH it serves ("" for a flat repository: all architectures)
     * @param labels label per architecture: one for binary-ARCH; for a flat repository, one per
     *     architecture asked for, in {@code arches} order
     * @param arches flat only: the architectures asked for
     * @param allowAll flat only: whether Architecture: all packages are read
     */
    record Target(URI uri, URI fallback, DebRelease.FileEntry entry, long plainSize, IndexCompression codec,
            String arch, List<String> labels, List<String> arches, boolean allowAll) {
        Target {
            labels = List.copyOf(labels);
            arches = List.copyOf(arches);
        }
    }

    static SourceHead open(SourceSpec spec, Fetcher fetcher, SourceFilter filter) throws SourceException {
        URI dir = spec.flat()
                ? RelativePaths.directory(spec.uri(), spec.suite())
                : RelativePaths.directory(spec.uri(), "dists/" + spec.suite());
        URI inReleaseUri = dir.resolve("InRelease");
        URI releaseUri = dir.resolve("Release");
        Optional<SignedBy> keys = SignedBy.of(spec);
        List<String> notes = new ArrayList<>();
        byte[] bytes = readSmall(fetcher, inReleaseUri);
        URI used = inReleaseUri;
        if (bytes != null) {
            // A present InRelease is the one read: if its signature fails, the source fails (apt never
            // falls back to an unsigned Release beside it).
            if (keys.isPresent()) {
                ReleaseSignature.verifyClearSigned(bytes, keys.get(), inReleaseUri.toString());
            }
        } else {
            bytes = readSmall(fetcher, releaseUri);
            used = releaseUri;
            if (bytes != null && keys.isPresent()) {
                URI gpgUri = dir.resolve("Release.gpg");
                byte[] sig = readSmall(fetcher, gpgUri);
                if (sig == null) {
                    throw new SourceException(SourceException.Kind.SOURCE, releaseUri.toString(),
                            "not signed (no InRelease, no Release.gpg), and signed-by= asks for a signature");
                }
                ReleaseSignature.verifyDetached(bytes, sig, keys.get(), gpgUri.toString());
            }
        }
        if (bytes == null) {
            throw new SourceException(SourceException.Kind.SOURCE, dir.toString(), "no InRelease or Release");
        }
        DebRelease rel = DebRelease.parse(bytes, used, used == inReleaseUri, SourceReader.MAX_FIELD_BYTES);
        String where = used.toString();
        checkValidUntil(spec, rel, where, Instant.now());
        boolean byHash = byHash(spec, rel);
        String origin = Labels.debianOrigin(rel.origin(), spec.uri());
        String suite = Labels.debianSuite(rel.suite(), rel.codename(), spec.suite());

        for (String a : spec.arches()) {
            if (!rel.architectures().isEmpty() && !rel.architectures().contains(a)) {
                throw new SourceException(SourceException.Kind.SOURCE, where, "architecture " + a
                        + " is not in this Release (it has: " + String.join(" ", rel.architectures()) + ")");
            }
        }
        List<Target> targets = new ArrayList<>();
        if (spec.flat()) {
            String path = choose(rel, "Packages")
                    .orElseThrow(() -> new SourceException(SourceException.Kind.SOURCE, where,
                            "Release lists no Packages (.xz, .gz or plain)"));
            List<String> labelArches = spec.arches().isEmpty() ? List.of("all") : spec.arches();
            List<String> labels = new ArrayList<>();
            for (String a : labelArches) {
                labels.add(Labels.debian(origin, suite, Labels.FLAT_COMPONENT, a));
            }
            targets.add(target(dir, rel, byHash, path, "Packages", "", labels, spec.arches(),
                    spec.implicitAll() || spec.arches().contains("all")));
        } else {
            for (String c : spec.components()) {
                if (!rel.components().isEmpty() && !componentListed(rel.components(), c)) {
                    throw new SourceException(SourceException.Kind.SOURCE, where, "component " + c
                            + " is not in this Release (it has: " + String.join(" ", rel.components()) + ")");
                }
                for (String a : spec.arches()) {
                    String base = c + "/binary-" + a + "/Packages";
                    String path = choose(rel, base).orElseThrow(() -> new SourceException(
                            SourceException.Kind.SOURCE, where, "Release lists no " + base + " (.xz, .gz or plain)"));
                    targets.add(target(dir, rel, byHash, path, base, a, List.of(Labels.debian(origin, suite, c, a)),
                            List.of(), false));
                }
                if (spec.implicitAll()) {
                    // apt reads binary-all only when the Release offers it and does not say that
                    // binary-ARCH already lists its packages (debmetaindex.cc IsArchitectureAllSupportedFor).
                    String base = c + "/binary-all/Packages";
                    Optional<String> path = choose(rel, base);
                    boolean offered = rel.architectures().isEmpty() || rel.architectures().contains("all");
                    if (offered && !rel.noSupportForArchitectureAll().contains("Packages") && path.isPresent()) {
                        targets.add(target(dir, rel, byHash, path.get(), base, "all",
                                List.of(Labels.debian(origin, suite, c, "all")), List.of(), false));
                    } else {
                        notes.add(where + ": " + base + " not read ("
                                + (!offered || path.isEmpty() ? "not offered" : "No-Support-for-Architecture-all: Packages")
                                + "); Architecture: all packages come from binary-ARCH");
                    }
                }
            }
        }
        if (keys.isEmpty()) {
            notes.add(where + ": metadata not signature-checked (no signed-by=)");
        }
        LinkedHashSet<String> labels = new LinkedHashSet<>();
        for (Target t : targets) {
            labels.addAll(t.labels());
        }
        String sha = hex(Checksum.digest("sha256").digest(bytes));
        return new SourceHead(spec, new ArrayList<>(labels), used, sha, filter, Optional.of(rel), rel.date(), notes,
                targets, null);
    }

    /** apt accepts a component listed as is or as the last part of a listed one ("updates/main"). */
    private static boolean componentListed(List<String> listed, String c) {
        for (String l : listed) {
            if (l.equals(c) || l.endsWith("/" + c)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> choose(DebRelease rel, String base) {
        for (IndexCompression c : IndexCompression.DEBIAN_PREFERENCE) {
            if (rel.files().containsKey(base + c.suffix())) {
                return Optional.of(base + c.suffix());
            }
        }
        return Optional.empty();
    }

    /**
     * A Valid-Until in the past refuses the source, as apt refuses it, unless the source says
     * {@code check-valid-until=no}: a mirror that stopped updating would otherwise be indexed as
     * current forever.
     */
    static void checkValidUntil(SourceSpec spec, DebRelease rel, String where, Instant now) throws SourceException {
        String check = spec.options().get("check-valid-until");
        if (rel.validUntil().isEmpty() || (check != null && AptSourcesParser.stringToBool(check) == 0)) {
            return;
        }
        String text = rel.validUntil().get();
        Instant until = ReleaseDates.parse(text).orElseThrow(() -> new SourceException(SourceException.Kind.SOURCE,
                where, "Valid-Until '" + text + "' is not a date"));
        if (until.isBefore(now)) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "expired (Valid-Until: " + text
                    + "); check-valid-until=no reads it anyway");
        }
    }

    /**
     * Whether index files are read under by-hash/SHA256/, as apt decides it: when the Release says
     * {@code Acquire-By-Hash: yes}, unless the source says {@code by-hash=no}; always with
     * {@code by-hash=force}.
     */
    private static boolean byHash(SourceSpec spec, DebRelease rel) {
        String opt = spec.options().get("by-hash");
        if (opt != null && opt.strip().equalsIgnoreCase("force")) {
            return true;
        }
        return rel.acquireByHash() && (opt == null || AptSourcesParser.stringToBool(opt) != 0);
    }

    private static Target target(URI dir, DebRelease rel, boolean byHash, String path, String base, String arch,
            List<String> labels, List<String> arches, boolean allowAll) {
        IndexCompression codec = IndexCompression.NONE;
        for (IndexCompression c : IndexCompression.DEBIAN_PREFERENCE) {
            if (!c.suffix().isEmpty() && path.endsWith(c.suffix())) {
                codec = c;
            }
        }
        DebRelease.FileEntry plain = rel.files().get(base);
        DebRelease.FileEntry entry = rel.files().get(path);
        URI named = RelativePaths.resolve(dir, path);
        URI uri = named;
        URI fallback = null;
        if (byHash) {
            // apt: the index file's directory + by-hash/SHA256/ + its SHA256 (acquire-item.cc GetByHashURI)
            int slash = path.lastIndexOf('/');
            uri = RelativePaths.resolve(dir, (slash < 0 ? "" : path.substring(0, slash + 1)) + "by-hash/SHA256/"
                    + entry.sha256().hex());
            fallback = named;
        }
        return new Target(uri, fallback, entry, plain == null ? -1 : plain.size(), codec, arch, labels, arches,
                allowAll);
    }

    static SourceListing list(SourceHead head, Fetcher fetcher, SourceFilter filter) throws SourceException {
        SourceSpec spec = head.spec();
        PackageCollector out = new PackageCollector(SourceReader.MAX_PACKAGES_PER_SOURCE);
        for (Target t : head.debTargets) {
            readPackages(spec, t, fetcher, filter, out);
        }
        return new SourceListing(spec, head.labels(), head.skipKey(), out.packages(), head.notes());
    }

    private static void readPackages(SourceSpec spec, Target t, Fetcher fetcher, SourceFilter filter,
            PackageCollector out) throws SourceException {
        Fetched f;
        URI read = t.uri();
        try {
            Optional<Fetched> opened = fetcher.open(read);
            if (opened.isEmpty() && t.fallback() != null) {
                // A mirror may publish Acquire-By-Hash without the by-hash files; apt then takes the name.
                read = t.fallback();
                opened = fetcher.open(read);
            }
            String w = read.toString();
            f = opened.orElseThrow(() -> new SourceException(SourceException.Kind.SOURCE, w,
                    "listed in the Release but not found"));
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.SOURCE, read.toString(), "cannot read: " + e.getMessage(), e);
        }
        String where = read.toString();
        out.readingFrom(where);
        List<List<String>> flatLabels = new ArrayList<>();
        for (String l : t.labels()) {
            flatLabels.add(out.labels(List.of(l)));
        }
        List<String> allLabels = out.labels(t.labels().stream().sorted().toList());
        List<String> targetLabels = t.arch().isEmpty() ? null : out.labels(t.labels());
        VerifyingInputStream raw = new VerifyingInputStream(f.stream(), where, t.entry().size(), t.entry().sha256(),
                SourceException.Kind.SOURCE);
        try (raw) {
            InputStream plain = new GuardedInputStream(t.codec().decode(raw), where,
                    t.plainSize() >= 0 ? t.plainSize() : SourceReader.DEFAULT_MAX_INDEX_BYTES, t.plainSize() >= 0, 0);
            ControlReader r = new ControlReader(plain, where, SourceReader.MAX_FIELD_BYTES, FIELDS);
            String[] v;
            while ((v = r.next()) != null) {
                String name = required(v, 0, r, where, null);
                String version = required(v, 1, r, where, name);
                String arch = out.intern(required(v, 2, r, where, name));
                String section = v[4] == null ? "" : out.intern(v[4]);
                String filename = required(v, 5, r, where, name);
                String sizeText = required(v, 6, r, where, name);
                String shaText = required(v, 7, r, where, name);
                String problem = RelativePaths.problem(filename);
                if (problem != null) {
                    throw stanza(r, where, name, "Filename '" + filename + "': " + problem);
                }
                long size = DebRelease.parseSize(sizeText);
                if (size < 0) {
                    throw stanza(r, where, name, "bad Size '" + sizeText + "'");
                }
                Optional<Checksum> sha = Checksum.parse("sha256", shaText);
                if (sha.isEmpty()) {
                    throw stanza(r, where, name, "bad SHA256 '" + shaText + "'");
                }
                List<String> labels;
                if (targetLabels != null) {
                    labels = targetLabels;
                } else if (arch.equals("all") && t.allowAll()) {
                    labels = allLabels;
                } else {
                    int i = t.arches().indexOf(arch);
                    if (i < 0) {
                        continue;
                    }
                    labels = flatLabels.get(i);
                }
                if (!filter.matches(SourceKind.DEB, name, section)) {
                    continue;
                }
                out.add(new ListedPackage(name, version, arch, sourceName(v[3], name), section, spec.uri(), filename,
                        size, sha.get(), labels));
            }
            raw.verify();
        } catch (IOException e) {
            if (e.getCause() instanceof SourceException se) {
                throw se;
            }
            throw new SourceException(SourceException.Kind.SOURCE, where, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Debian's Source field may carry a version ("glibc (2.36-9)"); without the field it is Package. */
    static String sourceName(String field, String name) {
        if (field == null || field.isEmpty()) {
            return name;
        }
        int sp = field.indexOf(' ');
        String s = sp < 0 ? field : field.substring(0, sp);
        return s.equals(name) ? name : s;
    }

    private static String required(String[] v, int i, ControlReader r, String where, String name)
            throws SourceException {
        if (v[i] == null || v[i].isEmpty()) {
            throw stanza(r, where, name, "no " + FIELDS.get(i) + " field");
        }
        return v[i];
    }

    private static SourceException stanza(ControlReader r, String where, String name, String reason) {
        return new SourceException(SourceException.Kind.SOURCE, where, "stanza at line " + r.stanzaLine()
                + (name == null ? "" : " (" + name + ")") + ": " + reason);
    }

    /** A Release-sized file, or null if absent. */
    static byte[] readSmall(Fetcher fetcher, URI uri) throws SourceException {
        try {
            Optional<Fetched> f = fetcher.open(uri);
            if (f.isEmpty()) {
                return null;
            }
            try (Fetched in = f.get()) {
                byte[] b = in.stream().readNBytes(DebRelease.MAX_BYTES + 1);
                if (b.length > DebRelease.MAX_BYTES) {
                    throw new SourceException(SourceException.Kind.SOURCE, uri.toString(),
                            "over " + (DebRelease.MAX_BYTES >> 20) + " MiB; not metadata");
                }
                return b;
            }
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.SOURCE, uri.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
