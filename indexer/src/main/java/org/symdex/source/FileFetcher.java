package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Optional;

/** {@link Fetcher} for {@code file:} URIs (this issue reads local repositories only). */
public final class FileFetcher implements Fetcher {

    @Override
    public Optional<Fetched> open(URI uri) throws IOException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("file")) {
            throw new IOException(scheme + ": URIs are not supported yet (file: only)");
        }
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new IOException("not a local file URI (" + e.getMessage() + ")");
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!attrs.isRegularFile()) {
            // Checked before opening: opening a FIFO would block (docs/packages.md does the same).
            throw new IOException(attrs.isDirectory() ? "is a directory" : "not a regular file");
        }
        InputStream in;
        try {
            in = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(new Fetched(in, attrs.size()));
    }
}
