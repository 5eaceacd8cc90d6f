package org.symdex.index;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.symdex.elf.DynamicSymbol;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;

/**
 * The stored form of one file's exported and imported dynamic symbols ({@link Schema#SYMBOL_TABLE}):
 * everything glibc's check_match looks at (name, version name, version index, hidden bit, binding)
 * plus, for a versioned import, the file its Verneed names, which is where ld.so expects the version.
 * Binary and compact because it is the largest thing stored; decoded only by {@link #decode}.
 *
 * <p>Layout (format 1): a format byte, a varint count, then per symbol a flags byte (1 defined,
 * 2 hidden), binding, type, varint version index, and three length-prefixed ISO-8859-1 strings:
 * name, version ("" when none), needed file ("" unless a versioned import).
 */
public final class SymbolTable {
    private static final int FORMAT = 1;
    private static final int DEFINED = 1;
    private static final int HIDDEN = 2;

    /**
     * One symbol.
     *
     * @param version the version name, "" for version index 0 or 1 (unversioned)
     * @param file for an import whose version comes from a Verneed, or a definition whose version does (a
     *             copy relocation), that Verneed's file (a soname); else ""
     */
    public record Symbol(boolean defined, String name, String version, int versionIndex, boolean hidden,
                         int binding, int type, String file) {
        public Symbol {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(file, "file");
        }

        public boolean isWeak() {
            return binding == ElfConstants.STB_WEAK;
        }

        /**
         * {@code name@@V}, {@code name@V} or {@code name}: the term of {@link Schema#SYM_DEF}/{@link Schema#SYM_REF},
         * as binutils writes it ({@link org.symdex.elf.DynamicSymbol#versionedName()}): a definition whose
         * version comes from a Verneed (copy relocation) is {@code name@V}.
         */
        public String versionedName() {
            if (version.isEmpty()) {
                return name;
            }
            return name + (defined && !hidden && file.isEmpty() ? "@@" : "@") + version;
        }
    }

    private SymbolTable() {
    }

    /** The exported and imported symbols of {@code elf}: every non-local .dynsym entry, in table order. */
    public static List<Symbol> of(ElfFile elf) {
        List<Symbol> out = new ArrayList<>();
        for (DynamicSymbol s : elf.dynamicSymbols()) {
            if (s.binding() == ElfConstants.STB_LOCAL) {
                continue; // entry 0 and any local: never bound across objects
            }
            String version = s.version() == null ? "" : s.version();
            String file = s.versionFile() == null ? "" : s.versionFile();
            out.add(new Symbol(s.isDefined(), s.name(), version, s.versionIndex(), s.hidden(), s.binding(),
                    s.type(), file));
        }
        return out;
    }

    /**
     * An import's term in {@link Schema#SYM_REF_FACTS}: its {@link Symbol#versionedName() term}, a NUL, then
     * what json prints of it: {@code h} or {@code -} (hidden), binding, type and version index in decimal
     * separated by commas, a NUL, the version name, a NUL, the Verneed file. ELF strings end at their first
     * NUL, so the first NUL ends the term: {@code memcpy@GLIBC_2.14\0-1,2,3\0GLIBC_2.14\0libc.so.6}.
     * whatimports' details walk the terms under {@link #factsPrefix} instead of decompressing each
     * importing file's stored table, which holds its exports too.
     */
    public static String factsTerm(Symbol s) {
        return factsPrefix(s.versionedName()) + (s.hidden() ? 'h' : '-') + s.binding() + ',' + s.type() + ','
                + s.versionIndex() + '\u0000' + s.version() + '\u0000' + s.file();
    }

    /** Every facts term of the symbol term {@code term} starts with this. */
    public static String factsPrefix(String term) {
        return term + '\u0000';
    }

    /** The symbol a {@link #factsTerm} stands for; defined is false (imports only). */
    public static Symbol ofFactsTerm(String t) throws IndexException {
        String[] p = t.split("\u0000", -1);
        String[] n = p.length == 4 && p[1].length() > 1 ? p[1].substring(1).split(",", -1) : new String[0];
        if (n.length != 3 || p[1].charAt(0) != 'h' && p[1].charAt(0) != '-') {
            throw new IndexException("symbol facts term of another form: " + t.replace('\u0000', '|'));
        }
        String term = p[0];
        String version = p[2];
        int at = version.isEmpty() ? term.length() : term.length() - version.length() - 1;
        if (at < 0 || !term.startsWith(version, at + (version.isEmpty() ? 0 : 1))) {
            throw new IndexException("symbol facts term of another form: " + t.replace('\u0000', '|'));
        }
        try {
            return new Symbol(false, term.substring(0, at), version, Integer.parseInt(n[2]), p[1].charAt(0) == 'h',
                    Integer.parseInt(n[0]), Integer.parseInt(n[1]), p[3]);
        } catch (NumberFormatException e) {
            throw new IndexException("symbol facts term of another form: " + t.replace('\u0000', '|'), e);
        }
    }

    public static byte[] encode(List<Symbol> symbols) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + symbols.size() * 24);
        out.write(FORMAT);
        varint(out, symbols.size());
        for (Symbol s : symbols) {
            out.write((s.defined() ? DEFINED : 0) | (s.hidden() ? HIDDEN : 0));
            out.write(s.binding());
            out.write(s.type());
            varint(out, s.versionIndex());
            string(out, s.name());
            string(out, s.version());
            string(out, s.file());
        }
        return out.toByteArray();
    }

    /** Decodes {@link #encode}'s output; throws IndexException on anything else. */
    public static List<Symbol> decode(byte[] b, int offset, int length) throws IndexException {
        return Packed.of(b, offset, length).all();
    }

    /**
     * A stored table read in place: {@link #defined(String)} finds one name's definitions through a hash
     * index over the encoded records, built on first use, and decodes only those. Reports look a few
     * names up in each library of a closure; decoding a whole table of thousands of definitions into
     * strings for that is what made whole-archive diffs slow and large. Not thread-safe.
     */
    public static final class Packed {
        private final byte[] b;
        private final int start;
        private final int end;
        private final int count;
        /** Linear-probing table: record offset + 1 of each defined symbol (0 = empty), by name hash. */
        private int[] slots;
        private int[] hashes;

        private Packed(byte[] b, int start, int end, int count) {
            this.b = b;
            this.start = start;
            this.end = end;
            this.count = count;
        }

        /** Checks the format byte and the count; the records are checked as they are read. */
        public static Packed of(byte[] b, int offset, int length) throws IndexException {
            Reader r = new Reader(b, offset, length);
            int format = r.u8();
            if (format != FORMAT) {
                throw new IndexException("symbol table format " + format + ", expected " + FORMAT);
            }
            int n = r.varint();
            if (n < 0 || n > length) {
                throw new IndexException("symbol table count " + n + " exceeds its " + length + " bytes");
            }
            return new Packed(b, r.pos, offset + length, n);
        }

        /** Every symbol, in table order. */
        public List<Symbol> all() throws IndexException {
            return select(null);
        }

        /**
         * The defined ({@code true}) or undefined symbols, in table order; the others are skipped without
         * being decoded (a library's imports are a few hundred next to thousands of exports).
         */
        public List<Symbol> all(boolean defined) throws IndexException {
            return select(defined);
        }

        /** How many symbols are defined ({@code true}) or undefined, without decoding them. */
        public int count(boolean defined) throws IndexException {
            Reader r = new Reader(b, start, end - start);
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (((r.peek() & DEFINED) != 0) == defined) {
                    n++;
                }
                r.skipSymbol();
            }
            return n;
        }

        /** The symbols whose defined bit is {@code defined}, every symbol when it is null. */
        private List<Symbol> select(Boolean defined) throws IndexException {
            Reader r = new Reader(b, start, end - start);
            List<Symbol> out = new ArrayList<>(defined == null ? count : 16);
            for (int i = 0; i < count; i++) {
                if (defined == null || ((r.peek() & DEFINED) != 0) == defined) {
                    out.add(r.symbol());
                } else {
                    r.skipSymbol();
                }
            }
            return out;
        }

        /** The defined symbols named {@code name}, in table order. */
        public List<Symbol> defined(String name) throws IndexException {
            if (slots == null) {
                buildIndex();
            }
            int h = name.hashCode();
            int mask = slots.length - 1;
            List<Symbol> out = null;
            for (int i = mix(h) & mask; slots[i] != 0; i = (i + 1) & mask) {
                if (hashes[i] == h && nameEquals(slots[i] - 1, name)) {
                    if (out == null) {
                        out = new ArrayList<>(1);
                    }
                    out.add(new Reader(b, slots[i] - 1, end - slots[i] + 1).symbol());
                }
            }
            return out == null ? List.of() : out;
        }

        private void buildIndex() throws IndexException {
            int size = Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1;
            int[] s = new int[size];
            int[] hs = new int[size];
            int mask = size - 1;
            Reader r = new Reader(b, start, end - start);
            for (int k = 0; k < count; k++) {
                int record = r.pos;
                int flags = r.skipToName();
                int len = r.stringLength();
                int h = 0;
                for (int j = r.pos; j < r.pos + len; j++) {
                    h = 31 * h + (b[j] & 0xff); // String.hashCode of the ISO-8859-1 decoding
                }
                r.pos += len;
                r.skipString(); // version
                r.skipString(); // file
                if ((flags & DEFINED) != 0) {
                    int i = mix(h) & mask;
                    while (s[i] != 0) {
                        i = (i + 1) & mask; // later records land further along: probe order is table order
                    }
                    s[i] = record + 1;
                    hs[i] = h;
                }
            }
            slots = s;
            hashes = hs;
        }

        private boolean nameEquals(int record, String name) throws IndexException {
            Reader r = new Reader(b, record, end - record);
            r.skipToName();
            int len = r.stringLength();
            if (len != name.length()) {
                return false;
            }
            for (int j = 0; j < len; j++) {
                if ((b[r.pos + j] & 0xff) != name.charAt(j)) {
                    return false;
                }
            }
            return true;
        }

        private static int mix(int h) {
            return h ^ (h >>> 16) ^ (h >>> 7);
        }
    }

    private static void varint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        varint(out, b.length);
        out.write(b, 0, b.length);
    }

    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int offset, int length) {
            this.b = b;
            this.pos = offset;
            this.end = offset + length;
        }

        int u8() throws IndexException {
            if (pos >= end) {
                throw new IndexException("symbol table truncated at byte " + pos);
            }
            return b[pos++] & 0xff;
        }

        int varint() throws IndexException {
            int v = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                int x = u8();
                v |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IndexException("symbol table varint too long at byte " + pos);
        }

        Symbol symbol() throws IndexException {
            int flags = u8();
            int binding = u8();
            int type = u8();
            int index = varint();
            return new Symbol((flags & DEFINED) != 0, string(), string(), index, (flags & HIDDEN) != 0, binding, type,
                    string());
        }

        /** The next byte (a record's flags), not consumed. */
        int peek() throws IndexException {
            if (pos >= end) {
                throw new IndexException("symbol table truncated at byte " + pos);
            }
            return b[pos] & 0xff;
        }

        /** Reads a record's flags, binding, type and version index; returns the flags. */
        int skipToName() throws IndexException {
            int flags = u8();
            u8();
            u8();
            varint();
            return flags;
        }

        void skipSymbol() throws IndexException {
            skipToName();
            skipString();
            skipString();
            skipString();
        }

        /** Reads a string's length prefix and checks that its bytes are there; they are not consumed. */
        int stringLength() throws IndexException {
            int len = varint();
            if (len < 0 || len > end - pos) {
                throw new IndexException("symbol table string of " + len + " bytes runs past the end at byte " + pos);
            }
            return len;
        }

        void skipString() throws IndexException {
            int len = stringLength(); // not "pos += stringLength()": that adds to pos as it was before the prefix
            pos += len;
        }

        String string() throws IndexException {
            int len = stringLength();
            String s = new String(b, pos, len, StandardCharsets.ISO_8859_1);
            pos += len;
            return s;
        }
    }
}
