package org.symdex.source;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A checksum as metadata declares it. Debian's Release and Packages give SHA256 (we use nothing
 * weaker); rpm-md may give sha1, sha512 and the rest (createrepo_c {@code --checksum}). A checksum
 * that is not SHA-256 is stored as {@code TYPE:HEX} beside the SHA-256 we compute while reading
 * (issue item 5), which is why {@link #toString} has that form.
 *
 * @param algorithm lower-case: md5, sha1, sha224, sha256, sha384 or sha512
 * @param hex lower-case hex digits of the right length for the algorithm
 */
public record Checksum(String algorithm, String hex) {

    /** Digest length in hex digits per algorithm, and the JCA name. */
    private static final Map<String, Integer> HEX_LENGTH = Map.of(
            "md5", 32, "sha1", 40, "sha224", 56, "sha256", 64, "sha384", 96, "sha512", 128);

    public Checksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
        Integer len = HEX_LENGTH.get(algorithm);
        if (len == null) {
            throw new IllegalArgumentException("unknown checksum type '" + algorithm + "'");
        }
        if (hex.length() != len || !lowerHex(hex)) {
            throw new IllegalArgumentException("not a " + algorithm + " checksum: '" + hex + "'");
        }
    }

    /** A plain loop: this runs once per listed package (63,440 times for bookworm main amd64). */
    private static boolean lowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** A SHA-256 checksum. */
    public static Checksum sha256(String hex) {
        return new Checksum("sha256", hex.toLowerCase(Locale.ROOT));
    }

    /**
     * A checksum from metadata: the type as rpm-md spells it ({@code sha} is yum's old name for
     * sha1, and createrepo_c still writes it), hex in any case. Empty if either is not valid.
     */
    public static Optional<Checksum> parse(String type, String hex) {
        if (type == null || hex == null) {
            return Optional.empty();
        }
        String t = type.trim().toLowerCase(Locale.ROOT).replace("-", "");
        if (t.equals("sha")) {
            t = "sha1";
        }
        try {
            return Optional.of(new Checksum(t, hex.trim().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isSha256() {
        return algorithm.equals("sha256");
    }

    /** SHA256, SHA1, MD5: the name in messages ("SHA256 mismatch"). */
    public String displayName() {
        return algorithm.toUpperCase(Locale.ROOT);
    }

    /** A fresh digest of this algorithm. */
    public MessageDigest newDigest() {
        return digest(algorithm);
    }

    static MessageDigest digest(String algorithm) {
        String jca = switch (algorithm) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            default -> "SHA-" + algorithm.substring(3);
        };
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jca, e);
        }
    }

    /** {@code TYPE:HEX}, e.g. {@code sha1:5e53...}. */
    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
