package org.symdex.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.symdex.batch.InputWalker;
import org.symdex.batch.LargestFirst;
import org.symdex.cap.CapabilityDeriver;
import org.symdex.cap.ElfCapabilities;
import org.symdex.elf.DynamicSymbol;
import org.symdex.elf.ElfConstants;
import org.symdex.elf.ElfFile;
import org.symdex.elf.ElfFormatException;
import org.symdex.io.Limits;
import org.symdex.pkg.Dependency;
import org.symdex.pkg.PackageFormat;
import org.symdex.pkg.PackageFormatException;
import org.symdex.pkg.PackageInfo;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;
import org.symdex.scan.Warning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex deps}: the provides and requires of ELF files and directories, as rpm's elfdeps derives them. */
@Command(name = "deps", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print the provides and requires of ELF files and of the ELF files inside .deb and "
                + ".rpm packages, exactly as rpm's elfdeps (rpm 4.18) derives them: capabilities such as "
                + "libc.so.6(GLIBC_2.34)(64bit).",
                "A directory is walked in the bytewise order of the whole path, following symbolic links; "
                        + "inside it, ELF files and packages (recognised by their magic bytes, not their names) are "
                        + "read, each file once however many links reach it, and everything else is skipped. A "
                        + "package is read in one streaming pass; nothing is extracted to disk."},
        footer = {"", "Examples:",
                "  symdex deps /usr/bin/ls                    # Provides:/Requires: block",
                "  symdex deps hello_2.10-3_amd64.deb hello-2.12-1.x86_64.rpm",
                "  symdex deps --jobs 2 --format tsv /srv/mirror/pool/main/o/openssl/",
                "  symdex deps --format tsv /usr/lib/x86_64-linux-gnu | grep GLIBC_PRIVATE",
                "  symdex deps --format json --symbols libfoo.so.1",
                "  symdex deps --source 'deb [arch=amd64] file:/srv/debian bookworm main' --package 'libssl*'",
                "",
                "tsv columns: SOURCE, PATH, P or R, CAPABILITY (one line per file and capability; "
                        + "tab, newline and backslash in a field are written \\t, \\n, \\\\). "
                        + "SOURCE is the file or package as given (a source's package: its URI), PATH the file as "
                        + "given or the installed path. A source's packages follow the paths, in metadata order, "
                        + "each verified against its listed size and checksum as it streams.",
                "Exit codes: 0 fine, 2 some input could not be read (the others are still printed), "
                        + "70 internal error."})
final class DepsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format = new FormatOption();

    @Option(names = "--symbols", description = "With --format json: also each file's exported and imported "
            + "dynamic symbols with their versions.")
    boolean symbols;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Inputs read in parallel "
            + "(default: the number of cores). Output stays in argument order.")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--max-entry-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest ELF entry of a package that is analysed (default: 4G); larger ones are "
                    + "reported and skipped. Bytes, or with k, M, G, T (powers of 1024): 512M, 2GiB.")
    long maxEntrySize = Limits.defaults().maxEntryBytes();

    @Mixin
    XzDecoderOption xz = new XzDecoderOption();

    @Mixin
    SourceOptions sources = new SourceOptions();

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "ELF files, .deb and .rpm packages, "
            + "and directories of them.")
    List<Path> paths = new ArrayList<>();

    /** One input: a path walked, or a package a source lists. */
    record Item(InputWalker.Input walked, org.symdex.source.ListedPackage listed) {
        long size() {
            return walked != null ? walked.size() : listed.size();
        }

        String key() {
            return walked != null ? walked.key() : listed.uri().toString();
        }
    }

    /**
     * Everything one input gave: its files, or the one-line reason it could not be read. {@code info} is
     * the package's metadata, null for an ELF file on disk.
     */
    record SourceResult(String source, PackageInfo info, List<ScannedFile> files, List<String> warnings,
                        String error, Throwable bug) {
        SourceResult(String source, PackageInfo info, List<ScannedFile> files, List<String> warnings, String error) {
            this(source, info, files, warnings, error, null);
        }

        static SourceResult failed(String source, String error) {
            return new SourceResult(source, null, List.of(), List.of(), error);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (jobs < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        if (paths.isEmpty() && !sources.any()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "give a PATH, a --source LINE or a --sources FILE");
        }
        PrintWriter out = TerminalText.wrap(spec.commandLine().getOut(), format.value);
        PrintWriter err = spec.commandLine().getErr();
        InputWalker.Walk walk = InputWalker.walk(paths, InputWalker.Accept.PACKAGES_AND_ELF);
        List<Item> inputs = new ArrayList<>();
        walk.inputs().forEach(in -> inputs.add(new Item(in, null)));
        org.symdex.source.Fetcher fetcher = null;
        List<String> sourceFailures = new ArrayList<>();
        if (sources.any()) {
            try {
                fetcher = sources.fetcher(org.symdex.source.TransferListener.NONE);
                org.symdex.source.ParsedSources parsed = sources.parse();
                parsed.notes().forEach(n -> err.println("symdex: " + n));
                for (org.symdex.source.ListedPackage p : org.symdex.batch.SourcePackages.list(parsed.specs(),
                        sources.filter(), fetcher, f -> {
                            err.println("symdex: " + f);
                            sourceFailures.add(f);
                        })) {
                    inputs.add(new Item(null, p));
                }
            } catch (org.symdex.source.SourceException e) {
                err.println("symdex: " + e.getMessage());
                return Symdex.EXIT_BAD_INPUT;
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Limits defaults = Limits.defaults();
        PackageScanner scanner = new PackageScanner(xz.readerOptions(),
                new Limits(maxEntrySize, defaults.bufferBudgetBytes()), symbols,
                Path.of(System.getProperty("java.io.tmpdir")));
        Renderer renderer = switch (format.value) {
            case text -> new TextRenderer();
            case tsv -> new TsvRenderer();
            case json -> new JsonRenderer(out, symbols);
        };
        // Largest inputs first, output in argument order (LargestFirst says why). Workers render their
        // result, so a result held for its turn is its text, not its parsed files; the window bounds
        // how many are held. With --symbols a rendered package can be megabytes, hence the smaller one.
        int window = (int) Math.min(Integer.MAX_VALUE, (symbols ? 8L : 512L) * jobs);
        // A bar on stderr only when stdout is not the same terminal: results would tear it.
        Progress progress = new Progress(err,
                Terminal.isTerminal(Terminal.STDERR) && !Terminal.isTerminal(Terminal.STDOUT));
        Output output = new Output(out, progress, renderer instanceof JsonRenderer j ? j : null,
                format.value == OutputFormat.text ? System.lineSeparator() : "");
        LargestFirst<Item, Rendered> run = new LargestFirst<>(inputs, Item::size, jobs, window, "symdex-deps");
        org.symdex.source.Fetcher listedFetcher = fetcher;
        walk.warnings().forEach(progress::warning);
        progress.planned(inputs.size(), 0, 0, run.totalSize());
        try {
            run.run(Symdex::outputClosed, in -> {
                progress.packageStarted(in.key());
                Rendered r = render(in.walked() != null ? analyse(in.walked(), scanner, symbols)
                        : analyseListed(in.listed(), listedFetcher, scanner), renderer);
                progress.packageDone(in.key(), in.size()); // work done, whatever its place in the output
                return r;
            }, output::write);
        } finally {
            progress.clear();
        }
        renderer.finish();
        int code = output.failed || !sourceFailures.isEmpty() ? Symdex.EXIT_BAD_INPUT : Symdex.EXIT_OK;
        for (Throwable bug : output.bugs) {
            Symdex.internalError(err, bug, Symdex.verbose(spec.commandLine()));
            code = Symdex.worst(code, Symdex.EXIT_INTERNAL);
        }
        if (symbols && format.value != OutputFormat.json) {
            // Said last, so that it is the line people see; the output is what it would be without.
            err.println("symdex: --symbols has effect only with --format json");
        }
        return code;
    }

    /**
     * One input's result as printed: its text (null when it failed), its warnings and its error; {@code bug}
     * is our exception when the error is an internal one.
     */
    record Rendered(String source, String text, List<String> warnings, String error, Throwable bug) {
    }

    static Rendered render(SourceResult r, Renderer renderer) {
        return new Rendered(r.source(), r.error() == null ? renderer.render(r) : null, r.warnings(), r.error(), r.bug());
    }

    /** Writes rendered results in argument order, on the main thread. */
    private static final class Output {
        private final PrintWriter out;
        private final Progress progress;
        private final JsonRenderer json;
        private final String separator; // between two results of the text format, a blank line
        private boolean first = true;
        boolean failed;
        final List<Throwable> bugs = new ArrayList<>();

        Output(PrintWriter out, Progress progress, JsonRenderer json, String separator) {
            this.out = out;
            this.progress = progress;
            this.json = json;
            this.separator = separator;
        }

        void write(Rendered r) {
            for (String w : r.warnings()) {
                progress.warning(w);
            }
            if (r.bug() != null) {
                bugs.add(r.bug());
            }
            if (r.error() != null) {
                failed = true;
                progress.packageFailed(r.source(), r.error());
                if (json != null) {
                    json.error(r.source(), r.error());
                }
            } else if (json != null) {
                json.append(r.text());
            } else {
                if (!first) {
                    out.print(separator);
                }
                first = false;
                out.print(r.text());
                out.flush(); // a package at a time, for whoever reads along
            }
        }
    }

    /** Reads one input. Problems with the input are results; only our own bugs escape as exceptions. */
    static SourceResult analyse(InputWalker.Input in, PackageScanner scanner, boolean withSymbols) {
        String source = ByteStrings.of(in.display());
        if (!in.ok()) {
            return SourceResult.failed(source, in.problem());
        }
        try {
            Optional<PackageFormat> format = PackageFormat.detect(in.path());
            if (format.isPresent()) {
                return scanPackage(source, in.path(), scanner);
            }
            return analyseElf(source, in.path(), withSymbols);
        } catch (IOException e) {
            // A FileSystemException is the open's (permission, gone since the walk); others the read's.
            return SourceResult.failed(source, (e instanceof java.nio.file.FileSystemException ? "cannot open: "
                    : "cannot read: ") + InputWalker.FileNames.reason(e));
        } catch (RuntimeException | StackOverflowError e) {
            // Our bug; the other inputs are still read, and the run's exit code says 70.
            return new SourceResult(source, null, List.of(), List.of(), "internal error: " + e, e);
        }
    }

    /** A package a source lists, read as it streams and verified against the listing (batch.ListedRead). */
    static SourceResult analyseListed(org.symdex.source.ListedPackage p, org.symdex.source.Fetcher fetcher,
                                      PackageScanner scanner) {
        String source = p.uri().toString();
        try {
            return result(source, org.symdex.batch.ListedRead.of(p, fetcher, scanner, Symdex::outputClosed).scan());
        } catch (org.symdex.source.SourceException e) {
            return SourceResult.failed(source, e.reason());
        } catch (PackageFormatException e) {
            return SourceResult.failed(source, e.getMessage());
        } catch (IOException e) {
            return SourceResult.failed(source, "cannot read: " + InputWalker.FileNames.reason(e));
        } catch (RuntimeException | StackOverflowError e) {
            return new SourceResult(source, null, List.of(), List.of(), "internal error: " + e, e);
        }
    }

    private static SourceResult result(String source, PackageScan scan) {
        List<String> warnings = new ArrayList<>();
        for (Warning w : scan.warnings()) {
            warnings.add(w.format(source));
        }
        for (ScannedFile f : scan.files()) {
            for (Warning w : f.warnings()) {
                warnings.add(w.format(source));
            }
        }
        return new SourceResult(source, scan.info(), scan.files(), warnings, null);
    }

    private static SourceResult scanPackage(String source, Path file, PackageScanner scanner) throws IOException {
        try {
            // A reader that went away (| head) ends the package at its next entry: nobody reads the answer.
            PackageScan scan = scanner.scan(file, null, Symdex::outputClosed);
            List<String> warnings = new ArrayList<>();
            for (Warning w : scan.warnings()) {
                warnings.add(w.format(source));
            }
            for (ScannedFile f : scan.files()) {
                for (Warning w : f.warnings()) {
                    warnings.add(w.format(source));
                }
            }
            return new SourceResult(source, scan.info(), scan.files(), warnings, null);
        } catch (PackageFormatException e) {
            return SourceResult.failed(source, e.getMessage());
        }
    }

    private static SourceResult analyseElf(String source, Path file, boolean withSymbols) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                return SourceResult.failed(source, "file of " + size
                        + " bytes is larger than the 2 GiB an ELF file can have here");
            }
            // Mapped, not copied: the parser reads only headers and tables.
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            if (!ElfFile.looksLikeElf(buf)) {
                return SourceResult.failed(source, "not an ELF file or a .deb or .rpm package");
            }
            ElfFile elf = ElfFile.parse(buf, withSymbols);
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            ElfCapabilities caps = CapabilityDeriver.derive(elf, source, mode);
            List<String> warnings = new ArrayList<>();
            for (String w : caps.warnings()) {
                warnings.add(source + ": " + w);
            }
            return new SourceResult(source, null, List.of(new ScannedFile(source, mode, elf, caps)), warnings, null);
        } catch (ElfFormatException e) {
            return SourceResult.failed(source, e.getMessage());
        }
    }

    // ---- rendering -------------------------------------------------------------------------------

    /** Turns one input's result into its output. Called by the worker threads at once: no state. */
    interface Renderer {
        String render(SourceResult r);

        default void finish() {
        }
    }

    /** One block per source, as {@code rpm -qp --provides} and {@code --requires} print them. */
    static final class TextRenderer implements Renderer {
        @Override
        public String render(SourceResult r) {
            StringWriter sw = new StringWriter();
            PrintWriter out = new PrintWriter(sw);
            List<String> provides = new ArrayList<>();
            List<String> requires = new ArrayList<>();
            for (ScannedFile f : r.files()) {
                provides.addAll(f.caps().provides());
                requires.addAll(f.caps().requires());
            }
            out.println(r.source() + ":");
            out.println("Provides:");
            ElfCapabilities.sortedUnique(provides).forEach(c -> out.println("  " + c));
            out.println("Requires:");
            ElfCapabilities.sortedUnique(requires).forEach(c -> out.println("  " + c));
            out.flush();
            return sw.toString();
        }
    }

    /** SOURCE, PATH, P|R, CAPABILITY; provides before requires; no header. */
    static final class TsvRenderer implements Renderer {
        @Override
        public String render(SourceResult r) {
            StringWriter sw = new StringWriter();
            PrintWriter out = new PrintWriter(sw);
            for (ScannedFile f : r.files()) {
                for (String c : f.caps().provides()) {
                    out.println(Tsv.line(r.source(), f.path(), "P", c));
                }
                for (String c : f.caps().requires()) {
                    out.println(Tsv.line(r.source(), f.path(), "R", c));
                }
            }
            out.flush();
            return sw.toString();
        }
    }

    /**
     * The symdex/1 envelope of docs/json-schema.md. The envelope and the errors are written on the main
     * thread ({@link #append}, {@link #error}, {@link #finish}); each result is rendered on its own.
     */
    static final class JsonRenderer implements Renderer {
        private final Json envelope;
        private final boolean symbols;
        private final List<String[]> errors = new ArrayList<>();

        JsonRenderer(PrintWriter out, boolean symbols) {
            this.envelope = new Json(out);
            this.symbols = symbols;
            envelope.beginObject().field("schema", "symdex/1").field("command", "deps");
            envelope.name("results").beginArray();
        }

        void append(String renderedResult) {
            envelope.raw(renderedResult);
        }

        void error(String source, String reason) {
            errors.add(new String[] {source, reason});
        }

        @Override
        public String render(SourceResult r) {
            StringWriter sw = new StringWriter();
            PrintWriter out = new PrintWriter(sw);
            new Result(new Json(out), symbols).write(r);
            out.flush();
            return sw.toString();
        }

        @Override
        public void finish() {
            envelope.endArray();
            envelope.name("errors").beginArray();
            for (String[] e : errors) {
                envelope.beginObject().field("source", e[0]).field("reason", e[1]).endObject();
            }
            envelope.endArray().endObject().end();
        }
    }

    /** One element of "results". */
    private record Result(Json json, boolean symbols) {
        void write(SourceResult r) {
            json.beginObject().field("source", r.source());
            PackageInfo info = r.info();
            json.field("format", info == null ? "elf" : info.format().name().toLowerCase(Locale.ROOT));
            if (info != null) {
                json.name("package").beginObject().field("name", info.name())
                        .name("epoch").value(info.epoch().map(String::valueOf).orElse(null))
                        .field("version", info.version()).field("release", info.release())
                        .field("arch", info.arch()).field("source", info.sourcePackage().orElse(null))
                        .field("multiArch", info.multiArch().orElse(null))
                        .field("installedSize", info.installedSize())
                        .field("payloadCompressor", info.payloadCompressor().name().toLowerCase(Locale.ROOT))
                        .endObject();
                json.name("declared").beginObject();
                dependencies("provides", info.provides());
                dependencies("requires", info.requires());
                json.endObject();
            }
            List<String> provides = new ArrayList<>();
            List<String> requires = new ArrayList<>();
            r.files().forEach(f -> {
                provides.addAll(f.caps().provides());
                requires.addAll(f.caps().requires());
            });
            json.field("provides", ElfCapabilities.sortedUnique(provides));
            json.field("requires", ElfCapabilities.sortedUnique(requires));
            json.name("files").beginArray();
            for (ScannedFile f : r.files()) {
                file(f);
            }
            json.endArray().endObject();
        }

        private void file(ScannedFile f) {
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
                    .field("warnings", f.caps().warnings())
                    .field("links", f.links());
            if (symbols) {
                json.field("versioned", e.hasSymbolVersions());
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

        private void dependencies(String name, List<Dependency> deps) {
            json.name(name).beginArray();
            for (Dependency d : deps) {
                json.beginObject().field("name", d.name()).field("flags", d.flags()).field("version", d.version())
                        .endObject();
            }
            json.endArray();
        }

        private void symbol(DynamicSymbol s) {
            json.beginObject().field("name", s.name()).field("version", s.version())
                    .field("index", s.versionIndex())
                    .field("hidden", s.hidden())
                    .field("binding", ElfConstants.bindingName(s.binding()))
                    .field("type", ElfConstants.symbolTypeName(s.type()));
            if (!s.isDefined() || s.versionFile() != null) {
                // the verneed file ld.so checks the version in; on a definition, a copy relocation's
                json.field("from", s.versionFile());
            }
            json.endObject();
        }
    }
}
