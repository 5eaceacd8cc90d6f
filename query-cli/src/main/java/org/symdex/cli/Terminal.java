package org.symdex.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal, for progress bars. Java 17 only answers "are stdin and
 * stdout both terminals" ({@link System#console()}); a crawl whose output goes to a file still has
 * its stderr on the terminal, which is where the bar belongs. On Linux the answer is where
 * /proc/self/fd/N points; elsewhere, or when that cannot be read, System.console() stands in.
 */
final class Terminal {
    static final int STDOUT = 1;
    static final int STDERR = 2;

    private Terminal() {
    }

    static boolean isTerminal(int fd) {
        try {
            return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** Pseudo-terminals (/dev/pts/N), consoles and serial lines (/dev/ttyN, /dev/ttyS0, /dev/console). */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
