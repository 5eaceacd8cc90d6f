package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TerminalTest {
    @Test
    void terminalsAreTheTtyDevices() {
        for (String t : new String[] {"/dev/pts/0", "/dev/pts/17", "/dev/tty1", "/dev/ttyS0", "/dev/tty", "/dev/console"}) {
            assertTrue(Terminal.isTerminalDevice(t), t);
        }
        // What /proc/self/fd/N shows for a redirect to a file, a pipe, a socket, /dev/null.
        for (String t : new String[] {"/tmp/deps.tsv", "pipe:[123456]", "socket:[42]", "/dev/null", "anon_inode:[eventfd]"}) {
            assertFalse(Terminal.isTerminalDevice(t), t);
        }
    }
}
