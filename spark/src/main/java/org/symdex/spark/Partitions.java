package org.symdex.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The packages of a run cut into partitions balanced by bytes, largest first: each package, from the
 * largest down, goes to the partition with the fewest bytes so far (the LPT rule, as {@code symdex
 * index} starts its largest packages first, see LargestFirst). No partition then ends long after the
 * others because it drew two of the largest packages; and within a partition the largest come first,
 * so a task's tail is small packages.
 */
final class Partitions {
    private Partitions() {
    }

    /** One partition: its index and its packages, largest first. */
    record Part(int index, List<Work> works) implements Serializable {
        private static final long serialVersionUID = 1L;

        Part {
            works = List.copyOf(works);
        }

        long bytes() {
            return works.stream().mapToLong(Work::size).sum();
        }
    }

    /**
     * @param n partitions wanted; fewer when there are fewer packages, none when there are none
     */
    static List<Part> largestFirst(List<Work> works, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, not " + n);
        }
        List<Work> sorted = new ArrayList<>(works);
        sorted.sort(Comparator.comparingLong(Work::size).reversed().thenComparing(Work::key));
        int parts = Math.min(n, sorted.size());
        List<List<Work>> lists = new ArrayList<>();
        long[] bytes = new long[parts];
        // The lightest partition first; ties to the lower index, so the cut is the same on every run.
        PriorityQueue<Integer> lightest = new PriorityQueue<>(
                Comparator.<Integer>comparingLong(i -> bytes[i]).thenComparingInt(i -> i));
        for (int i = 0; i < parts; i++) {
            lists.add(new ArrayList<>());
            lightest.add(i);
        }
        for (Work w : sorted) {
            int i = lightest.poll();
            lists.get(i).add(w);
            bytes[i] += w.size();
            lightest.add(i);
        }
        List<Part> out = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            out.add(new Part(i, lists.get(i)));
        }
        return out;
    }
}
