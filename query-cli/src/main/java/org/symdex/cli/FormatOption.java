package org.symdex.cli;

import picocli.CommandLine.Option;

/** The {@code --format} option of the commands that print text, tsv or json (a picocli mixin). */
final class FormatOption {
    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat value = OutputFormat.text;
}
