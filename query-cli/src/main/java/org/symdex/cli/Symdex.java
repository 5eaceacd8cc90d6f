package org.symdex.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import org.symdex.batch.InputWalker;
import org.symdex.index.IndexException;
import org.symdex.pkg.PackageFormatException;
import org.symdex.query.EditDistance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code symdex} command. Exit codes, one policy for every subcommand (README.md):
 * 0 fine, 1 findings, 2 bad usage or unreadable input, 70 internal error.
 */
@Command(name = "symdex", mixinStandardHelpOptions = true, versionProvider = Symdex.Version.class,
        description = {"Which binaries need which shared-library symbol versions, across whole archives of "
                + ".deb and .rpm packages. Capabilities are written exactly as rpm's elfdeps writes them.", ""},
        footer = {"", "Exit codes: 0 fine, 1 findings, 2 bad usage or an input that could not be read, "
                + "70 internal error.",
                "Run 'symdex help COMMAND' for a command's options and examples."})
public final class Symdex implements Runnable, Verbose {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FINDINGS = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 70;

    /**
     * The subcommands, by name, in the order help lists them. Registered here rather than in the
     * annotation so that a call naming one builds only that one's picocli model (issue 5: start-up).
     * Each name is its class's {@code @Command(name)}; SymdexTest checks that they agree.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("deps", DepsCommand.class);
        SUBCOMMANDS.put("index", IndexCommand.class);
        SUBCOMMANDS.put("info", InfoCommand.class);
        SUBCOMMANDS.put("failures", FailuresCommand.class);
        SUBCOMMANDS.put("upgrade-report", UpgradeReportCommand.class);
        SUBCOMMANDS.put("diff", DiffCommand.class);
        SUBCOMMANDS.put("whatprovides", WhatProvidesCommand.class);
        SUBCOMMANDS.put("whatrequires", WhatRequiresCommand.class);
        SUBCOMMANDS.put("provides", ProvidesCommand.class);
        SUBCOMMANDS.put("requires", RequiresCommand.class);
        SUBCOMMANDS.put("whatimports", WhatImportsCommand.class);
        SUBCOMMANDS.put("whatexports", WhatExportsCommand.class);
        SUBCOMMANDS.put("broken", BrokenCommand.class);
        SUBCOMMANDS.put("why", WhyCommand.class);
        SUBCOMMANDS.put("serve", org.symdex.cli.serve.ServeCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of internal errors.")
    boolean verbose;

    /** {@code symdex} alone: the commands, on stderr, and exit 2 (nothing was asked). */
    @Override
    public void run() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("symdex: a command is needed; the commands are:");
        for (Map.Entry<String, CommandLine> e : spec.commandLine().getSubcommands().entrySet()) {
            String[] d = e.getValue().getCommandSpec().usageMessage().description();
            String first = d.length == 0 ? "" : d[0];
            int dot = first.indexOf(". ");
            err.println(String.format(Locale.ROOT, "  %-15s %s", e.getKey(), dot > 0 ? first.substring(0, dot + 1) : first));
        }
        err.println("try 'symdex --help', or 'symdex COMMAND --help' for a command's options and examples");
        err.flush();
        throw new NoCommand();
    }

    /** Thrown by {@link #run} so that the exit code is 2, like every usage error. */
    static final class NoCommand extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    public static void main(String[] args) {
        CommandLine cl = newCommandLine(args);
        // Byte strings out as the bytes they stand for (ELF names are not UTF-8; see ByteStrings). Buffered
        // in front of the encoder: a diff prints 100,000 short lines, and encoding each print call on its
        // own cost more than computing the diff.
        StdoutStream stdout = new StdoutStream();
        cl.setOut(new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.ISO_8859_1),
                1 << 16), false));
        cl.setErr(errWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.ISO_8859_1)));
        STDOUT = stdout;
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // A resource limit, not a bug (exit 2): one line that says what to do, not a JVM trace.
            cl.getErr().println("symdex: " + org.symdex.batch.IndexRun.outOfMemory());
            code = EXIT_BAD_INPUT;
        }
        cl.getOut().flush();
        if (stdout.error() != null) {
            cl.getErr().println("symdex: cannot write output: " + stdout.error());
            code = worst(code, EXIT_BAD_INPUT);
        }
        cl.getErr().flush();
        if (IndexCommand.stoppedBySignal()) {
            // The signal's shutdown is under way and ends in halt(128 + signal): wait for it.
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // still waiting for the shutdown to halt the VM
                }
            }
        }
        System.exit(code);
    }

    /** Where the running process's stdout goes; null in-process (tests write to a StringWriter). */
    static volatile StdoutStream STDOUT;

    /** Whether this process's stdout is a terminal (false in-process, where tests capture it). */
    static boolean stdoutIsTerminal() {
        return STDOUT != null && Terminal.isTerminal(Terminal.STDOUT);
    }

    /** Whether the reader of stdout went away (a closed pipe): streaming commands stop starting work. */
    static boolean outputClosed() {
        StdoutStream s = STDOUT;
        return s != null && s.closed();
    }

    /** The writer every message line goes through: escaped for the terminal, quoted input cut. */
    static PrintWriter errWriter(java.io.Writer w) {
        return new MessageWriter(w);
    }

    /**
     * Of two exit codes, the one that says more: 70 (internal error) over 2 (bad usage or input) over
     * 1 (findings) over 0; a signal's 130/143 over all.
     */
    static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case EXIT_OK -> 0;
            case EXIT_FINDINGS -> 1;
            case EXIT_BAD_INPUT -> 2;
            case EXIT_INTERNAL -> 3;
            default -> 4;
        };
    }

    /** The configured command line with every subcommand; tests call this and set their own out/err writers. */
    public static CommandLine newCommandLine() {
        return configure(SUBCOMMANDS.keySet().toArray(String[]::new));
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand (other than
     * help, which needs them all), only that subcommand is registered, which is what picocli would
     * have dispatched to anyway; {@code --version} alone needs none; otherwise (other root options,
     * help, a mistyped name that picocli should answer with suggestions) every subcommand is.
     * Public for {@code symdex serve}, whose API runs the same commands in-process (one code path).
     */
    public static CommandLine newCommandLine(String... args) {
        if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
            return configure(args[0]);
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configure(); // the version needs no subcommand
        }
        return newCommandLine();
    }

    private static CommandLine configure(String... subcommands) {
        CommandLine cl = new CommandLine(new Symdex());
        for (String name : subcommands) {
            cl.addSubcommand(name, SUBCOMMANDS.get(name));
            // Every subcommand has -h/-V (mixinStandardHelpOptions); -V answers as the root does.
            cl.getSubcommands().get(name).getCommandSpec().versionProvider(new Version());
        }
        footerKeepsExamplesWhole(cl);
        cl.getSubcommands().values().forEach(Symdex::footerKeepsExamplesWhole);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Symdex::usageError);
        cl.setExecutionExceptionHandler(Symdex::executionError);
        return cl;
    }

    /**
     * The footer of --help: prose wraps at the usage width, between words; an example line (two leading
     * spaces) is printed whole, never broken inside a token (picocli wrapped {@code libfoo1_1.} /
     * {@code 1-1_amd64.deb} at 80 columns), since people copy them.
     */
    static void footerKeepsExamplesWhole(CommandLine cl) {
        cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            int width = help.commandSpec().usageMessage().width();
            StringBuilder sb = new StringBuilder();
            for (String line : help.commandSpec().usageMessage().footer()) {
                if (line.startsWith("  ") || line.length() <= width) {
                    sb.append(line).append(System.lineSeparator());
                    continue;
                }
                StringBuilder current = new StringBuilder();
                for (String word : line.split(" ")) {
                    if (current.length() > 0 && current.length() + 1 + word.length() > width) {
                        sb.append(current).append(System.lineSeparator());
                        current.setLength(0);
                    }
                    current.append(current.length() > 0 ? " " : "").append(word);
                }
                sb.append(current).append(System.lineSeparator());
            }
            return sb.toString();
        });
    }

    /**
     * A usage error in two lines, the reason (with picocli's "did you mean" for a mistyped option or
     * command) and where to read more, exit 2: not 30 lines of help that scroll the reason away.
     */
    static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName(" ");
        String what;
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            boolean isCommand = cl.getCommandSpec().root() == cl.getCommandSpec() && !arg.startsWith("-");
            what = (isCommand ? "unknown command '" : arg.startsWith("-") ? "unknown option '" : "unexpected argument '")
                    + arg + "'";
            String suggestion = suggest(arg, isCommand ? cl.getSubcommands().keySet()
                    : arg.startsWith("-") ? cl.getCommandSpec().optionsMap().keySet() : List.of(), u.getSuggestions());
            if (suggestion != null) {
                what += " (did you mean '" + suggestion + "'?)";
            }
        } else {
            String m = ex.getMessage() == null ? "bad usage" : ex.getMessage();
            what = m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        String prefix = cl.getCommandSpec().root() == cl.getCommandSpec() ? "symdex: " : "symdex: " + cl.getCommandName() + ": ";
        if (wantsJson(cl, args)) {
            jsonError(cl, prefix.equals("symdex: ") ? "" : cl.getCommandName(), what);
        }
        err.println(prefix + what);
        err.println("try '" + name + " --help'");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /**
     * The closest known name to a mistyped one: picocli's own suggestion when it has one, else a name
     * within two edits, or one the typo is a prefix of.
     */
    static String suggest(String typo, java.util.Collection<String> names, List<String> picocli) {
        if (!picocli.isEmpty()) {
            return picocli.get(0);
        }
        String best = null;
        int bestDistance = 3;
        for (String n : new java.util.TreeSet<>(names)) {
            int d = n.startsWith(typo) && typo.length() >= 3 ? 1 : EditDistance.levenshtein(typo, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * What escaped a command: an index or package that cannot be read is the user's input (exit 2, one
     * line); anything else is our bug (exit 70, the stack trace with --verbose).
     */
    static int executionError(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof NoCommand) {
            return EXIT_BAD_INPUT;
        }
        Throwable t = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof IndexException || t instanceof PackageFormatException || t instanceof java.io.IOException) {
            String reason = t instanceof java.io.IOException io && !(t instanceof PackageFormatException)
                    ? "cannot read: " + InputWalker.FileNames.reason(io) : t.getMessage();
            if (wantsJson(cl, parsed == null ? new String[0] : parsed.originalArgs().toArray(String[]::new))) {
                jsonError(cl, cl.getCommandName(), reason);
            }
            err.println("symdex: " + reason);
            if (verbose(cl)) {
                t.printStackTrace(err);
            }
            err.flush();
            return EXIT_BAD_INPUT;
        }
        internalError(err, ex, verbose(cl));
        return EXIT_INTERNAL;
    }

    /** Our bug, said in one line (and its trace with --verbose). */
    static void internalError(PrintWriter err, Throwable ex, boolean verbose) {
        err.println("symdex: internal error: " + ex);
        if (verbose) {
            ex.printStackTrace(err);
        } else {
            err.println("symdex: run again with --verbose for the stack trace");
        }
        err.flush();
    }

    static boolean verbose(CommandLine cl) {
        Object root = cl.getCommandSpec().root().userObject();
        return root instanceof Verbose v && v.verbose();
    }

    @Override
    public boolean verbose() {
        return verbose;
    }

    /**
     * The command line of another front end's root command ({@code symdex-spark}, in the spark module):
     * symdex's usage errors (two lines, exit 2), execution errors (an index or package that cannot be read
     * is exit 2, anything else exit 70), case-insensitive enums and whole example lines in --help, with
     * messages on {@code err} through symdex's message writer.
     */
    public static CommandLine standalone(Object command, PrintWriter out, java.io.Writer err) {
        CommandLine cl = new CommandLine(command);
        footerKeepsExamplesWhole(cl);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Symdex::usageError);
        cl.setExecutionExceptionHandler(Symdex::executionError);
        cl.setOut(out);
        cl.setErr(errWriter(err));
        return cl;
    }

    /** Whether the call asked for JSON: then even a fatal error is a JSON document on stdout. */
    private static boolean wantsJson(CommandLine cl, String[] args) {
        CommandLine.Model.OptionSpec f = cl.getCommandSpec().findOption("--format");
        if (f != null && f.getValue() != null && String.valueOf((Object) f.getValue()).equals("json")) {
            return true;
        }
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("--format") || args[i].equals("-f")) && i + 1 < args.length && args[i + 1].equals("json")
                    || args[i].equals("--format=json") || args[i].equals("-fjson")) {
                return true;
            }
        }
        return false;
    }

    /** The symdex/1 envelope with no results and the one error (docs/json-schema.md, "Errors"). */
    private static void jsonError(CommandLine cl, String command, String reason) {
        PrintWriter out = cl.getOut();
        Json json = new Json(out);
        json.beginObject().field("schema", "symdex/1").field("command", command);
        json.name("results").beginArray().endArray();
        json.name("errors").beginArray().beginObject().field("source", "").field("reason", reason).endObject()
                .endArray().endObject().end();
        out.flush();
    }

    /**
     * The version from the jar's manifest, the commit and its date the build recorded
     * ({@code org/symdex/cli/build.properties}, made by the build from git), the index versions this
     * build reads and writes, and the capability rules it implements.
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Symdex.class.getPackage().getImplementationVersion();
            java.util.Properties build = new java.util.Properties();
            try (java.io.InputStream in = Symdex.class.getResourceAsStream("build.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (java.io.IOException e) {
                // no build information: said as unknown below
            }
            String commit = build.getProperty("commit", "").isBlank() ? "unknown" : build.getProperty("commit");
            String date = build.getProperty("date", "").isBlank() ? "unknown" : build.getProperty("date");
            return new String[] {"symdex " + (v == null ? "dev" : v) + " (commit " + commit + ", " + date + ")",
                    "index: schema " + org.symdex.index.Schema.SCHEMA_VERSION + ", extractor "
                            + org.symdex.index.Schema.EXTRACTOR_VERSION + " (read and written)",
                    "capabilities: rpm 4.18.0 elfdeps rules (docs/capabilities.md)"};
        }
    }
}
