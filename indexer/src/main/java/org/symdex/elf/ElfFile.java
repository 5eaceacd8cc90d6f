package org.symdex.elf;

import static org.symdex.elf.ElfConstants.hex;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ELF file, parsed eagerly from a {@link ByteBuffer} holding the whole file. Nothing is copied but the
 * names, and the result keeps no reference to the buffer, so a caller may reuse the buffer at once.
 *
 * <p>What is read follows rpm's elfdeps (through libelf) wherever the capabilities depend on it: sections
 * are found through the section header table only (PT_DYNAMIC is never used), every dynamic entry up to
 * sh_size counts, and version chains stop at the first entry that cannot be read or resolved, keeping
 * what came before. Each such stop is a {@link #warnings() warning} naming the structure and offset.
 * Every loop is bounded by what its section can hold, so a chain that points at itself or a count of
 * 2^31 ends at once.
 *
 * <p>Names are decoded as ISO-8859-1, so every byte maps to one char: names round-trip and
 * {@link String#compareTo} orders them bytewise.
 */
public final class ElfFile {
    /** Sizes of the structures libelf steps by, whatever sh_entsize says. */
    private static final int VERDEF_SIZE = 20;
    private static final int VERDAUX_SIZE = 8;
    private static final int VERNEED_SIZE = 16;
    private static final int VERNAUX_SIZE = 16;
    /**
     * Upper bound on inner-chain steps (verdaux, vernaux) in a file, over all its version sections. Real
     * files take a few hundred; a crafted file with vd_cnt 65535 on every entry, or thousands of section
     * headers naming one looping chain, would take billions, so past this we stop and warn. Each step keeps
     * an entry of some 50 bytes, so this also bounds what the chains cost in memory (3 MB).
     */
    private static final int MAX_AUX_STEPS = 1 << 16;

    private final ElfHeader header;
    private final List<ProgramHeader> programHeaders;
    private final List<Section> sections;
    private final String interpreter;
    private final List<DynamicTable> dynamicTables;
    private final List<VersionTable> versionTables;
    private final List<DynamicSymbol> dynamicSymbols;
    private final List<String> warnings;

    private ElfFile(Parser p) {
        this.header = p.header;
        this.programHeaders = List.copyOf(p.programHeaders);
        this.sections = List.copyOf(p.sections);
        this.interpreter = p.interpreter;
        this.dynamicTables = List.copyOf(p.dynamicTables);
        this.versionTables = List.copyOf(p.versionTables);
        this.dynamicSymbols = List.copyOf(p.dynamicSymbols);
        this.warnings = List.copyOf(p.warnings);
    }

    /**
     * Parses the whole file held between the buffer's position and limit, dynamic symbols included. The
     * buffer's position, limit and byte order are left as they were.
     */
    public static ElfFile parse(ByteBuffer whole) throws ElfFormatException {
        return parse(whole, true);
    }

    /**
     * As {@link #parse(ByteBuffer)}; with {@code withSymbols} false, .dynsym is not decoded, which is all
     * the capability rules need.
     */
    public static ElfFile parse(ByteBuffer whole, boolean withSymbols) throws ElfFormatException {
        return parse(whole, withSymbols, Long.MAX_VALUE);
    }

    /**
     * As {@link #parse(ByteBuffer, boolean)}, decoding .dynsym only when what its symbols would cost in
     * memory fits {@code symbolBudget} bytes ({@link #symbolCost}); otherwise the symbols are left out
     * with a warning and the rest of the file, capabilities included, is read as usual. A C++ library
     * such as deal.II's debug build exports 930,858 symbols with 198 MB of names: decoded, indexed and
     * stored, that is more than a 512 MB heap holds, and a crawl must not die of one file.
     */
    public static ElfFile parse(ByteBuffer whole, boolean withSymbols, long symbolBudget) throws ElfFormatException {
        Parser p = new Parser(whole.slice());
        p.symbolBudget = symbolBudget;
        p.parse(withSymbols);
        return new ElfFile(p);
    }

    /**
     * What decoding and indexing {@code count} symbols whose string table holds {@code nameBytes} costs
     * in heap, roughly: each name is held about four times on the way (the decoded string, the index
     * term, its copy in Lucene's term hash, the stored table) plus some 256 bytes of objects per symbol.
     */
    public static long symbolCost(long count, long nameBytes) {
        return count * 256 + nameBytes * 4;
    }

    /**
     * Whether the bytes at the buffer's position start like an ELF file symdex can read: the magic, a valid
     * EI_CLASS and a valid EI_DATA. The buffer is not moved. EI_VERSION is left to {@link #parse}, which
     * refuses anything but 1 as libelf does, with the reason: such a file is reported, not skipped silently.
     */
    public static boolean looksLikeElf(ByteBuffer head) {
        int p = head.position();
        if (head.remaining() < 6) {
            return false;
        }
        return head.get(p) == 0x7f && head.get(p + 1) == 'E' && head.get(p + 2) == 'L' && head.get(p + 3) == 'F'
                && (head.get(p + 4) == 1 || head.get(p + 4) == 2) && (head.get(p + 5) == 1 || head.get(p + 5) == 2);
    }

    public ElfHeader header() {
        return header;
    }

    public boolean is64() {
        return header.is64();
    }

    public int type() {
        return header.type();
    }

    public int machine() {
        return header.machine();
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    public List<Section> sections() {
        return sections;
    }

    /** The PT_INTERP path, or null. Read as elfdeps does: the first PT_INTERP inside the file, up to NUL. */
    public String interpreter() {
        return interpreter;
    }

    /** One table per SHT_DYNAMIC section, in section order (normally exactly one). */
    public List<DynamicTable> dynamicTables() {
        return dynamicTables;
    }

    /** The verdef and verneed chains, in section order. */
    public List<VersionTable> versionTables() {
        return versionTables;
    }

    /** .dynsym without its null entry 0, each with its .gnu.version entry. Empty when parsed without symbols. */
    public List<DynamicSymbol> dynamicSymbols() {
        return dynamicSymbols;
    }

    /** Problems that did not stop the parse, each as {@code structure @0xOFFSET: reason}. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Whether the file has .gnu.version. ld.so checks symbol versions only in objects that have it; an
     * object without it matches a reference of any version.
     */
    public boolean hasSymbolVersions() {
        for (Section s : sections) {
            if (s.type() == ElfConstants.SHT_GNU_VERSYM) {
                return true;
            }
        }
        return false;
    }

    /** DT_SONAME: the last resolvable one of the dynamic sections the capability rules read, or null. */
    public String soname() {
        String soname = null;
        for (DynamicTable t : dynamicTables) {
            for (String s : t.strings(ElfConstants.DT_SONAME)) {
                soname = s;
            }
        }
        return soname;
    }

    /** DT_NEEDED names in order. */
    public List<String> needed() {
        return dynamicStrings(ElfConstants.DT_NEEDED);
    }

    public List<String> runpath() {
        return dynamicStrings(ElfConstants.DT_RUNPATH);
    }

    public List<String> rpath() {
        return dynamicStrings(ElfConstants.DT_RPATH);
    }

    private List<String> dynamicStrings(long tag) {
        List<String> out = new ArrayList<>();
        for (DynamicTable t : dynamicTables) {
            out.addAll(t.strings(tag));
        }
        return out;
    }

    public List<VersionDefinition> versionDefinitions() {
        List<VersionDefinition> out = new ArrayList<>();
        for (VersionTable t : versionTables) {
            if (t instanceof VersionTable.Definitions d) {
                out.addAll(d.entries());
            }
        }
        return out;
    }

    public List<VersionNeed> versionNeeds() {
        List<VersionNeed> out = new ArrayList<>();
        for (VersionTable t : versionTables) {
            if (t instanceof VersionTable.Needs n) {
                out.addAll(n.entries());
            }
        }
        return out;
    }

    /** Reads one file. All state lives here so that ElfFile itself is immutable. */
    private static final class Parser {
        private final ByteBuffer buf;
        private final long size;
        private ElfHeader header;
        private boolean is64;
        private final List<ProgramHeader> programHeaders = new ArrayList<>();
        private final List<Section> sections = new ArrayList<>();
        private String interpreter;
        private final List<DynamicTable> dynamicTables = new ArrayList<>();
        private final List<VersionTable> versionTables = new ArrayList<>();
        private final List<DynamicSymbol> dynamicSymbols = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        private long symbolBudget = Long.MAX_VALUE;
        /** verdaux and vernaux steps taken so far, in all sections (MAX_AUX_STEPS). */
        private int auxSteps;
        /**
         * Version and dynamic-entry names by (string table index, offset): a looping chain reads one entry
         * up to 65535 times, and each read would copy its name again. A fuzzed 115 KB file whose vernaux
         * loop named a 100 KB string ran out of heap that way (65,535 copies, 6.5 GB).
         */
        private final Map<Long, String> names = new HashMap<>();
        /**
         * Bytes of string tables that name lookups may scan in all: four times the file, plus 1 MiB. Real
         * files scan each name about once, which is less than the file; a crafted one can point thousands
         * of distinct offsets into one long run (each a different suffix), which the cache does not help.
         * Past it, names are unresolved, as a bad offset is, after one warning.
         */
        private final long nameBudget;
        private long nameBytes;

        Parser(ByteBuffer buf) {
            this.buf = buf;
            this.size = buf.limit();
            this.nameBudget = 4 * size + (1 << 20);
        }

        void parse(boolean withSymbols) throws ElfFormatException {
            readHeader();
            readProgramHeaders();
            readSectionHeaders();
            for (Section s : sections) {
                if (s.index() == 0) {
                    continue; // libelf's elf_nextscn starts at section 1
                }
                switch (s.type()) {
                    case ElfConstants.SHT_GNU_VERDEF -> readVerdef(s);
                    case ElfConstants.SHT_GNU_VERNEED -> readVerneed(s);
                    case ElfConstants.SHT_DYNAMIC -> readDynamic(s);
                    default -> {
                    }
                }
            }
            if (withSymbols) {
                readDynamicSymbols();
            }
        }

        // ---- header and tables -------------------------------------------------------------------

        private void readHeader() throws ElfFormatException {
            if (size < 16) {
                throw new ElfFormatException("ELF header", 0, "file of " + size + " bytes is too short");
            }
            if (buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
                throw new ElfFormatException("ELF header", 0, "no ELF magic");
            }
            int cls = buf.get(4) & 0xff;
            int data = buf.get(5) & 0xff;
            if (cls != ElfConstants.ELFCLASS32 && cls != ElfConstants.ELFCLASS64) {
                throw new ElfFormatException("ELF header", 4, "EI_CLASS " + cls + " is neither 1 nor 2");
            }
            if (data != ElfConstants.ELFDATA2LSB && data != ElfConstants.ELFDATA2MSB) {
                throw new ElfFormatException("ELF header", 5, "EI_DATA " + data + " is neither 1 nor 2");
            }
            int version = buf.get(6) & 0xff;
            if (version != ElfConstants.EV_CURRENT) {
                // libelf's determine_kind (libelf/common.h) takes a file for ELF only with EI_VERSION ==
                // EV_CURRENT; otherwise elf_begin gives an ELF_K_NONE descriptor and elfdeps' processFile stops
                // at elf_kind() != ELF_K_ELF: nothing printed, exit 1 (capabilities.md §2.1).
                throw new ElfFormatException("ELF header", 6, "EI_VERSION " + version
                        + " is not 1 (EV_CURRENT): libelf does not take the file for ELF, so elfdeps prints nothing");
            }
            is64 = cls == ElfConstants.ELFCLASS64;
            buf.order(data == ElfConstants.ELFDATA2LSB ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            // The header is read at its natural size: e_ehsize, like e_version (offset 20), is never looked at.
            // libelf copies both in file_read_elf (elf_begin.c) and checks them only when it writes a file
            // (elf32_updatenull.c); read_unmmaped_file takes a file shorter than the header for not ELF.
            int ehsize = is64 ? 64 : 52;
            if (size < ehsize) {
                throw new ElfFormatException("ELF header", 0,
                        "file of " + size + " bytes is shorter than the " + ehsize + "-byte header");
            }
            int type = u16(16);
            int machine = u16(18);
            int flags;
            long entry;
            long phoff;
            long shoff;
            int o;
            if (is64) {
                entry = buf.getLong(24);
                phoff = buf.getLong(32);
                shoff = buf.getLong(40);
                flags = buf.getInt(48);
                o = 52;
            } else {
                entry = u32(24);
                phoff = u32(28);
                shoff = u32(32);
                flags = buf.getInt(36);
                o = 40;
            }
            int phentsize = u16(o + 2);
            int phnum = u16(o + 4);
            int shentsize = u16(o + 6);
            int shnum = u16(o + 8);
            int shstrndx = u16(o + 10);
            int shdrSize = is64 ? 64 : 40;
            if (shoff != 0 && (shnum == 0 || shstrndx == ElfConstants.SHN_XINDEX)) {
                // Extended numbering: the real counts live in section header 0 (gABI, "Section Header").
                if (shoff < 0 || shoff > size - shdrSize) {
                    throw new ElfFormatException("section header 0", shoff,
                            "runs past the end of the " + size + "-byte file");
                }
                long sh0Size = is64 ? buf.getLong((int) shoff + 32) : u32((int) shoff + 20);
                long sh0Link = u32((int) shoff + (is64 ? 40 : 24));
                if (shnum == 0) {
                    if (sh0Size < 0 || sh0Size > Integer.MAX_VALUE) {
                        throw new ElfFormatException("section header 0", shoff, "absurd extended e_shnum " + sh0Size);
                    }
                    shnum = (int) sh0Size;
                }
                if (shstrndx == ElfConstants.SHN_XINDEX) {
                    shstrndx = (int) Math.min(sh0Link, Integer.MAX_VALUE);
                }
            }
            if (phnum == ElfConstants.PN_XNUM && shoff != 0 && shnum > 0 && fits(shoff, shdrSize)) {
                // libelf's __elf_getphdrnum_rdlock (elf_getphdrnum.c, elfutils 0.188): e_phnum PN_XNUM takes the
                // count from section 0's sh_info when the file has section headers; without them it stays 0xffff.
                long sh0Info = u32((int) shoff + (is64 ? 44 : 28));
                phnum = (int) Math.min(sh0Info, Integer.MAX_VALUE);
            }
            header = new ElfHeader(cls, buf.order(), buf.get(7) & 0xff, type, machine, entry, phoff, phentsize,
                    phnum, shoff, shentsize, shnum, shstrndx, flags);
        }

        private void readProgramHeaders() {
            int n = header.phnum();
            if (n == 0) {
                return;
            }
            // libelf's elf32_getphdr.c (__elfw2(LIBELFBITS,getphdr_wrlock), elfutils 0.188) reads e_phnum
            // entries of sizeof (ElfNN_Phdr) from e_phoff and never reads e_phentsize. It refuses the whole
            // table when e_phoff is 0 or the table, at that natural size, does not fit in the file; elfdeps
            // then sees no PT_INTERP (capabilities.md §2.1, §2.4).
            int entsize = is64 ? 56 : 32;
            long off = header.phoff();
            if (off == 0) {
                warnings.add("program header table @0x0: e_phoff is 0 with e_phnum " + n
                        + "; no program headers read, as libelf reads none");
                return;
            }
            if (!fits(off, (long) n * entsize)) {
                warnings.add("program header table @" + hex(off) + ": " + n + " entries of " + entsize
                        + " bytes run past the end of the " + size + "-byte file; no program headers read, as libelf"
                        + " reads none");
                return;
            }
            if (header.phentsize() != entsize) {
                warnings.add("ELF header @" + hex(is64 ? 54 : 42) + ": e_phentsize " + header.phentsize() + " is not "
                        + entsize + "; program headers read at " + entsize + " bytes each, as libelf does");
            }
            for (int i = 0; i < n; i++) {
                int b = (int) (off + (long) i * entsize);
                ProgramHeader ph;
                if (is64) {
                    ph = new ProgramHeader(buf.getInt(b), buf.getInt(b + 4), buf.getLong(b + 8),
                            buf.getLong(b + 16), buf.getLong(b + 32), buf.getLong(b + 40), buf.getLong(b + 48));
                } else {
                    ph = new ProgramHeader(buf.getInt(b), buf.getInt(b + 24), u32(b + 4), u32(b + 8),
                            u32(b + 16), u32(b + 20), u32(b + 28));
                }
                programHeaders.add(ph);
                // elfdeps: the first PT_INTERP whose p_offset lies inside the file, read up to the NUL.
                if (ph.type() == ElfConstants.PT_INTERP && interpreter == null) {
                    if (ph.offset() >= 0 && ph.offset() < size) {
                        interpreter = cString((int) ph.offset(), size);
                        if (interpreter == null) {
                            warnings.add("PT_INTERP @" + hex(ph.offset()) + ": no NUL before the end of the file");
                            interpreter = latin1((int) ph.offset(), (int) (size - ph.offset()));
                        }
                    } else {
                        warnings.add("PT_INTERP @" + hex(b) + ": p_offset " + hex(ph.offset())
                                + " lies outside the file; ignored as elfdeps does");
                    }
                }
            }
        }

        private void readSectionHeaders() throws ElfFormatException {
            int n = header.shnum();
            long off = header.shoff();
            if (n == 0 || off == 0) {
                return; // no section headers (e.g. sstrip): elfdeps sees no SONAME, NEEDED or versions
            }
            // libelf reads e_shnum entries of sizeof (ElfNN_Shdr) from e_shoff and never reads e_shentsize:
            // get_shnum and file_read_elf (elf_begin.c) and load_shdr_wrlock (elf32_getshdr.c, elfutils 0.188).
            // A table that does not fit at that size is where symdex knowingly differs (capabilities.md §9):
            // get_shnum then pretends there are no section headers; symdex reports the file unreadable.
            int entsize = is64 ? 64 : 40;
            if (!fits(off, (long) n * entsize)) {
                throw new ElfFormatException("section header table", off,
                        n + " entries of " + entsize + " bytes run past the end of the " + size + "-byte file");
            }
            if (header.shentsize() != entsize) {
                warnings.add("ELF header @" + hex(is64 ? 58 : 46) + ": e_shentsize " + header.shentsize() + " is not "
                        + entsize + "; section headers read at " + entsize + " bytes each, as libelf does");
            }
            List<long[]> raw = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int b = (int) (off + (long) i * entsize);
                long[] r;
                if (is64) {
                    r = new long[] {u32(b), u32(b + 4), buf.getLong(b + 8), buf.getLong(b + 16), buf.getLong(b + 24),
                            buf.getLong(b + 32), u32(b + 40), u32(b + 44), buf.getLong(b + 48), buf.getLong(b + 56)};
                } else {
                    r = new long[] {u32(b), u32(b + 4), u32(b + 8), u32(b + 12), u32(b + 16), u32(b + 20),
                            u32(b + 24), u32(b + 28), u32(b + 32), u32(b + 36)};
                }
                raw.add(r);
            }
            // Section names, for people; nothing in the capability rules depends on them.
            long[] shstr = header.shstrndx() > 0 && header.shstrndx() < n ? raw.get(header.shstrndx()) : null;
            boolean shstrOk = shstr != null && shstr[1] == ElfConstants.SHT_STRTAB && fits(shstr[4], shstr[5]);
            for (int i = 0; i < n; i++) {
                long[] r = raw.get(i);
                String name = "";
                if (shstrOk && r[0] < shstr[5]) {
                    String s = cString((int) (shstr[4] + r[0]), shstr[4] + shstr[5]);
                    name = s == null ? "" : s;
                }
                int type = (int) r[1];
                boolean inFile = type == ElfConstants.SHT_NOBITS || fits(r[4], r[5]);
                sections.add(new Section(i, name, type, r[2], r[3], r[4], r[5], (int) r[6], (int) r[7], r[8], r[9],
                        inFile));
                if (!inFile && i > 0 && isInteresting(type)) {
                    warnings.add(sectionLabel(sections.get(i)) + " @" + hex(r[4]) + ": " + r[5]
                            + " bytes run past the end of the " + size + "-byte file; section ignored as libelf does");
                }
            }
        }

        private static boolean isInteresting(int type) {
            return type == ElfConstants.SHT_DYNAMIC || type == ElfConstants.SHT_GNU_VERDEF
                    || type == ElfConstants.SHT_GNU_VERNEED || type == ElfConstants.SHT_DYNSYM
                    || type == ElfConstants.SHT_GNU_VERSYM || type == ElfConstants.SHT_STRTAB;
        }

        // ---- .dynamic ----------------------------------------------------------------------------

        private void readDynamic(Section s) {
            if (!s.hasData()) {
                return;
            }
            int natural = is64 ? 16 : 8;
            boolean entsizeZero = s.entsize() == 0;
            long count;
            if (entsizeZero) {
                // rpm 4.18 divides sh_size by 0 here and dies with SIGFPE; 4.20 skips the section.
                warnings.add(sectionLabel(s) + " @" + hex(s.offset())
                        + ": sh_entsize is 0; skipped for capabilities as rpm 4.20 does (rpm 4.18 crashes)");
                count = s.size() / natural;
            } else {
                // elfdeps loops sh_size/sh_entsize times, but gelf_getdyn steps by the struct size and
                // fails past the data: the entries read are the smaller of the two counts.
                count = Math.min(Long.divideUnsigned(s.size(), s.entsize()), s.size() / natural);
            }
            List<DynamicEntry> entries = new ArrayList<>((int) Math.min(count, 4096));
            for (long i = 0; i < count; i++) {
                int b = (int) (s.offset() + i * natural);
                long tag = is64 ? buf.getLong(b) : buf.getInt(b);
                long val = is64 ? buf.getLong(b + 8) : u32(b + 4);
                String str = null;
                if (tag == ElfConstants.DT_NEEDED || tag == ElfConstants.DT_SONAME || tag == ElfConstants.DT_RPATH
                        || tag == ElfConstants.DT_RUNPATH) {
                    str = cachedStringAt(s.link(), val);
                    if (str == null) {
                        warnings.add(sectionLabel(s) + " @" + hex(b) + ": d_tag " + tag + " string offset " + hex(val)
                                + " cannot be resolved in section " + s.link() + "; entry skipped");
                    }
                }
                entries.add(new DynamicEntry(tag, val, str));
            }
            dynamicTables.add(new DynamicTable(s.index(), entries, entsizeZero));
        }

        // ---- .gnu.version_d ----------------------------------------------------------------------

        private void readVerdef(Section s) {
            if (!s.hasData()) {
                return;
            }
            String where = sectionLabel(s);
            long secSize = s.size();
            List<VersionDefinition> defs = new ArrayList<>();
            Map<Long, Integer> seen = new HashMap<>();
            int cycleFrom = -1;
            long offset = 0; // elfdeps keeps offsets in an unsigned int: they wrap at 2^32
            // elfdeps reads sh_info entries; the chain can hold at most one per distinct offset, so a
            // revisited offset means a loop that would only repeat what was already emitted.
            for (long i = 0; i < Integer.toUnsignedLong(s.info()); i++) {
                if (!readable(offset, VERDEF_SIZE, secSize)) {
                    warnings.add(where + " @" + hex(s.offset() + offset) + ": verdef " + i + " of " + Integer.toUnsignedLong(s.info())
                            + " at section offset " + hex(offset) + " runs past the section end " + hex(secSize)
                            + "; chain stopped");
                    break;
                }
                if (seen.containsKey(offset)) {
                    cycleFrom = seen.get(offset);
                    warnings.add(where + " @" + hex(s.offset() + offset) + ": verdef chain returns to section offset "
                            + hex(offset) + " after " + i + " of " + Integer.toUnsignedLong(s.info())
                            + " entries; elfdeps reads the loop again until the count is reached");
                    break;
                }
                seen.put(offset, defs.size());
                int b = (int) (s.offset() + offset);
                int vdVersion = u16(b);
                int vdFlags = u16(b + 2);
                int vdNdx = u16(b + 4);
                int vdCnt = u16(b + 6);
                long vdHash = u32(b + 8);
                long vdAux = u32(b + 12);
                long vdNext = u32(b + 16);
                List<String> names = new ArrayList<>(Math.min(vdCnt, 4));
                long aux = (offset + vdAux) & 0xffffffffL;
                for (int j = 0; j < vdCnt; j++) {
                    if (++auxSteps > MAX_AUX_STEPS) {
                        warnings.add(where + ": more than " + MAX_AUX_STEPS + " verdaux steps; chain stopped");
                        break;
                    }
                    if (!readable(aux, VERDAUX_SIZE, secSize)) {
                        warnings.add(where + " @" + hex(s.offset() + aux) + ": verdaux " + j + " of verdef at " + hex(offset)
                                + " runs past the section end " + hex(secSize) + "; stopped");
                        break;
                    }
                    int a = (int) (s.offset() + aux);
                    long vdaName = u32(a);
                    long vdaNext = u32(a + 4);
                    String name = cachedStringAt(s.link(), vdaName);
                    if (name == null) {
                        warnings.add(where + " @" + hex(a) + ": vda_name " + hex(vdaName)
                                + " cannot be resolved in section " + s.link() + "; stopped");
                        break;
                    }
                    names.add(name);
                    if (vdaNext == 0) {
                        break; // the rest of the count would re-read this entry
                    }
                    aux = (aux + vdaNext) & 0xffffffffL;
                }
                defs.add(new VersionDefinition((int) offset, vdVersion, vdFlags, vdNdx, vdCnt, vdHash, names));
                if (auxSteps > MAX_AUX_STEPS) {
                    break;
                }
                offset = (offset + vdNext) & 0xffffffffL;
            }
            versionTables.add(new VersionTable.Definitions(s.index(), defs, Integer.toUnsignedLong(s.info()),
                    auxSteps > MAX_AUX_STEPS ? -1 : cycleFrom));
        }

        // ---- .gnu.version_r ----------------------------------------------------------------------

        private void readVerneed(Section s) {
            if (!s.hasData()) {
                return;
            }
            String where = sectionLabel(s);
            long secSize = s.size();
            List<VersionNeed> needs = new ArrayList<>();
            Map<Long, Integer> seen = new HashMap<>();
            int cycleFrom = -1;
            long offset = 0;
            outer:
            for (long i = 0; i < Integer.toUnsignedLong(s.info()); i++) {
                if (!readable(offset, VERNEED_SIZE, secSize)) {
                    warnings.add(where + " @" + hex(s.offset() + offset) + ": verneed " + i + " of " + Integer.toUnsignedLong(s.info())
                            + " at section offset " + hex(offset) + " runs past the section end " + hex(secSize)
                            + "; chain stopped");
                    break;
                }
                if (seen.containsKey(offset)) {
                    cycleFrom = seen.get(offset);
                    warnings.add(where + " @" + hex(s.offset() + offset) + ": verneed chain returns to section offset "
                            + hex(offset) + " after " + i + " of " + Integer.toUnsignedLong(s.info())
                            + " entries; elfdeps reads the loop again until the count is reached");
                    break;
                }
                seen.put(offset, needs.size());
                int b = (int) (s.offset() + offset);
                int vnVersion = u16(b);
                int vnCnt = u16(b + 2);
                long vnFile = u32(b + 4);
                long vnAux = u32(b + 8);
                long vnNext = u32(b + 12);
                String file = cachedStringAt(s.link(), vnFile);
                if (file == null) {
                    // elfdeps breaks out of the whole chain here, not just this entry.
                    warnings.add(where + " @" + hex(b + 4) + ": vn_file " + hex(vnFile) + " cannot be resolved in section "
                            + s.link() + "; chain stopped");
                    break;
                }
                List<VersionNeed.Aux> versions = new ArrayList<>(Math.min(vnCnt, 16));
                long aux = (offset + vnAux) & 0xffffffffL;
                for (int j = 0; j < vnCnt; j++) {
                    if (++auxSteps > MAX_AUX_STEPS) {
                        warnings.add(where + ": more than " + MAX_AUX_STEPS + " vernaux steps; chain stopped");
                        needs.add(new VersionNeed((int) offset, vnVersion, file, versions));
                        cycleFrom = -1;
                        break outer;
                    }
                    if (!readable(aux, VERNAUX_SIZE, secSize)) {
                        warnings.add(where + " @" + hex(s.offset() + aux) + ": vernaux " + j + " of " + file
                                + " runs past the section end " + hex(secSize) + "; stopped");
                        break;
                    }
                    int a = (int) (s.offset() + aux);
                    long hash = u32(a);
                    int flags = u16(a + 4);
                    int other = u16(a + 6);
                    long nameOff = u32(a + 8);
                    long next = u32(a + 12);
                    String name = cachedStringAt(s.link(), nameOff);
                    if (name == null) {
                        warnings.add(where + " @" + hex(a + 8) + ": vna_name " + hex(nameOff)
                                + " cannot be resolved in section " + s.link() + "; stopped");
                        break;
                    }
                    versions.add(new VersionNeed.Aux(hash, flags, other, name));
                    aux = (aux + next) & 0xffffffffL;
                }
                needs.add(new VersionNeed((int) offset, vnVersion, file, versions));
                offset = (offset + vnNext) & 0xffffffffL;
            }
            versionTables.add(new VersionTable.Needs(s.index(), needs, Integer.toUnsignedLong(s.info()), cycleFrom));
        }

        // ---- .dynsym and .gnu.version ------------------------------------------------------------

        private void readDynamicSymbols() {
            Section dynsym = null;
            Section versym = null;
            for (Section s : sections) {
                if (s.type() == ElfConstants.SHT_DYNSYM && dynsym == null) {
                    dynsym = s;
                } else if (s.type() == ElfConstants.SHT_GNU_VERSYM && versym == null) {
                    versym = s;
                }
            }
            if (dynsym == null || !dynsym.hasData()) {
                return;
            }
            int entsize = is64 ? 24 : 16;
            long count = dynsym.size() / entsize;
            int link = dynsym.link();
            long nameBytes = link > 0 && link < sections.size() ? sections.get(link).size() : 0;
            long cost = symbolCost(count, nameBytes);
            if (cost > symbolBudget) {
                warnings.add(sectionLabel(dynsym) + ": " + count + " symbols with " + nameBytes / (1 << 20)
                        + " MiB of names would need about " + cost / (1 << 20) + " MiB of heap, over the "
                        + symbolBudget / (1 << 20) + " MiB allowed per file (an eighth of -Xmx): symbols left out, "
                        + "capabilities kept");
                return;
            }
            if (versym != null && (!versym.hasData() || versym.size() / 2 < count)) {
                warnings.add(sectionLabel(versym) + " @" + hex(versym.offset()) + ": " + versym.size() / 2
                        + " entries for " + count + " symbols; missing versions read as unversioned");
            }
            Map<Integer, String> versionNames = new HashMap<>();
            Map<Integer, String> versionFiles = new HashMap<>();
            java.util.Set<Integer> definedIndexes = new java.util.HashSet<>();
            versionNames(versionNames, versionFiles, definedIndexes);
            for (long i = 1; i < count; i++) {
                int b = (int) (dynsym.offset() + i * entsize);
                long nameOff;
                int info;
                int other;
                int shndx;
                long value;
                long sz;
                if (is64) {
                    nameOff = u32(b);
                    info = buf.get(b + 4) & 0xff;
                    other = buf.get(b + 5) & 0xff;
                    shndx = u16(b + 6);
                    value = buf.getLong(b + 8);
                    sz = buf.getLong(b + 16);
                } else {
                    nameOff = u32(b);
                    value = u32(b + 4);
                    sz = u32(b + 8);
                    info = buf.get(b + 12) & 0xff;
                    other = buf.get(b + 13) & 0xff;
                    shndx = u16(b + 14);
                }
                String name = stringAt(dynsym.link(), nameOff);
                if (name == null) {
                    warnings.add(sectionLabel(dynsym) + " @" + hex(b) + ": st_name " + hex(nameOff)
                            + " cannot be resolved; symbol " + i + " skipped");
                    continue;
                }
                int vs = 1;
                if (versym != null && versym.hasData() && i < versym.size() / 2) {
                    vs = u16((int) (versym.offset() + i * 2));
                }
                int index = vs & ElfConstants.VERSYM_INDEX_MASK;
                boolean hidden = (vs & ElfConstants.VERSYM_HIDDEN) != 0;
                String version = index >= 2 ? versionNames.get(index) : null;
                // A reference's version is looked up in the needs; a definition's in the definitions first, as
                // readelf does, and only a definition whose index no Verdef holds (a data symbol an
                // executable holds by copy relocation) gets the needed file.
                String file = version == null || (shndx != ElfConstants.SHN_UNDEF && definedIndexes.contains(index))
                        ? null : versionFiles.get(index);
                dynamicSymbols.add(new DynamicSymbol((int) i, name, info >> 4, info & 0xf, other & 0x3, shndx, value,
                        sz, index, hidden, version, file));
            }
        }

        /**
         * Version index to name, from vd_ndx of definitions (their own name) and vna_other of needs; and,
         * for the needs, index to the file (soname) whose verneed entry holds it; {@code defined}, the indexes
         * of the definitions.
         */
        private void versionNames(Map<Integer, String> names, Map<Integer, String> files, java.util.Set<Integer> defined) {
            for (VersionTable t : versionTables) {
                if (t instanceof VersionTable.Definitions d) {
                    for (VersionDefinition def : d.entries()) {
                        if (def.name() != null && !def.isBase()) {
                            names.putIfAbsent(def.index(), def.name());
                            defined.add(def.index());
                        }
                    }
                } else if (t instanceof VersionTable.Needs n) {
                    for (VersionNeed need : n.entries()) {
                        for (VersionNeed.Aux a : need.versions()) {
                            names.putIfAbsent(a.index() & ElfConstants.VERSYM_INDEX_MASK, a.name());
                            files.putIfAbsent(a.index() & ElfConstants.VERSYM_INDEX_MASK, need.file());
                        }
                    }
                }
            }
        }

        // ---- bounded primitives --------------------------------------------------------------------

        /** Whether [off, off+len) lies inside the file. */
        private boolean fits(long off, long len) {
            return off >= 0 && len >= 0 && off <= size && len <= size - off;
        }

        /**
         * Whether a structure of {@code len} bytes at section offset {@code off} can be read the way libelf's
         * gelf_getverdef and friends allow: they take the offset as an int and require it to fit in the data.
         */
        private static boolean readable(long off, int len, long secSize) {
            return off <= Integer.MAX_VALUE && off + len <= secSize;
        }

        /**
         * The NUL-terminated string at {@code offset} of section {@code index}, as libelf's elf_strptr
         * resolves it: the section must exist, be SHT_STRTAB and lie in the file, the offset must be inside
         * it, and the string must end before the section does. Null otherwise.
         */
        /**
         * {@link #stringAt} through the names cache. Symbol names do not go through it: they are mostly
         * distinct, and a cache entry per symbol would add a fifth to what a large .dynsym costs.
         */
        private String cachedStringAt(int index, long offset) {
            if (offset < 0 || offset > 0xffffffffL) {
                return stringAt(index, offset);
            }
            Long key = ((long) index << 32) | offset;
            String name = names.get(key);
            if (name == null && !names.containsKey(key)) {
                name = stringAt(index, offset);
                names.put(key, name);
            }
            return name;
        }

        private String stringAt(int index, long offset) {
            if (index <= 0 || index >= sections.size()) {
                return null;
            }
            Section str = sections.get(index);
            if (str.type() != ElfConstants.SHT_STRTAB || !str.hasData() || offset < 0 || offset >= str.size()) {
                return null;
            }
            return cString((int) (str.offset() + offset), str.offset() + str.size());
        }

        /**
         * Bytes from {@code start} up to the first NUL before {@code end}, or null when there is none, or
         * when the name budget is spent (what is scanned is charged to it).
         */
        private String cString(int start, long end) {
            if (nameBytes > nameBudget) {
                return null;
            }
            int limit = (int) Math.min(end, size);
            for (int i = start; i < limit; i++) {
                if (buf.get(i) == 0) {
                    return charge(i - start + 1) ? latin1(start, i - start) : null;
                }
            }
            charge(limit - start);
            return null;
        }

        private boolean charge(long scanned) {
            nameBytes += scanned;
            if (nameBytes <= nameBudget) {
                return true;
            }
            warnings.add("string tables: names of more than " + nameBudget + " bytes in all (four times the file, "
                    + "plus 1 MiB) were read; the rest are left unresolved");
            return false;
        }

        private String latin1(int start, int len) {
            if (buf.hasArray()) {
                return new String(buf.array(), buf.arrayOffset() + start, len, StandardCharsets.ISO_8859_1);
            }
            byte[] b = new byte[len];
            buf.get(start, b);
            return new String(b, StandardCharsets.ISO_8859_1);
        }

        private int u16(int off) {
            return buf.getShort(off) & 0xffff;
        }

        private long u32(int off) {
            return buf.getInt(off) & 0xffffffffL;
        }

        private static String sectionLabel(Section s) {
            return s.name().isEmpty() ? String.format(Locale.ROOT, "section %d", s.index()) : s.name();
        }
    }
}
