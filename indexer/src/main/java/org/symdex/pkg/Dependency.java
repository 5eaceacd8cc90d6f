package org.symdex.pkg;

import java.util.Objects;

/**
 * A capability a package declares in its own metadata: rpm's PROVIDE and REQUIRE tag triples,
 * or a Debian Provides/Depends/Pre-Depends relation.
 *
 * @param name the capability or package name (ISO-8859-1 decoded, byte for byte)
 * @param flags rpm sense flags (RPMSENSE_*); Debian relations use the same LESS/GREATER/EQUAL bits,
 *     and {@link #DEB_ALTERNATIVE} marks a Debian relation as an alternative ("|") to the one before it
 * @param version the EVR, or "" when unversioned
 */
public record Dependency(String name, int flags, String version) {
    public static final int LESS = 1 << 1;
    public static final int GREATER = 1 << 2;
    public static final int EQUAL = 1 << 3;
    /** rpm's RPMSENSE_FIND_REQUIRES: the entry came from a dependency generator (capabilities.md §6). */
    public static final int FIND_REQUIRES = 1 << 14;
    /** rpm's RPMSENSE_FIND_PROVIDES. */
    public static final int FIND_PROVIDES = 1 << 15;
    /** Not an rpm bit (rpm leaves bit 30 unused): "or" in a Debian relation such as {@code a | b}. */
    public static final int DEB_ALTERNATIVE = 1 << 30;

    public Dependency {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }
}
