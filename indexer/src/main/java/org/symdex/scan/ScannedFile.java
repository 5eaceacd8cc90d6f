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
 * @param links the package's symlinks that resolve to this file (issue 16: the path people know is
 *     usually the soname link, {@code /usr/lib/x86_64-linux-gnu/libz.so.1}), sorted bytewise
 */
public record ScannedFile(String path, int mode, ElfFile elf, ElfCapabilities caps, List<String> links) {
    public ScannedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(caps, "caps");
        links = List.copyOf(links);
    }

    /** A file no symlink of its package points at (an ELF file given on the command line). */
    public ScannedFile(String path, int mode, ElfFile elf, ElfCapabilities caps) {
        this(path, mode, elf, caps, List.of());
    }

    /** The same file with the package's symlinks to it. */
    ScannedFile withLinks(List<String> links) {
        return new ScannedFile(path, mode, elf, caps, links);
    }

    /** Its ELF problems (caps.warnings()) as warnings of the package: one format to print and to store. */
    public List<Warning> warnings() {
        return caps.warnings().stream().map(w -> new Warning(path, w)).toList();
    }
}
