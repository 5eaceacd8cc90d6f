package org.symdex.cli;

/** A root command with a --verbose option: symdex's error handlers print stack traces when it is given. */
public interface Verbose {
    boolean verbose();
}
