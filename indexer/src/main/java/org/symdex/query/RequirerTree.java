package org.symdex.query;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@code whatrequires --recursive}: the packages requiring the capability (the roots),
 * under each the packages requiring something it provides, and so on upward. Each package appears
 * once, at the first level where it is reached (breadth first), under the first parent in
 * {@link IndexedPackage#ORDER} that reaches it.
 *
 * @param packages the number of distinct packages in the tree
 */
public record RequirerTree(String pattern, List<Node> roots, int packages, int depth) {
    public RequirerTree {
        Objects.requireNonNull(pattern, "pattern");
        roots = List.copyOf(roots);
    }

    /**
     * One package of the tree.
     *
     * @param via the package's requirements that reached it: for a root, the hits of the pattern; below,
     *     its requirements that its parent provides (file and capability each)
     * @param children sorted by {@link IndexedPackage#ORDER}
     */
    public record Node(IndexedPackage pkg, int depth, List<CapabilityHit> via, List<Node> children) {
        public Node {
            Objects.requireNonNull(pkg, "pkg");
            via = List.copyOf(via);
            children = List.copyOf(children);
        }

        /** The distinct capabilities of {@link #via}, sorted bytewise. */
        public List<String> viaCapabilities() {
            return via.stream().map(CapabilityHit::capability).distinct().sorted().toList();
        }
    }
}
