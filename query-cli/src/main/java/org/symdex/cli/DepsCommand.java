package org.symdex.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.elf.DynamicSymbol;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex deps}: the provides and requires of ELF files and directories, as rpm's elfdeps derives them. */
@Command(name = "deps", sortOptions = false,
        description = {"Print the provides and requires of ELF files, exactly as rpm's elfdeps "
                + "(rpm 4.18) derives them: capabilities such as libc.so.6(GLIBC_2.34)(64bit).",
                "A directory is walked in bytewise path order; inside it, regular ELF files are read and "
                        + "everything else (symlinks included) is skipped."},
        footer = {"", "Examples:",
                "  symdex deps /usr/bin/ls                    # Provides:/Requires: block",
                "  symdex deps --format tsv /usr/lib/x86_64-linux-gnu | grep GLIBC_PRIVATE",
                "  symdex deps --format json --symbols libfoo.so.1",
                "",
                "tsv columns: SOURCE, PATH, P or R, CAPABILITY (one line per file and capability; "
                        + "tab, newline and backslash in a field are written \\t, \\n, \\\\).",
                "Exit codes: 0 fine, 2 some input could not be read (the others are still printed), "
                        + "70 internal error."})
final class DepsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Option(names = "--symbols", description = "With --format json: also each file's exported and imported "
            + "dynamic symbols with their versions.")
    boolean symbols;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Inputs read in parallel "
            + "(default: the number of cores). Output stays in argument order.")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "ELF files and directories.")
    List<Path> paths;

    /** One analysed ELF file. */
    record FileResult(String path, int mode, ElfFile elf, ElfCapabilities caps) {
    }

    /** Everything one input gave: its files, or the one-line reason it could not be read. */
    record SourceResult(String source, List<FileResult> files, List<String> warnings, String error) {
    }

    @Override
    public Integer call() throws Exception {
        if (jobs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<InputWalker.Input> inputs = InputWalker.expand(paths, DepsCommand::startsLikeElf);
        Renderer renderer = switch (format) {
            case text -> new TextRenderer(out);
            case tsv -> new TsvRenderer(out);
            case json -> new JsonRenderer(out, symbols);
        };
        boolean failed = false;
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "symdex-deps");
            t.setDaemon(true);
            return t;
        });
        try {
            // A window of 2 x jobs futures: parallel reading, output in argument order, bounded memory.
            Deque<Future<SourceResult>> window = new ArrayDeque<>();
            int next = 0;
            while (next < inputs.size() || !window.isEmpty()) {
                while (next < inputs.size() && window.size() < 2 * jobs) {
                    InputWalker.Input in = inputs.get(next++);
                    window.add(pool.submit(() -> analyse(in)));
                }
                SourceResult r = get(window.removeFirst());
                for (String w : r.warnings()) {
                    err.println("symdex: " + w);
                }
                if (r.error() != null) {
                    failed = true;
                    err.println("symdex: " + r.source() + ": " + r.error());
                    renderer.error(r);
                } else {
                    renderer.source(r);
                }
                err.flush();
            }
        } finally {
            pool.shutdownNow();
        }
        renderer.finish();
        return failed ? Symdex.EXIT_BAD_INPUT : Symdex.EXIT_OK;
    }

    private static SourceResult get(Future<SourceResult> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Reads one input. Problems with the input are results; only our own bugs escape as exceptions. */
    static SourceResult analyse(InputWalker.Input in) {
        String source = ByteStrings.of(in.display());
        if (in.problem() != null) {
            return new SourceResult(source, List.of(), List.of(), in.problem());
        }
        try (FileChannel ch = FileChannel.open(in.path(), StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                return new SourceResult(source, List.of(), List.of(), "file of " + size
                        + " bytes is larger than the 2 GiB an ELF file can have here");
            }
            // Mapped, not copied: the parser reads only headers and tables.
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            if (!ElfFile.looksLikeElf(buf)) {
                return new SourceResult(source, List.of(), List.of(), "not an ELF file");
            }
            ElfFile elf = ElfFile.parse(buf);
            int mode = (Integer) Files.getAttribute(in.path(), "unix:mode");
            ElfCapabilities caps = CapabilityDeriver.derive(elf, source, mode);
            List<String> warnings = new ArrayList<>();
            for (String w : caps.warnings()) {
                warnings.add(source + ": " + w);
            }
            return new SourceResult(source, List.of(new FileResult(source, mode, elf, caps)), warnings, null);
        } catch (ElfFormatException e) {
            return new SourceResult(source, List.of(), List.of(), e.getMessage());
        } catch (IOException e) {
            return new SourceResult(source, List.of(), List.of(), "cannot read: " + e.getMessage());
        }
    }

    /** Directory walks keep regular files that start like ELF (magic, valid class and byte order). */
    static boolean startsLikeElf(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return ElfFile.looksLikeElf(ByteBuffer.wrap(in.readNBytes(6)));
        } catch (IOException e) {
            return true; // let analyse() report why it cannot be read
        }
    }

    // ---- rendering -------------------------------------------------------------------------------

    interface Renderer {
        void source(SourceResult r);

        default void error(SourceResult r) {
        }

        default void finish() {
        }
    }

    /** One block per source, as {@code rpm -qp --provides} and {@code --requires} print them. */
    static final class TextRenderer implements Renderer {
        private final PrintWriter out;
        private boolean first = true;

        TextRenderer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void source(SourceResult r) {
            if (!first) {
                out.println();
            }
            first = false;
            List<String> provides = new ArrayList<>();
            List<String> requires = new ArrayList<>();
            for (FileResult f : r.files()) {
                provides.addAll(f.caps().provides());
                requires.addAll(f.caps().requires());
            }
            out.println(r.source() + ":");
            out.println("Provides:");
            ElfCapabilities.sortedUnique(provides).forEach(c -> out.println("  " + c));
            out.println("Requires:");
            ElfCapabilities.sortedUnique(requires).forEach(c -> out.println("  " + c));
            out.flush();
        }
    }

    /** SOURCE, PATH, P|R, CAPABILITY; provides before requires; no header. */
    static final class TsvRenderer implements Renderer {
        private final PrintWriter out;

        TsvRenderer(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void source(SourceResult r) {
            for (FileResult f : r.files()) {
                for (String c : f.caps().provides()) {
                    out.println(Tsv.line(r.source(), f.path(), "P", c));
                }
                for (String c : f.caps().requires()) {
                    out.println(Tsv.line(r.source(), f.path(), "R", c));
                }
            }
            out.flush();
        }
    }

    /** The symdex/1 envelope of docs/json-schema.md. */
    static final class JsonRenderer implements Renderer {
        private final Json json;
        private final boolean symbols;
        private final List<SourceResult> errors = new ArrayList<>();

        JsonRenderer(PrintWriter out, boolean symbols) {
            this.json = new Json(out);
            this.symbols = symbols;
            json.beginObject().field("schema", "symdex/1").field("command", "deps");
            json.name("results").beginArray();
        }

        @Override
        public void source(SourceResult r) {
            json.beginObject().field("source", r.source()).field("format", "elf");
            List<String> provides = new ArrayList<>();
            List<String> requires = new ArrayList<>();
            r.files().forEach(f -> {
                provides.addAll(f.caps().provides());
                requires.addAll(f.caps().requires());
            });
            json.field("provides", ElfCapabilities.sortedUnique(provides));
            json.field("requires", ElfCapabilities.sortedUnique(requires));
            json.name("files").beginArray();
            for (FileResult f : r.files()) {
                file(f);
            }
            json.endArray().endObject();
        }

        private void file(FileResult f) {
            ElfFile e = f.elf();
            json.beginObject().field("path", f.path()).field("mode", String.format(Locale.ROOT, "%04o", f.mode() & 07777))
                    .field("class", e.is64() ? "ELF64" : "ELF32")
                    .field("byteOrder", e.header().byteOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? "LSB" : "MSB")
                    .field("machine", ElfConstants.machineName(e.machine()))
                    .field("type", ElfConstants.typeName(e.type()))
                    .field("soname", e.soname())
                    .field("interpreter", e.interpreter())
                    .field("needed", e.needed())
                    .field("runpath", e.runpath())
                    .field("rpath", e.rpath())
                    .field("provides", f.caps().provides())
                    .field("requires", f.caps().requires())
                    .field("warnings", f.caps().warnings());
            if (symbols) {
                json.name("symbols").beginObject();
                json.name("exported").beginArray();
                for (DynamicSymbol s : e.dynamicSymbols()) {
                    if (s.isDefined() && s.binding() != ElfConstants.STB_LOCAL) {
                        symbol(s);
                    }
                }
                json.endArray().name("imported").beginArray();
                for (DynamicSymbol s : e.dynamicSymbols()) {
                    if (!s.isDefined() && s.binding() != ElfConstants.STB_LOCAL) {
                        symbol(s);
                    }
                }
                json.endArray().endObject();
            }
            json.endObject();
        }

        private void symbol(DynamicSymbol s) {
            json.beginObject().field("name", s.name()).field("version", s.version())
                    .field("hidden", s.hidden())
                    .field("binding", ElfConstants.bindingName(s.binding()))
                    .field("type", ElfConstants.symbolTypeName(s.type()))
                    .endObject();
        }

        @Override
        public void error(SourceResult r) {
            errors.add(r);
        }

        @Override
        public void finish() {
            json.endArray();
            json.name("errors").beginArray();
            for (SourceResult r : errors) {
                json.beginObject().field("source", r.source()).field("reason", r.error()).endObject();
            }
            json.endArray().endObject().end();
        }
    }
}
