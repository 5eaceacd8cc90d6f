package org.symdex.source;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Debian Release (or InRelease) file: what the archive says about itself and the SHA256 list
 * every index file is checked against. Nothing weaker than SHA256 is used: apt itself no longer
 * trusts MD5Sum or SHA1 alone (apt-pkg/contrib/hashes.cc marks them untrusted).
 *
 * @param uri where it was read
 * @param signed whether it came from InRelease (clear-signed; verified with gpgv when the source
 *     has signed-by=, see {@link ReleaseSignature})
 * @param origin Origin ({@code Debian})
 * @param label Label
 * @param suite Suite ({@code stable}, {@code noble-updates})
 * @param codename Codename ({@code bookworm}, {@code noble})
 * @param date Date, as written
 * @param validUntil Valid-Until, as written
 * @param architectures Architectures (empty: the field is absent, and apt then accepts any)
 * @param components Components (empty: absent, any accepted)
 * @param noSupportForArchitectureAll No-Support-for-Architecture-all ({@code Packages}: the
 *     binary-all Packages duplicates what binary-ARCH lists, so apt does not read it)
 * @param files the SHA256 list: path relative to the Release's directory → size and checksum
 * @param acquireByHash {@code Acquire-By-Hash: yes}: index files are also published under
 *     {@code DIR/by-hash/SHA256/HEX}, which stay valid while a mirror is updated, and apt reads them there
 */
public record DebRelease(URI uri, boolean signed, Optional<String> origin, Optional<String> label,
        Optional<String> suite, Optional<String> codename, Optional<String> date, Optional<String> validUntil,
        List<String> architectures, List<String> components, List<String> noSupportForArchitectureAll,
        Map<String, FileEntry> files, boolean acquireByHash) {

    /** A Release is small (bookworm's is 151 KB); anything much larger is not one. */
    static final int MAX_BYTES = 32 << 20;

    /** One line of the SHA256 list. */
    public record FileEntry(long size, Checksum sha256) {
        public FileEntry {
            Objects.requireNonNull(sha256, "sha256");
            if (size < 0) {
                throw new IllegalArgumentException("negative size");
            }
        }
    }

    public DebRelease {
        Objects.requireNonNull(uri, "uri");
        architectures = List.copyOf(architectures);
        components = List.copyOf(components);
        noSupportForArchitectureAll = List.copyOf(noSupportForArchitectureAll);
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    private static final List<String> FIELDS = List.of("Origin", "Label", "Suite", "Codename", "Date",
            "Valid-Until", "Architectures", "Components", "No-Support-for-Architecture-all", "SHA256", "Acquire-By-Hash");

    /**
     * Parses a Release, or an InRelease after removing its clear-sign armour.
     *
     * @throws SourceException (SOURCE) for malformed armour, a malformed SHA256 list, no SHA256
     *     list, or a field over the limit
     */
    static DebRelease parse(byte[] bytes, URI uri, boolean inRelease, int maxField) throws SourceException {
        String where = uri.toString();
        byte[] body = inRelease ? dearmor(bytes, where) : bytes;
        String[] v;
        try {
            ControlReader r = new ControlReader(new ByteArrayInputStream(body), where, maxField, FIELDS);
            v = r.next();
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "cannot read: " + e.getMessage(), e);
        }
        if (v == null) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "empty Release");
        }
        if (v[9] == null) {
            throw new SourceException(SourceException.Kind.SOURCE, where,
                    "no SHA256 list (symdex checks index files against SHA256 only)");
        }
        Map<String, FileEntry> files = new TreeMap<>();
        for (String l : v[9].split("\n")) {
            String t = l.strip();
            if (t.isEmpty()) {
                continue;
            }
            String[] w = t.split("[ \t]+");
            Optional<Checksum> c = w.length == 3 ? Checksum.parse("sha256", w[0]) : Optional.empty();
            long size = w.length == 3 ? parseSize(w[1]) : -1;
            if (c.isEmpty() || size < 0) {
                throw new SourceException(SourceException.Kind.SOURCE, where,
                        "malformed SHA256 line '" + t + "' (expected HEX SIZE PATH)");
            }
            files.put(w[2], new FileEntry(size, c.get()));
        }
        return new DebRelease(uri, inRelease, opt(v[0]), opt(v[1]), opt(v[2]), opt(v[3]), opt(v[4]), opt(v[5]),
                words(v[6]), words(v[7]), words(v[8]), files,
                v[10] != null && AptSourcesParser.stringToBool(v[10]) == 1);
    }

    /** A decimal size that fits a long, or -1. */
    static long parseSize(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(s);
    }

    private static Optional<String> opt(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        if (s != null) {
            for (String w : s.split("[ \t\n]+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /**
     * The signed text of a clear-signed InRelease, as apt's {@code SplitClearSignedFile}
     * (apt-pkg/contrib/gpgv.cc) takes it: the first line opens the signed message, armour headers
     * run to an empty line, the text to the signature, dash-escaped lines ("- ") lose their
     * escape, any other line starting with '-' is refused (a trick to make our view and gpgv's
     * differ), and nothing but signature blocks may follow. The signature is not checked here.
     */
    static byte[] dearmor(byte[] bytes, String where) throws SourceException {
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        int i = 0;
        if (lines.length == 0 || !strip(lines[0]).equals("-----BEGIN PGP SIGNED MESSAGE-----")) {
            throw armour(where, "InRelease does not start with a signed message block");
        }
        for (i = 1; i < lines.length && !strip(lines[i]).isEmpty(); i++) {
            if (lines[i].startsWith("-")) {
                throw armour(where, "unexpected line starting with a dash (armor)");
            }
        }
        if (i >= lines.length) {
            throw armour(where, "InRelease ends in its armour headers");
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream(bytes.length);
        boolean first = true;
        for (i++; ; i++) {
            if (i >= lines.length) {
                throw armour(where, "InRelease has no signature block");
            }
            String l = strip(lines[i]);
            String out;
            if (l.startsWith("-")) {
                if (l.equals("-----BEGIN PGP SIGNATURE-----")) {
                    break;
                }
                if (!l.startsWith("- ")) {
                    throw armour(where, "unexpected line starting with a dash (msg)");
                }
                out = l.substring(2);
            } else {
                out = l;
            }
            if (!first) {
                text.write('\n');
            }
            text.writeBytes(out.getBytes(StandardCharsets.UTF_8));
            first = false;
        }
        boolean open = true;
        for (i++; i < lines.length; i++) {
            String l = strip(lines[i]);
            if (open) {
                if (l.equals("-----END PGP SIGNATURE-----")) {
                    open = false;
                } else if (l.startsWith("-")) {
                    throw armour(where, "unexpected line starting with a dash (sig)");
                }
            } else if (l.equals("-----BEGIN PGP SIGNATURE-----")) {
                open = true;
            } else if (!(l.isEmpty() && i == lines.length - 1)) {
                throw armour(where, "InRelease holds unsigned lines after its signature");
            }
        }
        if (open) {
            throw armour(where, "InRelease signature block not closed");
        }
        text.write('\n');
        return text.toByteArray();
    }

    private static String strip(String l) {
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }

    private static SourceException armour(String where, String reason) {
        return new SourceException(SourceException.Kind.SOURCE, where, reason);
    }
}
