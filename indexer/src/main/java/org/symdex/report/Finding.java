package org.symdex.report;

import java.util.Comparator;

/**
 * One thing a consumer file misses. The key of a finding is (universe, consumer name, arch, path,
 * missing): a finding is new when its key is in the after-state and not in the before-state.
 *
 * @param missing        a capability, {@code sym@VERSION}, or {@code sym}
 * @param providerBefore the package that provided it before the change, or null
 * @param rootCause      the candidate or removal that caused it
 * @param universe       the universe it was judged in (query.Universes), "" when the archive is one
 */
public record Finding(PackageRef consumer, String path, String missing, Reason reason, PackageRef providerBefore,
                      String rootCause, String universe) {

    public Finding {
        universe = universe == null ? "" : universe;
    }

    public Finding(PackageRef consumer, String path, String missing, Reason reason, PackageRef providerBefore,
                   String rootCause) {
        this(consumer, path, missing, reason, providerBefore, rootCause, "");
    }

    /** The same finding, judged in {@code u}. */
    public Finding in(String u) {
        return new Finding(consumer, path, missing, reason, providerBefore, rootCause, u);
    }

    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::universe)
            .thenComparing((Finding f) -> f.rootCause() == null ? "" : f.rootCause())
            .thenComparing(f -> f.consumer().source()).thenComparing(f -> f.consumer().name())
            .thenComparing(f -> f.consumer().arch()).thenComparing(Finding::path).thenComparing(Finding::missing);

    /** (universe, consumer name, arch, path, missing): one stored package may be broken in one universe only. */
    public String key() {
        return universe + "\u0000" + consumer.name() + "\u0000" + consumer.arch() + "\u0000" + path + "\u0000" + missing;
    }

    /** Why it is missing. The names are the report's reason keywords. */
    public enum Reason {
        /** The soname (and so every capability on it) is no longer provided in the scope. */
        SONAME_REMOVED("soname-removed"),
        /** The soname is there but no longer defines the version node. */
        VERSION_NODE_REMOVED("version-node-removed"),
        /** Another capability (rtld(GNU_HASH), a declared one) is no longer provided. */
        CAPABILITY_REMOVED("capability-removed"),
        /** sym@V: the node V still exists but nothing in the NEEDED closure defines sym at V. */
        SYMBOL_REMOVED("symbol-removed"),
        /** An unversioned import that resolved before in the NEEDED closure resolves nowhere after. */
        UNVERSIONED_SYMBOL_REMOVED("unversioned-symbol-removed"),
        /** A candidate's own requirement that the resulting archive cannot meet. */
        NEW_PACKAGE_UNSATISFIED("new-package-unsatisfied");

        private final String keyword;

        Reason(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }
}
