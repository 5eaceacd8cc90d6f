package org.symdex.query;

import java.util.List;
import java.util.Objects;

/**
 * The answer of {@code broken}: every package with a requirement that nothing in the index
 * satisfies, and what the check read.
 *
 * @param packages sorted by {@link IndexedPackage#ORDER}
 * @param scopes the requirement scopes checked
 * @param requirementTerms distinct (scope, requirement) terms checked against the provides dictionaries
 * @param unsatisfiedTerms of those, the ones no provides term satisfies (before the package filter and
 *     before dropping declared rpm requirements that are not elfdeps-shaped)
 * @param universes the universes judged (Universes): a package is broken in one, and may be fine in another
 */
public record BrokenReport(List<BrokenPackage> packages, List<String> scopes, long requirementTerms,
                           long unsatisfiedTerms, Universes universes) {
    public BrokenReport {
        packages = List.copyOf(packages);
        scopes = List.copyOf(scopes);
        java.util.Objects.requireNonNull(universes, "universes");
    }

    public boolean clean() {
        return packages.isEmpty();
    }

    /**
     * One broken package.
     *
     * @param unresolved each file (or the header, path null) with each unsatisfied requirement, sorted
     *     by {@link CapabilityHit#ORDER}
     * @param universe where it is broken: the finding key is (universe, package, path, requirement)
     */
    public record BrokenPackage(IndexedPackage pkg, List<CapabilityHit> unresolved, String universe) {
        public BrokenPackage {
            Objects.requireNonNull(pkg, "pkg");
            unresolved = List.copyOf(unresolved);
            Objects.requireNonNull(universe, "universe");
        }

        /** The distinct unsatisfied capabilities, sorted bytewise: repoclosure's {@code unresolved deps}. */
        public List<String> capabilities() {
            return unresolved.stream().map(CapabilityHit::capability).distinct().sorted().toList();
        }
    }
}
