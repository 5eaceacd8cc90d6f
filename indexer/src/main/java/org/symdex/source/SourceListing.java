package org.symdex.source;

import java.util.List;
import java.util.Objects;

/**
 * What one source lists, after its filters: the packages (each once, carrying every label this
 * source gives it) and the source's labels. Membership is per source: a package listed by two
 * sources appears in both listings, each time with that source's labels only, so re-reading or
 * dropping one source never takes the other's packages (issue item 3).
 *
 * @param spec the source
 * @param labels every label the source yields (see {@link SourceHead#labels})
 * @param skipKey see {@link SourceHead#skipKey}
 * @param packages the packages, de-duplicated by checksum and size, in first-listed order
 * @param notes one line each: what was skipped and why
 */
public record SourceListing(SourceSpec spec, List<String> labels, String skipKey, List<ListedPackage> packages,
        List<String> notes) {

    public SourceListing {
        Objects.requireNonNull(spec, "spec");
        labels = List.copyOf(labels);
        Objects.requireNonNull(skipKey, "skipKey");
        packages = List.copyOf(packages);
        notes = List.copyOf(notes);
    }
}
