package org.symdex.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.BooleanSupplier;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;
import org.symdex.io.ByteBudget;
import org.symdex.io.EntryBuffer;
import org.symdex.io.EntryTooLargeException;
import org.symdex.io.Limits;
import org.symdex.io.Streams;
import org.symdex.pkg.PackageEntry;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.PackageInfo;
import org.symdex.pkg.PackageReader;
import org.symdex.pkg.PackageVisitor;
import org.symdex.pkg.ReaderOptions;

/**
 * Finds and analyses the ELF files of one package in a single streaming pass; nothing is
 * extracted to disk (issue 3, item 3).
 *
 * <p>Analysed: regular files and hard links whose data starts with the ELF magic and a valid
 * class and byte order ({@link ElfFile#looksLikeElf}). Not analysed: symlinks (rpmbuild's libmagic
 * classifies them as links, capabilities.md §1.1), directories, devices, other files. Files under
 * /usr/share/doc are analysed like any other, unlike rpmbuild (docs/packages.md). The mode that
 * gates requires is the archive entry's, i.e. the installed mode. Every name of a hard-link set is
 * a file of its own (its own fake soname from its own base name), all from one parse.
 *
 * <p>Thread-safe: each concurrent {@link #scan} borrows its own reusable {@link EntryBuffer};
 * all buffers draw on one {@link ByteBudget}.
 */
public final class PackageScanner {
    /** Warnings kept per package; the rest are counted. */
    static final int MAX_WARNINGS = 100;
    /** Enough for looksLikeElf and, for small files, the whole file. */
    private static final int HEAD_BYTES = 64;

    private final PackageReader reader;
    private final Limits limits;
    private final ByteBudget budget;
    private final Path spoolDir;
    private final boolean withSymbols;
    /**
     * Heap one file's symbols may take (ElfFile.symbolCost): an eighth of the maximum heap, so that two
     * jobs each on a giant C++ library still leave room for the buffers and Lucene's RAM buffer.
     */
    private static final long SYMBOL_BUDGET = Runtime.getRuntime().maxMemory() / 8;
    private final ConcurrentLinkedDeque<EntryBuffer> buffers = new ConcurrentLinkedDeque<>();

    /**
     * @param withSymbols also decode .dynsym (for {@code --symbols}); capabilities do not need it
     * @param spoolDir where entries the budget cannot hold are spooled
     */
    public PackageScanner(ReaderOptions options, Limits limits, boolean withSymbols, Path spoolDir) {
        this.reader = new PackageReader(options);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.budget = new ByteBudget(limits.bufferBudgetBytes());
        this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir");
        this.withSymbols = withSymbols;
    }

    /** The default (pure-Java) decoders, default limits, no symbols, spooling to java.io.tmpdir. */
    public static PackageScanner withDefaults() {
        return new PackageScanner(ReaderOptions.defaults(), Limits.defaults(), false,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Bytes the heap buffers of all jobs may still take. */
    public ByteBudget budget() {
        return budget;
    }

    /**
     * Scans one package. A package that cannot be read throws {@link PackageFormatException}
     * (one-line message); a bad ELF file inside it becomes a {@link Warning}. Source rpms are
     * recognised and skipped with a warning: their requires are build requirements.
     */
    public PackageScan scan(Path pkg) throws PackageFormatException, IOException {
        return scan(pkg, null);
    }

    /**
     * As {@link #scan(Path)}; when {@code digest} is not null, every byte of the package file also
     * goes through it, in the same read ({@link PackageReader#read(Path, PackageVisitor, MessageDigest)}):
     * after a successful return it holds the digest of the whole file.
     */
    public PackageScan scan(Path pkg, MessageDigest digest) throws PackageFormatException, IOException {
        return scan(pkg, digest, () -> false);
    }

    /**
     * As {@link #scan(Path, MessageDigest)}, abandoned at the next archive entry once {@code stopped}
     * says so (a run told to stop, a reader that went away): the scan then throws
     * {@link ScanStoppedException}, whose result must not be taken for the package's.
     */
    public PackageScan scan(Path pkg, MessageDigest digest, BooleanSupplier stopped)
            throws PackageFormatException, IOException {
        return scan(Reading.of(pkg), digest, stopped);
    }

    /**
     * As {@link #scan(Path, MessageDigest, BooleanSupplier)}, from a stream: a package of a source,
     * read as it downloads (the stream is read to its end and closed).
     */
    public PackageScan scan(java.io.InputStream pkg, MessageDigest digest, BooleanSupplier stopped)
            throws PackageFormatException, IOException {
        return scan(Reading.of(pkg), digest, stopped);
    }

    /** What a scan reads from: a file, or a stream. */
    private interface Reading {
        org.symdex.pkg.PackageFormat readWith(PackageReader reader, PackageVisitor visitor, MessageDigest digest)
                throws PackageFormatException, IOException;

        static Reading of(Path p) {
            return (r, v, d) -> r.read(p, v, d);
        }

        static Reading of(java.io.InputStream in) {
            return (r, v, d) -> r.read(in, v, d);
        }
    }

    private PackageScan scan(Reading pkg, MessageDigest digest, BooleanSupplier stopped)
            throws PackageFormatException, IOException {
        EntryBuffer buffer = buffers.pollFirst();
        if (buffer == null) {
            buffer = new EntryBuffer(budget, limits, spoolDir);
        }
        try {
            Collector c = new Collector(buffer, stopped);
            pkg.readWith(reader, c, digest);
            if (c.info == null) {
                throw new PackageFormatException("no package metadata");
            }
            return new PackageScan(c.info, c.filesWithLinks(), c.warnings());
        } finally {
            buffer.release();
            buffers.addFirst(buffer);
        }
    }

    /** A parsed ELF entry, kept while the package is read so hard links can reuse it. */
    private record Parsed(ElfFile elf, int mode, String error) {
    }

    private final class Collector implements PackageVisitor {
        private final EntryBuffer buffer;
        private final byte[] head = new byte[HEAD_BYTES];
        private PackageInfo info;
        /** Sorted by path; String order is byte order for ISO-8859-1 names. A later duplicate wins, as on extraction. */
        private final TreeMap<String, ScannedFile> files = new TreeMap<>();
        private final Map<String, Parsed> parsed = new HashMap<>();
        private final List<Warning> warnings = new ArrayList<>();
        private int warningsLeftOut;

        /**
         * A package with 100,000 broken ELF entries (a crafted one) would keep 100,000 warnings and print
         * them all: the first {@link #MAX_WARNINGS} are kept, the rest counted in one last line.
         */
        private void warn(Warning w) {
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(w);
            } else {
                warningsLeftOut++;
            }
        }

        List<Warning> warnings() {
            if (warningsLeftOut == 0) {
                return warnings;
            }
            List<Warning> out = new ArrayList<>(warnings);
            out.add(new Warning("", "and " + warningsLeftOut + " more ELF entries that could not be read"));
            return out;
        }

        private final BooleanSupplier stopped;

        Collector(EntryBuffer buffer, BooleanSupplier stopped) {
            this.buffer = buffer;
            this.stopped = stopped;
        }

        @Override
        public boolean onInfo(PackageInfo info) {
            this.info = info;
            if (info.isSourceRpm()) {
                warnings.add(new Warning("", "source package (no SOURCERPM): skipped, its requires are build requirements"));
                return false;
            }
            return true;
        }

        @Override
        public void onEntry(PackageEntry entry, InputStream data) throws IOException {
            if (stopped.getAsBoolean()) {
                throw new ScanStoppedException();
            }
            switch (entry.kind()) {
                case FILE -> file(entry, data);
                case HARD_LINK -> hardLink(entry);
                case SYMLINK -> {
                    forget(entry.path());
                    symlinks.put(entry.path(), entry.linkTarget());
                }
                default -> forget(entry.path());
            }
        }

        /** Symlinks of the package, installed path → target as the archive gives it. */
        private final Map<String, String> symlinks = new HashMap<>();

        /**
         * The ELF files, each with the package's symlinks that resolve to it (issue 16, item 3):
         * relative targets against the link's directory, chains through other symlinks of the package
         * (at most {@link Symlinks#MAX_HOPS}), and a target missing in the package looked up at its
         * merged-/usr twin (a {@code /lib64} link to {@code /lib/...} when the file ships in
         * {@code /usr/lib/...}). Links to files of other packages are not followed: one package is read
         * at a time.
         */
        List<ScannedFile> filesWithLinks() {
            if (symlinks.isEmpty()) {
                return List.copyOf(files.values());
            }
            Map<String, List<String>> linksTo = Symlinks.resolve(symlinks, files::containsKey);
            List<ScannedFile> out = new ArrayList<>(files.size());
            for (ScannedFile f : files.values()) {
                List<String> l = linksTo.get(f.path());
                out.add(l == null ? f : f.withLinks(l));
            }
            return out;
        }

        private void file(PackageEntry entry, InputStream data) throws IOException {
            forget(entry.path());
            if (entry.size() < 6) {
                return;
            }
            int n = Streams.readUpTo(data, head, 0, (int) Math.min(HEAD_BYTES, entry.size()));
            if (!ElfFile.looksLikeElf(ByteBuffer.wrap(head, 0, n))) {
                return;
            }
            Parsed p;
            try {
                ByteBuffer whole = buffer.load(head, n, data, entry.size());
                p = new Parsed(ElfFile.parse(whole, withSymbols, SYMBOL_BUDGET), entry.mode(), null);
            } catch (ElfFormatException e) {
                p = new Parsed(null, entry.mode(), e.getMessage());
            } catch (EntryTooLargeException e) {
                p = new Parsed(null, entry.mode(), e.getMessage());
            } finally {
                buffer.release();
            }
            parsed.put(entry.path(), p);
            add(entry.path(), p);
        }

        /**
         * A tar hard link (and, after CpioWalker's normalisation, an rpm one) carries no data: it
         * is the earlier entry's inode under another name. The installed file has that inode's
         * mode, which is what elfdeps would stat on an unpacked tree.
         */
        private void hardLink(PackageEntry entry) {
            forget(entry.path());
            Parsed p = parsed.get(entry.linkTarget());
            if (p != null) {
                parsed.put(entry.path(), p);
                add(entry.path(), p);
            }
        }

        private void add(String path, Parsed p) {
            if (p.error != null) {
                warn(new Warning(path, p.error));
                return;
            }
            ElfCapabilities caps = CapabilityDeriver.derive(p.elf, path, p.mode);
            files.put(path, new ScannedFile(path, p.mode, p.elf, caps));
        }

        /** A later entry of the same path replaces the earlier one, as extraction would. */
        private void forget(String path) {
            files.remove(path);
            parsed.remove(path);
            symlinks.remove(path);
        }
    }
}
