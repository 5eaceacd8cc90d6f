package org.symdex.source;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A source whose top metadata (InRelease/Release, repomd.xml) has been read and checked, before
 * any package list is: enough to know its labels and its skip key, so that a run can refuse two
 * sources with one label ({@link Catalog#checkLabels}) and skip an unchanged source, without
 * downloading its Packages or primary. Get one from {@link SourceReader#open}; pass it to
 * {@link SourceReader#list}.
 */
public final class SourceHead {
    private final SourceSpec spec;
    private final List<String> labels;
    private final String skipKey;
    private final URI metadataUri;
    private final String metadataSha256;
    private final Optional<DebRelease> release;
    private final Optional<String> releaseDate;
    private final List<String> notes;
    /** What {@link SourceReader#list} reads: Debian index files, or the rpm-md primary. */
    final List<DebReader.Target> debTargets;
    final RpmMdReader.Primary primary;

    SourceHead(SourceSpec spec, List<String> labels, URI metadataUri, String metadataSha256, SourceFilter filter,
            Optional<DebRelease> release, Optional<String> releaseDate, List<String> notes,
            List<DebReader.Target> debTargets, RpmMdReader.Primary primary) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.labels = List.copyOf(labels);
        this.metadataUri = Objects.requireNonNull(metadataUri, "metadataUri");
        this.metadataSha256 = Objects.requireNonNull(metadataSha256, "metadataSha256");
        this.release = Objects.requireNonNull(release, "release");
        // A date is a few dozen characters; a longer one (hostile metadata) is not recorded or compared.
        this.releaseDate = Objects.requireNonNull(releaseDate, "releaseDate").filter(d -> d.length() <= 256);
        this.notes = List.copyOf(notes);
        this.debTargets = List.copyOf(debTargets);
        this.primary = primary;
        this.skipKey = skipKey(spec, metadataSha256, filter);
    }

    /**
     * SHA-256 over what decides the listing: the version of these rules, the source as read
     * (kind, URI, suite, components, architectures, id, basearch), the SHA-256 of its top metadata
     * (which pins every index file by checksum) and the filters. Equal keys mean an equal listing.
     */
    static String skipKey(SourceSpec spec, String metadataSha256, SourceFilter filter) {
        String text = "symdex-source-skip-key/1\n" + spec.canonical() + "\n" + metadataSha256 + "\n" + filter.key();
        return HexFormat.of().formatHex(Checksum.digest("sha256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public SourceSpec spec() {
        return spec;
    }

    /** Every label this source yields, whether or not packages carry it after filtering. */
    public List<String> labels() {
        return labels;
    }

    /** Compare with the key stored by an earlier run: equal means the listing is the same. */
    public String skipKey() {
        return skipKey;
    }

    /** The InRelease, Release or repomd.xml that was read. */
    public URI metadataUri() {
        return metadataUri;
    }

    /** SHA-256 of {@link #metadataUri}'s bytes as read. */
    public String metadataSha256() {
        return metadataSha256;
    }

    /** The Release of a deb source; empty for rpm-md. */
    public Optional<DebRelease> release() {
        return release;
    }

    /**
     * When the archive says it published this metadata, as written: Debian's Release {@code Date}
     * ({@code Sat, 11 Jul 2026 10:16:37 UTC}), rpm-md's repomd {@code revision} (createrepo_c writes
     * the Unix time); empty when the metadata has none. Record it with the source, and give it back to
     * {@link MirrorSkew#check} at the next run.
     */
    public Optional<String> releaseDate() {
        return releaseDate;
    }

    /**
     * One line each: what was left out and why (an implicit "all" the Release does not offer), and
     * that the metadata was not signature-checked when the source has no {@code signed-by=}.
     */
    public List<String> notes() {
        return notes;
    }

    @Override
    public String toString() {
        return spec.line() + " " + labels;
    }
}
