package org.symdex.scan;

import java.util.List;
import java.util.Objects;
import org.symdex.pkg.PackageInfo;

/**
 * What one package holds: its metadata, its ELF files sorted by path bytewise, and warnings in
 * archive order.
 */
public record PackageScan(PackageInfo info, List<ScannedFile> files, List<Warning> warnings) {
    public PackageScan {
        Objects.requireNonNull(info, "info");
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }
}
