package org.symdex.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.symdex.io.Limits;
import org.symdex.io.NonClosingInputStream;
import org.symdex.io.Streams;

/**
 * Streams a .deb (or .udeb): ar container → debian-binary → control.tar.* → data.tar.*, following
 * the member rules of dpkg-deb/extract.c: debian-binary first with major version 2, members whose
 * names start with "_" are skipped, control.tar before data.tar, anything else before data.tar is
 * an error, and what follows data.tar is ignored.
 */
public final class DebReader {
    private static final String ISO = StandardCharsets.ISO_8859_1.name();
    private final ReaderOptions options;

    public DebReader(ReaderOptions options) {
        this.options = options;
    }

    /** Reads the package from {@code in} (which it does not close). */
    public void read(InputStream in, PackageVisitor visitor) throws PackageFormatException, IOException {
        try {
            readAr(in, visitor);
        } catch (VisitorFailure e) {
            throw e.getCause();
        } catch (PackageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException("ar: " + VisitorFailure.describe(e), e);
        }
    }

    private void readAr(InputStream in, PackageVisitor visitor) throws IOException, PackageFormatException {
        ArArchiveInputStream ar = new ArArchiveInputStream(new NonClosingInputStream(in));
        ArArchiveEntry first = ar.getNextEntry();
        if (first == null || !memberName(first).equals("debian-binary")) {
            throw new PackageFormatException("first ar member is not debian-binary");
        }
        byte[] version = ar.readNBytes(16);
        if (version.length < 2 || version[0] != '2' || version[1] != '.') {
            throw new PackageFormatException("debian-binary: unsupported format version '"
                    + new String(version, StandardCharsets.ISO_8859_1).strip() + "'");
        }
        DebControl control = null;
        for (ArArchiveEntry m = ar.getNextEntry(); m != null; m = ar.getNextEntry()) {
            String name = memberName(m);
            if (name.startsWith("_")) {
                continue;
            }
            if (name.startsWith("control.tar")) {
                if (control != null) {
                    throw new PackageFormatException("second control member " + name);
                }
                control = readControl(name, codecOf(name, "control.tar"), ar);
                continue;
            }
            if (name.startsWith("data.tar")) {
                if (control == null) {
                    throw new PackageFormatException("member " + name + " comes before control.tar");
                }
                Codec codec = codecOf(name, "data.tar");
                if (!VisitorFailure.onInfo(visitor, control.toInfo(codec))) {
                    return;
                }
                readData(name, codec, ar, m.getLength(), visitor);
                return; // dpkg ignores members after data.tar
            }
            throw new PackageFormatException("unexpected member '" + name + "' before data.tar");
        }
        throw new PackageFormatException(control == null ? "no control.tar member" : "no data.tar member");
    }

    /** GNU ar terminates names with '/'; commons-compress keeps it for short names. */
    private static String memberName(ArArchiveEntry e) {
        String n = e.getName();
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static Codec codecOf(String member, String stem) throws PackageFormatException {
        Optional<Codec> c = Codec.fromDebSuffix(member.substring(stem.length()));
        if (c.isEmpty()) {
            throw new PackageFormatException("member " + member + ": unknown compression");
        }
        return c.get();
    }

    private DebControl readControl(String member, Codec codec, InputStream ar) throws PackageFormatException {
        // control.tar is small: the pure-Java decoders avoid starting a process for it.
        try (InputStream dec = codec.decode(ar, -1, options.withoutXzCommand());
             TarArchiveInputStream tar = new TarArchiveInputStream(dec, ISO)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String n = e.getName();
                if ((n.equals("./control") || n.equals("control")) && !e.isDirectory()) {
                    if (e.getSize() > Limits.MAX_CONTROL_BYTES) {
                        throw new PackageFormatException(member + "!control: " + e.getSize() + " bytes is too large");
                    }
                    return DebControl.parse(Streams.readFully(tar, (int) e.getSize()));
                }
            }
            throw new PackageFormatException(member + ": no control file");
        } catch (PackageFormatException e) {
            throw new PackageFormatException(e.getMessage().startsWith(member) ? e.getMessage()
                    : member + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException(member + ": " + VisitorFailure.describe(e), e);
        }
    }

    private void readData(String member, Codec codec, InputStream ar, long length, PackageVisitor visitor)
            throws PackageFormatException {
        CountingInputStream raw = new CountingInputStream(ar);
        try (InputStream dec = codec.decode(raw, length, options)) {
            TarArchiveInputStream tar = new TarArchiveInputStream(new NonClosingInputStream(dec), ISO);
            byte[] scratch = new byte[64 * 1024];
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                PackageEntry entry = toEntry(e);
                VisitorFailure.onEntry(visitor, entry, tar);
                // Read what the visitor left through one reused array: commons-compress skips
                // through commons-io, which allocates a fresh 8 KiB array per call.
                while (tar.read(scratch) >= 0) {
                    // discard
                }
            }
            // Read to the end: this runs the decoder's integrity checks (xz/zstd/gzip trailers)
            // and tells a member cut at a tar header boundary from a complete one.
            Streams.skip(dec, Long.MAX_VALUE);
            // Only to the member's end: commons-compress' ar stream may pass a skip through to the
            // file, past the member boundary, which would also fool the truncation check below.
            Streams.skip(raw, length < 0 ? Long.MAX_VALUE : Math.max(0, length - raw.count()));
        } catch (VisitorFailure e) {
            throw e;
        } catch (PackageFormatException e) {
            throw new PackageFormatException(member + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException(member + ": " + VisitorFailure.describe(e), e);
        }
        if (raw.count() < length) {
            // commons-compress' ar stream ends a short member quietly; the length says otherwise.
            throw new PackageFormatException(member + ": truncated at " + raw.count() + " of " + length + " bytes");
        }
    }

    private static PackageEntry toEntry(TarArchiveEntry e) throws PackageFormatException {
        String path = PackageEntry.installedPath(e.getName());
        int mode = e.getMode() & 07777;
        if (e.isLink()) {
            return new PackageEntry(path, PackageEntry.Kind.HARD_LINK, mode, 0, PackageEntry.installedPath(e.getLinkName()));
        }
        if (e.isSymbolicLink()) {
            return new PackageEntry(path, PackageEntry.Kind.SYMLINK, mode, 0, e.getLinkName());
        }
        if (e.isDirectory()) {
            return new PackageEntry(path, PackageEntry.Kind.DIRECTORY, mode, 0, "");
        }
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            return new PackageEntry(path, PackageEntry.Kind.OTHER, mode, 0, "");
        }
        long size = e.getRealSize();
        if (size < 0) {
            throw new PackageFormatException(e.getName() + ": negative size " + size);
        }
        return new PackageEntry(path, e.isFile() ? PackageEntry.Kind.FILE : PackageEntry.Kind.OTHER, mode, size, "");
    }

    /** Counts bytes taken from the ar member, to detect truncation. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        long count() {
            return count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = super.skip(n);
            count += Math.max(0, k);
            return k;
        }
    }
}
