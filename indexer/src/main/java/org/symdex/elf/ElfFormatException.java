package org.symdex.elf;

import java.util.Locale;

/**
 * The one exception of the ELF layer: the file's header or section header table cannot be read at all.
 * Problems further in (a bad string offset, a version chain running off its section) are not exceptions;
 * they become {@link ElfFile#warnings()} because elfdeps, too, keeps what it read up to the bad entry.
 */
public final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String structure;
    private final long offset;

    public ElfFormatException(String structure, long offset, String reason) {
        super(String.format(Locale.ROOT, "%s @0x%x: %s", structure, offset, reason));
        this.structure = structure;
        this.offset = offset;
    }

    /** The ELF structure that could not be read, e.g. {@code "section header table"}. */
    public String structure() {
        return structure;
    }

    /** File offset of the structure. */
    public long offset() {
        return offset;
    }
}
