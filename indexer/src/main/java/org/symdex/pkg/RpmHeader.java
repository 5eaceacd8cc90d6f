package org.symdex.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.symdex.io.Limits;
import org.symdex.io.Streams;

/**
 * One rpm header structure (the signature header or the main header): an index of 16-byte entries
 * (tag, type, offset, count) and a data store, all big-endian (rpm doc/manual/format.md; lib/header.c).
 * Our own reader rather than redline-rpm: see docs/decisions.md. Sizes are checked against rpm's
 * own limits before reading, and every entry's offset and count against the store before use.
 */
public final class RpmHeader {
    // Main-header tags (lib/rpmtag.h).
    public static final int NAME = 1000;
    public static final int VERSION = 1001;
    public static final int RELEASE = 1002;
    public static final int EPOCH = 1003;
    public static final int SIZE = 1009;
    public static final int ARCH = 1022;
    public static final int OLDFILENAMES = 1027;
    public static final int FILESIZES = 1028;
    public static final int FILEMODES = 1030;
    public static final int FILELINKTOS = 1036;
    public static final int FILEFLAGS = 1037;
    public static final int SOURCERPM = 1044;
    public static final int PROVIDENAME = 1047;
    public static final int REQUIREFLAGS = 1048;
    public static final int REQUIRENAME = 1049;
    public static final int REQUIREVERSION = 1050;
    public static final int FILEDEVICES = 1095;
    public static final int FILEINODES = 1096;
    public static final int PROVIDEFLAGS = 1112;
    public static final int PROVIDEVERSION = 1113;
    public static final int DIRINDEXES = 1116;
    public static final int BASENAMES = 1117;
    public static final int DIRNAMES = 1118;
    public static final int PAYLOADFORMAT = 1124;
    public static final int PAYLOADCOMPRESSOR = 1125;
    public static final int LONGFILESIZES = 5008;
    public static final int LONGSIZE = 5009;

    /** RPMFILE_GHOST: the file is in the header but not in the payload. */
    public static final int FILE_GHOST = 1 << 6;

    static final int TYPE_NULL = 0;
    static final int TYPE_CHAR = 1;
    static final int TYPE_INT8 = 2;
    static final int TYPE_INT16 = 3;
    static final int TYPE_INT32 = 4;
    static final int TYPE_INT64 = 5;
    static final int TYPE_STRING = 6;
    static final int TYPE_BIN = 7;
    static final int TYPE_STRING_ARRAY = 8;
    static final int TYPE_I18NSTRING = 9;

    private static final byte[] MAGIC = {(byte) 0x8e, (byte) 0xad, (byte) 0xe8, 0x01};

    private record Entry(int tag, int type, int offset, int count) {
    }

    private final String what;
    private final Map<Integer, Entry> entries;
    private final ByteBuffer store;
    private final long length;

    private RpmHeader(String what, Map<Integer, Entry> entries, ByteBuffer store, long length) {
        this.what = what;
        this.entries = entries;
        this.store = store;
        this.length = length;
    }

    /** Bytes this header occupied in the file: 16 + 16 × entries + store. */
    public long length() {
        return length;
    }

    public int tagCount() {
        return entries.size();
    }

    /**
     * Reads a header at the current position. {@code what} ("signature" or "header") and
     * {@code offset} (its file offset) only go into error messages.
     */
    public static RpmHeader read(InputStream in, String what, long offset) throws IOException, PackageFormatException {
        byte[] intro = new byte[16];
        int got = Streams.readUpTo(in, intro, 0, 16);
        if (got < 16) {
            throw new PackageFormatException(what + " @0x" + Long.toHexString(offset) + ": truncated ("
                    + got + " of 16 intro bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(intro);
        for (int i = 0; i < 4; i++) {
            if (intro[i] != MAGIC[i]) {
                throw new PackageFormatException(what + " @0x" + Long.toHexString(offset) + ": bad header magic");
            }
        }
        long il = Integer.toUnsignedLong(b.getInt(8));
        long dl = Integer.toUnsignedLong(b.getInt(12));
        // rpm's hdrchkTags/hdrchkData (lib/header_internal.h): at most 0xffff tags, 256 MiB of data.
        if (il < 1 || il > Limits.RPM_MAX_HEADER_TAGS) {
            throw new PackageFormatException(what + " @0x" + Long.toHexString(offset) + ": absurd tag count " + il);
        }
        if (dl > Limits.RPM_MAX_HEADER_DATA) {
            throw new PackageFormatException(what + " @0x" + Long.toHexString(offset) + ": absurd data size " + dl);
        }
        byte[] index;
        byte[] data;
        try {
            index = Streams.readFullyUntrusted(in, (int) (il * 16));
            data = Streams.readFullyUntrusted(in, (int) dl);
        } catch (java.io.EOFException e) {
            throw new PackageFormatException(what + " @0x" + Long.toHexString(offset) + ": truncated ("
                    + il + " tags, " + dl + " data bytes declared)", e);
        }
        ByteBuffer ib = ByteBuffer.wrap(index);
        Map<Integer, Entry> entries = new HashMap<>();
        for (int i = 0; i < il; i++) {
            Entry e = new Entry(ib.getInt(), ib.getInt(), ib.getInt(), ib.getInt());
            long off = Integer.toUnsignedLong(e.offset);
            if (e.type < TYPE_NULL || e.type > TYPE_I18NSTRING) {
                throw new PackageFormatException(what + " entry " + i + " (tag " + e.tag + "): bad type " + e.type);
            }
            if (off > dl) {
                throw new PackageFormatException(what + " entry " + i + " (tag " + e.tag + "): offset 0x"
                        + Long.toHexString(off) + " outside the " + dl + "-byte store");
            }
            entries.putIfAbsent(e.tag, e);
        }
        return new RpmHeader(what, entries, ByteBuffer.wrap(data).asReadOnlyBuffer(), 16 + il * 16 + dl);
    }

    public boolean has(int tag) {
        return entries.containsKey(tag);
    }

    /** A STRING (or the first string of an array) tag's value. */
    public Optional<String> string(int tag) throws PackageFormatException {
        List<String> s = strings(tag);
        return s.isEmpty() ? Optional.empty() : Optional.of(s.get(0));
    }

    /** A STRING, STRING_ARRAY or I18NSTRING tag's values; empty when the tag is absent. */
    public List<String> strings(int tag) throws PackageFormatException {
        Entry e = entries.get(tag);
        if (e == null) {
            return List.of();
        }
        if (e.type != TYPE_STRING && e.type != TYPE_STRING_ARRAY && e.type != TYPE_I18NSTRING) {
            throw bad(e, "is type " + e.type + ", not a string");
        }
        long count = Integer.toUnsignedLong(e.count);
        if (e.type == TYPE_STRING && count != 1) {
            throw bad(e, "STRING with count " + count);
        }
        // Each string takes at least one byte, so the count cannot exceed the store.
        if (count > store.capacity() - (long) e.offset) {
            throw bad(e, "count " + count + " exceeds the data store");
        }
        List<String> out = new ArrayList<>();
        int pos = e.offset;
        for (long i = 0; i < count; i++) {
            int end = pos;
            while (end < store.capacity() && store.get(end) != 0) {
                end++;
            }
            if (end >= store.capacity()) {
                throw bad(e, "string " + i + " runs past the end of the data store");
            }
            byte[] bytes = new byte[end - pos];
            store.get(pos, bytes);
            out.add(new String(bytes, StandardCharsets.ISO_8859_1));
            pos = end + 1;
        }
        return Collections.unmodifiableList(out);
    }

    /** An integer tag's values, zero-extended (rpm's integers are unsigned); empty when absent. */
    public long[] numbers(int tag) throws PackageFormatException {
        Entry e = entries.get(tag);
        if (e == null) {
            return new long[0];
        }
        int width;
        switch (e.type) {
            case TYPE_CHAR, TYPE_INT8 -> width = 1;
            case TYPE_INT16 -> width = 2;
            case TYPE_INT32 -> width = 4;
            case TYPE_INT64 -> width = 8;
            default -> throw bad(e, "is type " + e.type + ", not an integer");
        }
        long count = Integer.toUnsignedLong(e.count);
        if (count * width > store.capacity() - (long) e.offset) {
            throw bad(e, count + " values of " + width + " bytes run past the end of the data store");
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < out.length; i++) {
            int at = e.offset + i * width;
            out[i] = switch (width) {
                case 1 -> store.get(at) & 0xffL;
                case 2 -> store.getShort(at) & 0xffffL;
                case 4 -> Integer.toUnsignedLong(store.getInt(at));
                default -> store.getLong(at);
            };
        }
        return out;
    }

    private PackageFormatException bad(Entry e, String why) {
        return new PackageFormatException(what + " tag " + e.tag + " @0x" + Integer.toHexString(e.offset) + ": " + why);
    }
}
