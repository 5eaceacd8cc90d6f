package org.symdex.elf;

/** One program header table entry. */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long filesz, long memsz, long align) {
}
