package org.symdex.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
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
public final class Symdex implements Runnable {
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
        SUBCOMMANDS.put("broken", BrokenCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of internal errors.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CommandLine cl = newCommandLine(args);
        // Byte strings out as the bytes they stand for (ELF names are not UTF-8; see ByteStrings). Buffered
        // in front of the encoder: a diff prints 100,000 short lines, and encoding each print call on its
        // own cost more than computing the diff.
        cl.setOut(new PrintWriter(new BufferedWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.ISO_8859_1), 1 << 16), false));
        cl.setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err),
                StandardCharsets.ISO_8859_1), true));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        System.exit(code);
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
     */
    static CommandLine newCommandLine(String... args) {
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
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // An uncaught exception is our bug, not the user's: say so in one line, exit 70.
            PrintWriter err = commandLine.getErr();
            err.println("symdex: internal error: " + ex);
            if (((Symdex) commandLine.getCommandSpec().root().userObject()).verbose) {
                ex.printStackTrace(err);
            } else {
                err.println("symdex: run again with --verbose for the stack trace");
            }
            err.flush();
            return EXIT_INTERNAL;
        });
        return cl;
    }

    /** The version from the jar's manifest, with the capability rules it implements. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Symdex.class.getPackage().getImplementationVersion();
            return new String[] {"symdex " + (v == null ? "dev" : v),
                    "capabilities: rpm 4.18.0 elfdeps rules (see docs/capabilities in the source tree)"};
        }
    }
}
