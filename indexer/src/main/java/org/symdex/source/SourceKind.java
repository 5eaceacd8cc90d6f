package org.symdex.source;

/** The kinds of repository symdex reads. A closed set, so an enum (style.md §6.3). */
public enum SourceKind {
    /** A Debian archive or flat repository: {@code deb URI SUITE COMPONENT...}. */
    DEB("deb"),
    /** A yum/dnf repository: a directory holding {@code repodata/repomd.xml}. */
    RPM_MD("rpm-md");

    private final String word;

    SourceKind(String word) {
        this.word = word;
    }

    /** The word that starts a source line of this kind. */
    public String word() {
        return word;
    }
}
