package org.symdex.cli;

import picocli.CommandLine.Option;

/**
 * {@code --allow-partial}, for the commands whose exit code reports findings: they refuse an index whose
 * last run did not finish, since its missing packages would look removed and their consumers broken.
 */
final class PartialOption {
    @Option(names = "--allow-partial", description = "Use an index (or baseline) whose last run did not finish "
            + "(killed, interrupted): its answers hold only part of that run.")
    boolean allow;
}
