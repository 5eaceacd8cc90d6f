package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root command's lazy subcommand registration (issue 5, start-up): a call naming a subcommand
 * builds only that subcommand's model, and must behave exactly as the full command line does.
 */
class SymdexTest {
    @Test
    void eachRegisteredNameIsItsClassesCommandName() {
        for (Map.Entry<String, Class<?>> e : Symdex.SUBCOMMANDS.entrySet()) {
            assertEquals(e.getKey(), e.getValue().getAnnotation(Command.class).name(), e.getValue().getName());
        }
        assertEquals(List.copyOf(Symdex.SUBCOMMANDS.keySet()),
                List.copyOf(Symdex.newCommandLine().getSubcommands().keySet()));
    }

    @Test
    void aCallNamingOneSubcommandRegistersOnlyIt() {
        assertEquals(List.of("whatrequires"),
                List.copyOf(Symdex.newCommandLine("whatrequires", "x").getSubcommands().keySet()));
        assertEquals(0, Symdex.newCommandLine("--version").getSubcommands().size());
        // Root options first, help, a mistyped name: every subcommand, for help and suggestions.
        for (String[] args : new String[][] {{}, {"--verbose", "broken"}, {"help", "broken"}, {"whatrequire"}, {"--version", "broken"}}) {
            assertEquals(Symdex.SUBCOMMANDS.size(), Symdex.newCommandLine(args).getSubcommands().size());
        }
    }

    @Test
    void oneSubcommandAnswersAsTheFullCommandLineDoes() {
        List<String[]> calls = new ArrayList<>();
        for (String name : Symdex.SUBCOMMANDS.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            calls.add(new String[] {name, "--help"});
            calls.add(new String[] {name, "--no-such-option"});
            calls.add(new String[] {name});
        }
        calls.add(new String[] {"--version"});
        calls.add(new String[] {"-V", "--version"});
        calls.add(new String[] {"--version", "whatrequires"});
        calls.add(new String[] {"whatrequires", "--format", "yaml", "x"});
        calls.add(new String[] {"broken", "--index", "/nonexistent/symdex-index"});
        calls.add(new String[] {"whatprovides", "--verbose", "--index", "/nonexistent/symdex-index", "x"});
        for (String[] args : calls) {
            assertEquals(run(Symdex.newCommandLine(), args), run(Symdex.newCommandLine(args), args), String.join(" ", args));
        }
    }

    /** Found missing: deps, index, diff and the others answered --help with "Missing required parameter". */
    @Test
    void everySubcommandTeachesOnHelpAndExitsZero() {
        for (String name : Symdex.SUBCOMMANDS.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            for (String flag : new String[] {"--help", "-h"}) {
                String got = run(Symdex.newCommandLine(name, flag), new String[] {name, flag});
                assertTrue(got.startsWith("exit 0\n--- out\nUsage: symdex " + name + " "), name + " " + flag + ":\n" + got);
                assertTrue(got.contains("Show this help message and exit."), got);
                assertTrue(got.endsWith("--- err\n"), name + " " + flag + " wrote to stderr:\n" + got);
            }
            assertEquals(run(Symdex.newCommandLine("--version"), new String[] {"--version"}),
                    run(Symdex.newCommandLine(name, "-V"), new String[] {name, "-V"}), name + " -V");
        }
    }

    private static String run(CommandLine cl, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
