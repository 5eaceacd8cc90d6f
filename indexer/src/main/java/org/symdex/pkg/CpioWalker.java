package org.symdex.pkg;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.symdex.io.BoundedInputStream;
import org.symdex.io.Limits;
import org.symdex.io.Streams;

/**
 * Walks an rpm cpio payload: "newc" (070701), its checksummed twin (070702), and the stripped form
 * (07070X: magic + 8 hex digits of file index, then the data) that rpm writes when a package holds
 * a file of 4 GiB or more; the stripped entries take name, mode and size from the header by file
 * index (lib/cpio.c rpmcpioStrippedHeaderRead, lib/rpmfi.c rpmfiArchiveReadHeader).
 *
 * <p>Hard links: rpm writes a hard-linked file's data on the last link only; the earlier links have
 * size 0. We hold those names back until the data arrives, then report the data entry as a FILE
 * followed by each held-back name as a HARD_LINK to it, the way tar presents hard links. Names
 * still held at the trailer (a hard-linked empty file) are reported as empty files.
 */
final class CpioWalker {
    private static final int NEWC_HEADER = 110;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFLNK = 0120000;
    private static final String TRAILER = "TRAILER!!!";

    private final InputStream in;
    private final RpmHeader header;
    private final PackageVisitor visitor;
    private long offset;
    private FileTable files;
    /** Links held back until their data arrives, by (dev, inode) or header link group. */
    private final Map<String, List<PackageEntry>> pending = new LinkedHashMap<>();

    CpioWalker(InputStream in, RpmHeader header, PackageVisitor visitor) {
        this.in = in;
        this.header = header;
        this.visitor = visitor;
    }

    void walk() throws IOException, PackageFormatException {
        byte[] magic = new byte[6];
        while (true) {
            long at = offset;
            readExact(magic, 6, "entry magic");
            String m = new String(magic, StandardCharsets.ISO_8859_1);
            boolean done;
            if (m.equals("070701") || m.equals("070702")) {
                done = newc(at);
            } else if (m.equals("07070X")) {
                done = stripped(at);
            } else {
                throw new PackageFormatException("cpio @0x" + Long.toHexString(at) + ": bad magic '" + printable(m) + "'");
            }
            if (done) {
                break;
            }
        }
        for (List<PackageEntry> links : pending.values()) {
            for (PackageEntry e : links) {
                emit(e, InputStream.nullInputStream());
            }
        }
        pending.clear();
    }

    private boolean newc(long at) throws IOException, PackageFormatException {
        byte[] h = new byte[NEWC_HEADER - 6];
        readExact(h, h.length, "newc header");
        long ino = hex(h, 0, at, "c_ino");
        int mode = (int) hex(h, 8, at, "c_mode");
        long nlink = hex(h, 32, at, "c_nlink");
        long size = hex(h, 48, at, "c_filesize");
        long devMajor = hex(h, 56, at, "c_devmajor");
        long devMinor = hex(h, 64, at, "c_devminor");
        long nameSize = hex(h, 88, at, "c_namesize");
        if (nameSize < 1 || nameSize > Limits.MAX_CPIO_NAME) {
            throw new PackageFormatException("cpio @0x" + Long.toHexString(at) + ": bad c_namesize " + nameSize);
        }
        byte[] nameBytes = new byte[(int) nameSize];
        readExact(nameBytes, nameBytes.length, "name");
        String name = new String(nameBytes, 0, nameBytes.length - 1, StandardCharsets.ISO_8859_1);
        pad4();
        if (name.equals(TRAILER)) {
            return true;
        }
        String path = PackageEntry.installedPath(name);
        int perm = mode & 07777;
        switch (mode & S_IFMT) {
            case S_IFREG -> {
                String key = "i" + devMajor + ":" + devMinor + ":" + ino;
                if (nlink > 1 && size == 0) {
                    pending.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new PackageEntry(path, PackageEntry.Kind.FILE, perm, 0, ""));
                } else {
                    file(new PackageEntry(path, PackageEntry.Kind.FILE, perm, size, ""), nlink > 1 ? key : null);
                }
            }
            case S_IFLNK -> emit(new PackageEntry(path, PackageEntry.Kind.SYMLINK, perm, 0, readTarget(size, at)),
                    InputStream.nullInputStream());
            case S_IFDIR -> skipData(new PackageEntry(path, PackageEntry.Kind.DIRECTORY, perm, 0, ""), size);
            default -> skipData(new PackageEntry(path, PackageEntry.Kind.OTHER, perm, 0, ""), size);
        }
        pad4();
        return false;
    }

    private boolean stripped(long at) throws IOException, PackageFormatException {
        byte[] h = new byte[8];
        readExact(h, 8, "stripped header");
        long fx = hex(h, 0, at, "file index");
        pad4();
        if (fx == 0xffffffffL) {
            return true; // rpm writes index -1 as its stripped trailer
        }
        if (files == null) {
            files = FileTable.of(header);
        }
        if (fx >= files.count()) {
            throw new PackageFormatException("cpio @0x" + Long.toHexString(at) + ": file index " + fx
                    + " but the header lists " + files.count() + " files");
        }
        int i = (int) fx;
        String path = PackageEntry.installedPath(files.name(i));
        int mode = files.mode(i);
        int perm = mode & 07777;
        switch (mode & S_IFMT) {
            case S_IFREG -> {
                String key = "x" + files.lastLink(i);
                if (files.lastLink(i) != i) {
                    pending.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new PackageEntry(path, PackageEntry.Kind.FILE, perm, 0, ""));
                } else {
                    file(new PackageEntry(path, PackageEntry.Kind.FILE, perm, files.size(i), ""), key);
                }
            }
            // rpmfiArchiveReadHeader: a symlink's target is in the payload, FILESIZES long.
            case S_IFLNK -> emit(new PackageEntry(path, PackageEntry.Kind.SYMLINK, perm, 0,
                    readTarget(files.size(i), at)), InputStream.nullInputStream());
            case S_IFDIR -> emit(new PackageEntry(path, PackageEntry.Kind.DIRECTORY, perm, 0, ""), InputStream.nullInputStream());
            default -> emit(new PackageEntry(path, PackageEntry.Kind.OTHER, perm, 0, ""), InputStream.nullInputStream());
        }
        pad4();
        return false;
    }

    /** A regular file with data, then the held-back links of its group (if any). */
    private void file(PackageEntry entry, String linkKey) throws IOException {
        BoundedInputStream data = new BoundedInputStream(new CountingView(), entry.size());
        emit(entry, data);
        data.drain();
        List<PackageEntry> links = linkKey == null ? null : pending.remove(linkKey);
        if (links != null) {
            for (PackageEntry l : links) {
                emit(new PackageEntry(l.path(), PackageEntry.Kind.HARD_LINK, l.mode(), 0, entry.path()),
                        InputStream.nullInputStream());
            }
        }
    }

    private void skipData(PackageEntry entry, long size) throws IOException {
        emit(entry, InputStream.nullInputStream());
        skipExact(size);
    }

    private void emit(PackageEntry e, InputStream data) throws IOException {
        VisitorFailure.onEntry(visitor, e, data);
    }

    private String readTarget(long size, long at) throws IOException, PackageFormatException {
        if (size > Limits.MAX_CPIO_NAME) {
            throw new PackageFormatException("cpio @0x" + Long.toHexString(at) + ": symlink target of " + size + " bytes");
        }
        byte[] t = new byte[(int) size];
        readExact(t, t.length, "symlink target");
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    private void readExact(byte[] b, int n, String what) throws IOException {
        try {
            Streams.readFully(in, b, 0, n);
        } catch (EOFException e) {
            throw new EOFException("cpio " + what + " @0x" + Long.toHexString(offset) + " cut short");
        }
        offset += n;
    }

    private void skipExact(long n) throws IOException {
        Streams.skipFully(in, n);
        offset += n;
    }

    private void pad4() throws IOException {
        skipExact((4 - (offset & 3)) & 3);
    }

    private static long hex(byte[] h, int at, long entry, String field) throws PackageFormatException {
        long v = 0;
        for (int i = at; i < at + 8; i++) {
            int d = Character.digit(h[i] & 0xff, 16);
            if (d < 0) {
                throw new PackageFormatException("cpio @0x" + Long.toHexString(entry) + ": " + field
                        + " is not hexadecimal");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static String printable(String s) {
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The payload stream, keeping our offset (for padding) in step with what the consumer reads. */
    private final class CountingView extends InputStream {
        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                offset++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                offset += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = in.skip(n);
            if (k > 0) {
                offset += k;
            }
            return k;
        }
    }

    /** The header's file list, needed only for the stripped format. */
    private record FileTable(List<String> names, long[] modes, long[] sizes, int[] lastLinks) {
        int count() {
            return names.size();
        }

        String name(int i) {
            return names.get(i);
        }

        int mode(int i) {
            return (int) modes[i];
        }

        long size(int i) {
            return sizes[i];
        }

        int lastLink(int i) {
            return lastLinks[i];
        }

        static FileTable of(RpmHeader h) throws PackageFormatException {
            List<String> names;
            List<String> base = h.strings(RpmHeader.BASENAMES);
            if (!base.isEmpty()) {
                List<String> dirs = h.strings(RpmHeader.DIRNAMES);
                long[] dirIndex = h.numbers(RpmHeader.DIRINDEXES);
                need(dirIndex.length, base.size(), "DIRINDEXES");
                names = new ArrayList<>(base.size());
                for (int i = 0; i < base.size(); i++) {
                    if (dirIndex[i] >= dirs.size()) {
                        throw new PackageFormatException("header: DIRINDEXES[" + i + "] = " + dirIndex[i]
                                + " but there are " + dirs.size() + " DIRNAMES");
                    }
                    names.add(dirs.get((int) dirIndex[i]) + base.get(i));
                }
            } else {
                names = h.strings(RpmHeader.OLDFILENAMES);
            }
            int n = names.size();
            long[] modes = h.numbers(RpmHeader.FILEMODES);
            need(modes.length, n, "FILEMODES");
            long[] sizes = h.has(RpmHeader.LONGFILESIZES) ? h.numbers(RpmHeader.LONGFILESIZES) : h.numbers(RpmHeader.FILESIZES);
            need(sizes.length, n, "FILESIZES/LONGFILESIZES");
            for (int i = 0; i < n; i++) {
                if (sizes[i] < 0) {
                    throw new PackageFormatException("header: LONGFILESIZES[" + i + "] is negative");
                }
            }
            long[] inodes = h.numbers(RpmHeader.FILEINODES);
            long[] devices = h.numbers(RpmHeader.FILEDEVICES);
            long[] flags = h.numbers(RpmHeader.FILEFLAGS);
            int[] last = new int[n];
            for (int i = 0; i < n; i++) {
                last[i] = i;
            }
            if (inodes.length == n && devices.length == n) {
                // lib/rpmfiles.c rpmfilesBuildNLink: regular, non-ghost files with the same
                // (device, inode) are one link set; the data goes with its highest index.
                Map<Long, Integer> lastOf = new HashMap<>();
                for (int pass = 0; pass < 2; pass++) {
                    for (int i = 0; i < n; i++) {
                        boolean ghost = flags.length == n && (flags[i] & RpmHeader.FILE_GHOST) != 0;
                        if ((modes[i] & S_IFMT) != S_IFREG || ghost || inodes[i] == 0) {
                            continue;
                        }
                        long key = (devices[i] << 32) | inodes[i];
                        if (pass == 0) {
                            lastOf.merge(key, i, Math::max);
                        } else {
                            last[i] = lastOf.get(key);
                        }
                    }
                }
            }
            return new FileTable(names, modes, sizes, last);
        }

        private static void need(int have, int want, String tag) throws PackageFormatException {
            if (have != want) {
                throw new PackageFormatException("header: " + tag + " has " + have + " entries for " + want + " files");
            }
        }
    }
}
