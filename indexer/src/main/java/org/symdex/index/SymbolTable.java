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
     * @param file for an import whose version comes from a Verneed, that Verneed's file (a soname); else ""
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

        /** {@code name@@V}, {@code name@V} or {@code name}: the term of {@link Schema#SYM_DEF}/{@link Schema#SYM_REF}. */
        public String versionedName() {
            if (version.isEmpty()) {
                return name;
            }
            return name + (defined && !hidden ? "@@" : "@") + version;
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
        Reader r = new Reader(b, offset, length);
        int format = r.u8();
        if (format != FORMAT) {
            throw new IndexException("symbol table format " + format + ", expected " + FORMAT);
        }
        int n = r.varint();
        List<Symbol> out = new ArrayList<>(Math.min(n, length));
        for (int i = 0; i < n; i++) {
            int flags = r.u8();
            int binding = r.u8();
            int type = r.u8();
            int index = r.varint();
            out.add(new Symbol((flags & DEFINED) != 0, r.string(), r.string(), index, (flags & HIDDEN) != 0,
                    binding, type, r.string()));
        }
        return out;
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

        String string() throws IndexException {
            int len = varint();
            if (len < 0 || len > end - pos) {
                throw new IndexException("symbol table string of " + len + " bytes runs past the end at byte " + pos);
            }
            String s = new String(b, pos, len, StandardCharsets.ISO_8859_1);
            pos += len;
            return s;
        }
    }
}
