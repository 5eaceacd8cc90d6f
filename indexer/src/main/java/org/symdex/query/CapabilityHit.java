package org.symdex.query;

import java.util.Comparator;
import java.util.Objects;

/**
 * One answer line: a package, the installed file that carries the capability (null for a capability
 * the rpm header declares), the scope it lives in, and the capability term itself (never the glob).
 */
public record CapabilityHit(IndexedPackage pkg, String path, String scope, String capability) {
    /**
     * The order of the tsv lines (NAME, VERSION, ARCH, PACKAGE-FILE, PATH, CAPABILITY), a declared
     * capability's PATH being "-". Strings are byte strings (one char per byte), so comparing chars is
     * comparing bytes.
     */
    public static final Comparator<CapabilityHit> ORDER = Comparator.comparing(CapabilityHit::pkg, IndexedPackage.ORDER)
            .thenComparing(CapabilityHit::pathOrDash).thenComparing(CapabilityHit::capability)
            .thenComparing(CapabilityHit::scope);

    public CapabilityHit {
        Objects.requireNonNull(pkg, "pkg");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(capability, "capability");
    }

    /** Whether the rpm header declares it, rather than an ELF file deriving it. */
    public boolean declared() {
        return path == null;
    }

    /** PATH as the tsv column prints it: "-" for a declared capability. */
    public String pathOrDash() {
        return path == null ? "-" : path;
    }
}
