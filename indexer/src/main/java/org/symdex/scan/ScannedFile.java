package org.symdex.scan;

import java.util.List;
import java.util.Objects;
import org.symdex.cap.ElfCapabilities;
import org.symdex.elf.ElfFile;

/**
 * One analysed ELF file of a package.
 *
 * @param path installed path, starting with "/"
 * @param mode permission bits of the archive entry (what the file has once installed), which gate
 *     requires (capabilities.md §2.4)
 * @param elf the parsed file (shared by all names of a hard-link set)
 * @param caps its capabilities under this path and mode; non-fatal ELF problems are in caps.warnings()
 */
public record ScannedFile(String path, int mode, ElfFile elf, ElfCapabilities caps) {
    public ScannedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(caps, "caps");
    }

    /** Its ELF problems (caps.warnings()) as warnings of the package: one format to print and to store. */
    public List<Warning> warnings() {
        return caps.warnings().stream().map(w -> new Warning(path, w)).toList();
    }
}
