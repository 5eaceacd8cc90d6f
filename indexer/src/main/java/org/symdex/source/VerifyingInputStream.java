package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Passes a download through, checking it against what the metadata says while it streams: never
 * more bytes than declared, not fewer, and the declared checksum at the end. The reader above it
 * (the package reader, a decompressor) sees an {@link IOException} whose cause is the
 * {@link SourceException}; {@link #verify} gives the {@link SourceException} itself, after reading
 * whatever the reader above left. Nothing read through this stream may be kept before
 * {@link #verify} returns: a package whose bytes disagree is never indexed (issue item 2).
 *
 * <p>The SHA-256 is always computed, so that a package declared with another checksum (rpm-md
 * {@code --checksum sha1}) still gets the SHA-256 the index stores (issue item 5).
 *
 * <p>Messages: {@code URI: SHA256 mismatch (expected X, got Y)},
 * {@code URI: short read (expected N bytes, got M)}, {@code URI: longer than the N bytes listed}.
 */
public final class VerifyingInputStream extends InputStream {
    private static final int DRAIN_CHUNK = 64 * 1024;

    private final InputStream in;
    private final String where;
    private final long size;
    private final Checksum expected;
    private final SourceException.Kind kind;
    private final MessageDigest sha256;
    private final MessageDigest declared;
    private long count;
    private SourceException failure;
    private Verified verified;

    /** What a fully read and verified stream was. */
    public record Verified(String sha256, Checksum declared, long size) {
        public Verified {
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(declared, "declared");
        }

        /** The declared checksum when it is not SHA-256 ({@code TYPE:HEX} goes beside the SHA-256). */
        public Optional<Checksum> nonSha256() {
            return declared.isSha256() ? Optional.empty() : Optional.of(declared);
        }
    }

    /**
     * @param in the raw download (this stream closes it)
     * @param where the URI for messages
     * @param size the declared length, or -1 if the metadata gives none (rpm-md without a size)
     * @param expected the declared checksum
     * @param kind whose failure a mismatch is: {@code PACKAGE} for a package, {@code SOURCE} for
     *     an index file
     */
    public VerifyingInputStream(InputStream in, String where, long size, Checksum expected, SourceException.Kind kind) {
        this.in = Objects.requireNonNull(in, "in");
        this.where = Objects.requireNonNull(where, "where");
        this.size = size;
        this.expected = Objects.requireNonNull(expected, "expected");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.sha256 = Checksum.digest("sha256");
        this.declared = expected.isSha256() ? null : expected.newDigest();
    }

    /**
     * Opens a listed package through {@code fetcher}, verified against its listing.
     *
     * @throws SourceException (PACKAGE) when it is missing, cannot be opened, or the transport
     *     reports a size other than the listed one
     */
    public static VerifyingInputStream open(Fetcher fetcher, ListedPackage p) throws SourceException {
        String where = p.uri().toString();
        Fetched f;
        try {
            f = fetcher.open(p.uri()).orElseThrow(() ->
                    new SourceException(SourceException.Kind.PACKAGE, where, "not found"));
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.PACKAGE, where, "cannot read: " + e.getMessage(), e);
        }
        if (f.size() >= 0 && f.size() != p.size()) {
            try {
                f.close();
            } catch (IOException e) {
                // the size mismatch below is the failure to report
            }
            throw new SourceException(SourceException.Kind.PACKAGE, where, f.size() < p.size()
                    ? "short read (expected " + p.size() + " bytes, got " + f.size() + ")"
                    : "longer than the " + p.size() + " bytes listed (" + f.size() + " bytes)");
        }
        return new VerifyingInputStream(f.stream(), where, p.size(), p.checksum(), SourceException.Kind.PACKAGE);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (verified != null) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        // Never ask for more than one byte past the listed size: a body that goes on fails at
        // size+1, whatever the server would send after it (issue 14 item 2).
        int want = size >= 0 ? (int) Math.min(len, size + 1 - count) : len;
        int n = in.read(b, off, want);
        if (n < 0) {
            finish();
            return -1;
        }
        sha256.update(b, off, n);
        if (declared != null) {
            declared.update(b, off, n);
        }
        count += n;
        if (size >= 0 && count > size) {
            throw fail("longer than the " + size + " bytes listed");
        }
        return n;
    }

    private void finish() throws IOException {
        if (size >= 0 && count < size) {
            throw fail("short read (expected " + size + " bytes, got " + count + ")");
        }
        String sha = HexFormat.of().formatHex(sha256.digest());
        String got = declared == null ? sha : HexFormat.of().formatHex(declared.digest());
        if (!got.equals(expected.hex())) {
            throw fail(expected.displayName() + " mismatch (expected " + expected.hex() + ", got " + got + ")");
        }
        verified = new Verified(sha, expected, count);
    }

    private IOException fail(String reason) {
        failure = new SourceException(kind, where, reason);
        return new IOException(failure.getMessage(), failure);
    }

    /**
     * Reads what is left and checks size and checksum.
     *
     * @return the computed SHA-256 and the declared checksum
     * @throws SourceException of this stream's kind on a mismatch, a short or long stream, or a
     *     read error
     */
    public Verified verify() throws SourceException {
        byte[] buf = new byte[DRAIN_CHUNK];
        try {
            while (read(buf, 0, buf.length) >= 0) {
                // drained: read() digests and checks
            }
        } catch (IOException e) {
            if (failure != null) {
                throw failure;
            }
            throw new SourceException(kind, where, "cannot read: " + e.getMessage(), e);
        }
        return verified;
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
