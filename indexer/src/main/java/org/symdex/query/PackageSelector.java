package org.symdex.query;

import java.util.Objects;

/**
 * The PKG argument of {@code provides} and {@code requires}: {@code NAME}, {@code NAME=VERSION},
 * {@code NAME:ARCH} or {@code NAME:ARCH=VERSION}. The architecture goes before '=' because a version
 * may itself hold ':' (a Debian or rpm epoch, {@code 1:2.3-4}), and package names hold neither ':'
 * nor '=' in Debian or rpm.
 *
 * @param version null for any; else {@code [EPOCH:]VERSION[-RELEASE]} exactly as indexed (Schema.PKG_EVR)
 * @param arch null for any
 */
public record PackageSelector(String name, String version, String arch) {
    public PackageSelector {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("package name is empty (expected NAME, NAME=VERSION, NAME:ARCH "
                    + "or NAME:ARCH=VERSION)");
        }
        if (version != null && version.isEmpty() || arch != null && arch.isEmpty()) {
            throw new IllegalArgumentException("empty version or architecture in '" + name
                    + "' (expected NAME, NAME=VERSION, NAME:ARCH or NAME:ARCH=VERSION)");
        }
    }

    public static PackageSelector parse(String s) {
        int eq = s.indexOf('=');
        String left = eq < 0 ? s : s.substring(0, eq);
        String version = eq < 0 ? null : s.substring(eq + 1);
        int colon = left.indexOf(':');
        String name = colon < 0 ? left : left.substring(0, colon);
        String arch = colon < 0 ? null : left.substring(colon + 1);
        if (name.isEmpty() || version != null && version.isEmpty() || arch != null && arch.isEmpty()) {
            throw new IllegalArgumentException("'" + s + "' is not NAME, NAME=VERSION, NAME:ARCH or NAME:ARCH=VERSION");
        }
        return new PackageSelector(name, version, arch);
    }

    @Override
    public String toString() {
        return name + (arch == null ? "" : ":" + arch) + (version == null ? "" : "=" + version);
    }
}
