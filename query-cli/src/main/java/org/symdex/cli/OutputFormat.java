package org.symdex.cli;

/** The output formats every command offers: text for people, tsv for machines, json for programs. */
public enum OutputFormat {
    text, tsv, json
}
