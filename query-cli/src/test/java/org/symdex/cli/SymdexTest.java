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

    /**
     * Found broken: picocli wrapped the footer's examples at 80 columns inside tokens
     * ({@code libfoo1_1.} / {@code 1-1_amd64.deb}), so a copied example failed. Every example line is
     * printed whole; prose lines stay within the width and lose no word.
     */
    @Test
    void helpNeverBreaksAnExampleAndWrapsProseBetweenWords() {
        int examples = 0;
        for (String name : Symdex.SUBCOMMANDS.keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine cl = Symdex.newCommandLine(name, "--help");
            CommandLine sub = cl.getSubcommands().get(name);
            cl.getCommandSpec().usageMessage().width(80);
            sub.getCommandSpec().usageMessage().width(80);
            java.io.PrintStream systemErr = System.err;
            java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
            String got;
            try {
                System.setErr(new java.io.PrintStream(warnings, true));
                got = run(cl, new String[] {name, "--help"});
            } finally {
                System.setErr(systemErr);
            }
            // picocli's tracer warns on System.err about a stray '%' in a description ('%3a' did).
            assertEquals("", warnings.toString(), name);
            List<String> lines = got.lines().toList();
            StringBuilder prose = new StringBuilder();
            for (String line : sub.getCommandSpec().usageMessage().footer()) {
                if (line.startsWith("  ")) {
                    assertTrue(lines.contains(line), name + ": example broken or missing: " + line + "\n" + got);
                    examples++;
                } else {
                    prose.append(line).append(' ');
                }
            }
            int footerStart = lines.indexOf("Examples:");
            StringBuilder rendered = new StringBuilder();
            for (String line : lines.subList(Math.max(footerStart, 0), lines.size())) {
                if (!line.startsWith("  ") && !line.startsWith("---") && !line.startsWith("exit ")) {
                    assertTrue(line.length() <= 80, name + ": prose over 80 columns: " + line);
                    rendered.append(line).append(' ');
                }
            }
            for (String word : prose.toString().split("\\s+")) {
                assertTrue(rendered.toString().contains(word), name + ": prose lost '" + word + "'\n" + got);
            }
        }
        assertTrue(examples > 20, "examples checked: " + examples);
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
