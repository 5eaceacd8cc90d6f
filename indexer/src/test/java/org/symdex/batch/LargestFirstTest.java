package org.symdex.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LargestFirstTest {
    /** Inputs are their own sizes; with one job the start order is observable. */
    private static List<Integer> startOrder(List<Integer> sizes, int window, List<Integer> delivered)
            throws InterruptedException {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < sizes.size(); i++) {
            indexes.add(i);
        }
        List<Integer> started = Collections.synchronizedList(new ArrayList<>());
        new LargestFirst<Integer, Integer>(indexes, i -> sizes.get(i), 1, window, "test")
                .run(i -> {
                    started.add(i);
                    return i;
                }, delivered::add);
        return started;
    }

    @Test
    void startsTheLargestFirstAndDeliversInInputOrder() throws Exception {
        List<Integer> delivered = new ArrayList<>();
        // Equal sizes start in input order.
        assertEquals(List.of(1, 3, 2, 4, 0), startOrder(List.of(1, 5, 3, 5, 2), 100, delivered));
        assertEquals(List.of(0, 1, 2, 3, 4), delivered);
    }

    @Test
    void theWindowBoundsHowFarAheadItStarts() throws Exception {
        List<Integer> delivered = new ArrayList<>();
        // Window 2: input 3, the largest, may not start before input 1 is delivered.
        assertEquals(List.of(1, 0, 2, 3), startOrder(List.of(1, 8, 7, 9), 2, delivered));
        assertEquals(List.of(0, 1, 2, 3), delivered);
        delivered.clear();
        // Window 1 is argument order.
        assertEquals(List.of(0, 1, 2, 3), startOrder(List.of(1, 8, 7, 9), 1, delivered));
        assertEquals(List.of(0, 1, 2, 3), delivered);
    }

    @Test
    void parallelRunsKeepTheOrderAndTheNumberOfJobs() throws Exception {
        Random random = new Random(42);
        List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            inputs.add(random.nextInt(1000));
        }
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> delivered = new ArrayList<>();
        new LargestFirst<Integer, Integer>(inputs, i -> i, 3, 16, "test").run(i -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(i % 3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return i * 2;
        }, delivered::add);
        List<Integer> expected = new ArrayList<>();
        inputs.forEach(i -> expected.add(i * 2));
        assertEquals(expected, delivered);
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
    }

    @Test
    void aTasksBugEndsTheRunWithItsException() {
        IllegalStateException bug = new IllegalStateException("bug");
        List<Integer> delivered = new ArrayList<>();
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> new LargestFirst<Integer, Integer>(List.of(1, 2, 3), i -> i, 2, 4, "test").run(i -> {
                    if (i == 2) {
                        throw bug;
                    }
                    return i;
                }, delivered::add));
        assertSame(bug, thrown);
    }

    @Test
    void noInputsNoCalls() throws Exception {
        List<Integer> delivered = new ArrayList<>();
        new LargestFirst<Integer, Integer>(List.of(), i -> i, 2, 4, "test").run(i -> i, delivered::add);
        assertEquals(List.of(), delivered);
        assertThrows(IllegalArgumentException.class, () -> new LargestFirst<Integer, Integer>(List.of(), i -> i, 0, 4, "t"));
    }
}
