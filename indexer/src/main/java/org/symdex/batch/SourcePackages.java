package org.symdex.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.symdex.source.Catalog;
import org.symdex.source.Fetcher;
import org.symdex.source.ListedPackage;
import org.symdex.source.SourceException;
import org.symdex.source.SourceFilter;
import org.symdex.source.SourceListing;
import org.symdex.source.SourceReader;
import org.symdex.source.SourceSpec;

/**
 * Every package the given sources list, each once (by checksum and size) with the labels of all sources
 * that list it, in metadata order: the input of {@code deps --source} and {@code upgrade-report
 * --base-source}. A source that cannot be read is said through {@code failed} and contributes nothing.
 */
public final class SourcePackages {
    private SourcePackages() {
    }

    /**
     * @param failed receives one line ({@code WHERE: reason}) per source that could not be read
     * @throws SourceException (USAGE) when a source cannot be read as given, or two sources yield one label
     */
    public static List<ListedPackage> list(List<SourceSpec> specs, SourceFilter filter, Fetcher fetcher,
                                           Consumer<String> failed) throws SourceException {
        SourceReader reader = new SourceReader(fetcher, filter);
        List<SourceListing> listings = new ArrayList<>();
        for (SourceSpec spec : specs) {
            try {
                listings.add(reader.read(spec));
            } catch (SourceException e) {
                if (e.kind() == SourceException.Kind.USAGE) {
                    throw e;
                }
                failed.accept(e.getMessage());
            }
        }
        return Catalog.of(listings).packages();
    }
}
