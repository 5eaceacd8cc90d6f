package org.symdex.cap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.symdex.elf.DynamicEntry;
import org.symdex.elf.DynamicTable;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;
import org.symdex.elf.VersionDefinition;
import org.symdex.elf.VersionNeed;
import org.symdex.elf.VersionTable;

/**
 * Derives an ELF file's provides and requires exactly as Debian 12's rpm 4.18.0 {@code elfdeps -P/-R}
 * prints them, rule by rule from docs/capabilities.md §2 (section numbers below refer to it).
 * The one deliberate difference: a dynamic section with sh_entsize 0 crashes 4.18, and we answer as 4.20
 * does (the section is skipped), with the parser's warning.
 */
public final class CapabilityDeriver {
    /** The literal requirement elfdeps adds for GNU_HASH-only objects (§2.9.1). */
    public static final String RTLD_GNU_HASH = "rtld(GNU_HASH)";
    private static final String MARKER_64 = "(64bit)";
    /**
     * Cap on elfdeps-order lines per list, and on chain entries replayed. elfdeps repeats a version vd_cnt
     * times (§2.6) and re-reads a looping chain up to sh_info times, so a crafted file could ask for
     * billions of copies of one line; real files have a few hundred lines. Past the cap only repeats are
     * dropped: a line not yet in the list still gets in, so the sorted set stays exact.
     */
    static final int MAX_RAW_ENTRIES = 1 << 16;
    /**
     * Cap on chain entries replayed when a verdef/verneed chain loops (elfdeps reads it sh_info times).
     * Replays only repeat lines already emitted; real files never loop, crafted ones ask for up to 2^31.
     */
    static final int MAX_CHAIN_READS = 1 << 12;

    private CapabilityDeriver() {
    }

    /**
     * @param path the file's path as given (on disk) or installed path (in a package): its base name is the
     *             fake soname of a DSO without DT_SONAME (§2.9.2)
     * @param mode the file's mode bits; any x bit opens the requires gate (§2.4)
     */
    public static ElfCapabilities derive(ElfFile elf, String path, int mode) {
        int type = elf.type();
        if (type != ElfConstants.ET_DYN && type != ElfConstants.ET_EXEC) {
            return ElfCapabilities.of(List.of(), List.of(), elf.warnings()); // §2.2: nothing for ET_REL, ET_CORE
        }
        Emitter out = new Emitter(marker(elf));
        boolean isDSO = type == ElfConstants.ET_DYN;
        boolean isExec = (mode & 0111) != 0;
        // §2.4: requires unless the file has a PT_INTERP and no x bit.
        boolean genRequires = !(elf.interpreter() != null && !isExec);

        boolean gotHash = false;
        boolean gotGnuHash = false;
        boolean gotDebug = false;
        String soname = null;
        // §2.3: one walk over the section table in index order.
        for (Object table : tablesInSectionOrder(elf)) {
            if (table instanceof VersionTable.Definitions defs) {
                verdefProvides(defs, out);
            } else if (table instanceof VersionTable.Needs needs) {
                if (genRequires) {
                    replay(needs, out, out.requires, e -> {
                        VersionNeed need = needs.entries().get(e);
                        for (VersionNeed.Aux aux : need.versions()) {
                            out.require(need.file(), aux.name());
                        }
                    });
                }
            } else if (table instanceof DynamicTable dyn) {
                if (dyn.entsizeZero()) {
                    continue; // §2.8, as rpm 4.20
                }
                for (DynamicEntry e : dyn.entries()) {
                    long tag = e.tag();
                    if (tag == ElfConstants.DT_HASH) {
                        gotHash = true;
                    } else if (tag == ElfConstants.DT_GNU_HASH) {
                        gotGnuHash = true;
                    } else if (tag == ElfConstants.DT_DEBUG) {
                        gotDebug = true;
                    } else if (tag == ElfConstants.DT_SONAME && e.string() != null) {
                        soname = e.string(); // the last resolvable one wins
                    } else if (tag == ElfConstants.DT_NEEDED && genRequires && e.string() != null) {
                        out.require(e.string(), null);
                    }
                }
            }
        }
        // §2.9.1: GNU_HASH without DT_HASH needs a glibc that knows it.
        if (genRequires && gotGnuHash && !gotHash) {
            out.rawRequire(RTLD_GNU_HASH);
        }
        // §2.9.2: DT_DEBUG tells PIE executables, which carry it, from libraries. A missing (or
        // unresolvable) DT_SONAME is replaced by the base name of the path. An empty one is kept and then
        // dropped by the filter: rpm 4.18 prints nothing for it (checked against the oracle).
        if (isDSO && !gotDebug) {
            if (soname == null) {
                int slash = path.lastIndexOf('/');
                soname = slash >= 0 ? path.substring(slash + 1) : path;
            }
            out.provide(soname, null);
        }
        List<String> warnings = new ArrayList<>(elf.warnings());
        if (out.truncated || truncatedReads(elf)) {
            warnings.add("more than " + MAX_RAW_ENTRIES + " capability lines or " + MAX_CHAIN_READS + " looping chain reads; the rest repeat "
                    + "earlier ones and were dropped");
        }
        return ElfCapabilities.of(out.provides, out.requires, warnings);
    }

    private static boolean truncatedReads(ElfFile elf) {
        for (VersionTable t : elf.versionTables()) {
            if (t.cycleFrom() >= 0 && t.count() > MAX_CHAIN_READS) {
                return true;
            }
        }
        return false;
    }

    /** §2.2: "(64bit)" for ELFCLASS64 except alpha, which never had the marker; nothing for 32-bit. */
    static String marker(ElfFile elf) {
        if (!elf.is64()) {
            return null;
        }
        int m = elf.machine();
        return m == ElfConstants.EM_ALPHA || m == ElfConstants.EM_FAKE_ALPHA ? null : MARKER_64;
    }

    /**
     * §2.6. The BASE entry names the provider (not DT_SONAME). For other entries elfdeps never advances
     * past the first verdaux, so a version with vd_cnt 2 (one parent) emits its own name twice and never
     * its parent's.
     */
    private static void verdefProvides(VersionTable.Definitions defs, Emitter out) {
        String[] base = {null}; // per section, as elfdeps' local variable
        replay(defs, out, out.provides, e -> {
            VersionDefinition def = defs.entries().get(e);
            if (def.isBase()) {
                if (!def.names().isEmpty()) {
                    base[0] = def.names().get(def.names().size() - 1);
                }
            } else if (base[0] != null && def.name() != null) {
                out.provide(base[0], def.name(), def.count());
            }
        });
    }

    /**
     * Emits, through {@code entry} (which takes an index into the table's distinct entries), every entry
     * elfdeps reads of one verdef or verneed chain, in its order, up to sh_info reads (at most
     * {@link #MAX_CHAIN_READS}), as the raw list would have them, without deriving every read again.
     *
     * <p>Past the distinct entries a looping chain repeats its cycle. From the second time round, every
     * pass emits exactly the lines of the one before: the only state, the verdef BASE name, is the same at
     * the start of every pass from the second on (the cycle's last BASE entry, or what it was before the
     * cycle if it holds none). So the second pass is emitted and recorded, and later passes append the
     * record until the raw list is full, after which repeats are dropped anyway. The work is one pass over
     * the distinct entries, one over the cycle and at most {@link #MAX_RAW_ENTRIES} appended lines. Before,
     * every read was derived again: a fuzzed 8 KB file whose verneed chain loops (sh_info 3,264,987,798)
     * through one entry of 8,256 vernaux entries cost 4096 x 8256 emissions, 4.7 GB of allocation and over
     * a second, though the soname filter dropped every line.
     */
    private static void replay(VersionTable table, Emitter out, List<String> list, IntConsumer entry) {
        long reads = table.readLength(MAX_CHAIN_READS);
        int n = table.size();
        long i = 0;
        for (; i < Math.min(reads, n); i++) {
            entry.accept(table.readOrder(i));
        }
        if (i == reads) {
            return;
        }
        int cycle = n - table.cycleFrom();
        int[] start = new int[cycle + 1];
        List<String> record = out.startRecording();
        for (; i < reads && i < (long) n + cycle; i++) {
            start[(int) (i - n)] = record.size();
            entry.accept(table.readOrder(i));
        }
        start[cycle] = record.size();
        boolean overflow = out.stopRecording();
        if (i == reads || record.isEmpty()) {
            return;
        }
        // A record longer than the cap was appended or dropped line by line: the list is full already.
        for (; i < reads && !overflow && list.size() < MAX_RAW_ENTRIES; i++) {
            int e = table.readOrder(i) - table.cycleFrom();
            for (int k = start[e]; k < start[e + 1]; k++) {
                out.repeat(list, record.get(k));
            }
        }
        // The remaining reads would only hand repeats to a full list, which drops them: a truncation if
        // any of them has a line, as when each was handed over.
        for (; i < reads; i++) {
            int e = table.readOrder(i) - table.cycleFrom();
            if (start[e] < start[e + 1]) {
                out.truncated = true;
                break;
            }
        }
    }

    private static List<Object> tablesInSectionOrder(ElfFile elf) {
        List<Object> tables = new ArrayList<>(elf.versionTables());
        tables.addAll(elf.dynamicTables());
        tables.sort(Comparator.comparingInt(CapabilityDeriver::sectionIndex));
        return tables;
    }

    private static int sectionIndex(Object table) {
        return table instanceof VersionTable v ? v.sectionIndex() : ((DynamicTable) table).sectionIndex();
    }

    /** Collects capabilities in elfdeps order, applying addDep's filter and format (§2.5, §2.10). */
    private static final class Emitter {
        final String marker;
        final List<String> provides = new ArrayList<>();
        final List<String> requires = new ArrayList<>();
        private final Set<String> seenProvides = new HashSet<>();
        private final Set<String> seenRequires = new HashSet<>();
        /**
         * name, then version, to its formatted line, or to SKIP when the filter drops it. Nested so that a
         * repeated pair costs two lookups and no key allocation: loops repeat them. No version is NO_VERSION,
         * a NUL, which no name read from a string table can contain; an empty version is "" and differs.
         */
        private final Map<String, Map<String, String>> formatted = new HashMap<>();
        private static final String SKIP = new String("skip");
        private static final String NO_VERSION = "\u0000";
        boolean truncated;
        /** While a chain's cycle is recorded: every line handed to the raw lists, dropped or not. */
        private List<String> record;
        private boolean recordOverflow;

        Emitter(String marker) {
            this.marker = marker;
        }

        void provide(String name, String version) {
            add(provides, seenProvides, name, version, 1);
        }

        /** §2.6: the same provide {@code times} times, as elfdeps' loop over vd_cnt does. */
        void provide(String name, String version, int times) {
            add(provides, seenProvides, name, version, times);
        }

        void require(String name, String version) {
            add(requires, seenRequires, name, version, 1);
        }

        private void add(List<String> list, Set<String> seen, String name, String version, int times) {
            String line = formatted.computeIfAbsent(name, k -> new HashMap<>())
                    .computeIfAbsent(version == null ? NO_VERSION : version, k -> {
                        if (SonameFilter.skip(name)) {
                            return SKIP;
                        }
                        // rpm 4.18 tests the version pointer, not its length: an empty version still gets "()".
                        return version == null && marker == null ? name
                                : name + "(" + (version == null ? "" : version) + ")" + (marker == null ? "" : marker);
                    });
            if (line == SKIP || times <= 0) {
                return;
            }
            raw(list, seen, line);
            // The other times are repeats of a line now seen: appended until the list is full, then dropped.
            for (int k = 1; k < times; k++) {
                if (list.size() >= MAX_RAW_ENTRIES && (record == null || recordOverflow)) {
                    truncated = true;
                    return;
                }
                repeat(list, line);
            }
        }

        /** A line already in {@code seen}. */
        void repeat(List<String> list, String line) {
            raw(list, null, line);
        }

        List<String> startRecording() {
            record = new ArrayList<>();
            recordOverflow = false;
            return record;
        }

        /** Ends a recording; true when it overflowed (and so the list it went to is full). */
        boolean stopRecording() {
            record = null;
            return recordOverflow;
        }

        void rawRequire(String cap) {
            raw(requires, seenRequires, cap);
        }

        /** {@code seen} null: a repeat of a line already seen. */
        private void raw(List<String> list, Set<String> seen, String cap) {
            if (record != null && !recordOverflow) {
                if (record.size() > MAX_RAW_ENTRIES) {
                    recordOverflow = true;
                } else {
                    record.add(cap);
                }
            }
            boolean first = seen != null && seen.add(cap);
            if (list.size() >= MAX_RAW_ENTRIES && !first) {
                truncated = true;
                return;
            }
            list.add(cap);
        }
    }
}
