package org.symdex.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import org.junit.jupiter.api.Test;

/** The bound on a command's answer, and the stop at its next write once the request timed out (issue 18, item 4). */
class AnswerWriterTest {
    @Test
    void anAnswerOverTheLimitStopsTheCommandAtItsWrite() {
        AnswerWriter w = new AnswerWriter(10);
        PrintWriter out = new PrintWriter(w);
        out.print("0123456789");
        assertEquals("0123456789", w.toString());
        assertFalse(w.overflowed());
        // PrintWriter swallows IOExceptions; this one it passes on, so the command ends.
        assertThrows(AnswerWriter.Stopped.class, () -> out.print("x"));
        assertTrue(w.overflowed());
    }

    @Test
    void anInterruptedWorkerStopsAtItsNextWrite() {
        AnswerWriter w = new AnswerWriter(1 << 20);
        Thread.currentThread().interrupt();
        try {
            assertThrows(AnswerWriter.Stopped.class, () -> w.write("{"));
            assertFalse(w.overflowed());
        } finally {
            Thread.interrupted();
        }
    }
}
