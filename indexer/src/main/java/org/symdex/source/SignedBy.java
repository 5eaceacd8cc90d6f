package org.symdex.source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A source's {@code signed-by=} (deb822 {@code Signed-By:}) option: the keyring files whose keys
 * may sign its InRelease, Release.gpg or repomd.xml.asc. apt also takes key fingerprints (looked up
 * in its own trusted keyrings) and, in deb822, a whole armored key inline; symdex has no keyring of
 * its own to look a fingerprint up in and keeps key material out of source lines, so both forms
 * refuse the source when it is opened, with what to give instead. Not when the line is parsed: the
 * parsers read what apt reads (AptDifferentialTest), and one such stanza in a sources directory
 * should cost that source, not the run.
 *
 * @param keyrings absolute paths of binary ({@code gpg --export}) or armored
 *     ({@code gpg --armor --export}) keyring files; several are comma-separated, as in apt
 */
record SignedBy(List<Path> keyrings) {
    private static final String GIVE = "give the path of a keyring file (signed-by=/usr/share/keyrings/NAME.gpg)";

    SignedBy {
        keyrings = List.copyOf(keyrings);
    }

    /**
     * The option of {@code spec}, if it has one.
     *
     * @throws SourceException (SOURCE, naming where the source was written) for a fingerprint, an
     *     inline key, or a path that is not absolute
     */
    static Optional<SignedBy> of(SourceSpec spec) throws SourceException {
        return parse(spec.options().get("signed-by"), spec.origin());
    }

    /** See {@link #of}; {@code value} null means no option. */
    static Optional<SignedBy> parse(String value, String origin) throws SourceException {
        if (value == null) {
            return Optional.empty();
        }
        if (value.contains("BEGIN PGP") || value.indexOf('\n') >= 0) {
            throw refuse(origin, "signed-by holds an inline key, which symdex does not read; put it in a file and "
                    + GIVE);
        }
        List<Path> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw refuse(origin, "signed-by=" + value + ": empty keyring name");
            }
            if (p.matches("[0-9A-Fa-f]{16,64}!?")) {
                throw refuse(origin, "signed-by=" + p + ": key fingerprints are not supported (symdex has no keyring to "
                        + "look them up in); " + GIVE);
            }
            if (!p.startsWith("/")) {
                throw refuse(origin, "signed-by=" + p + ": not an absolute path; " + GIVE);
            }
            out.add(Path.of(p));
        }
        return Optional.of(new SignedBy(out));
    }

    private static SourceException refuse(String origin, String reason) {
        return new SourceException(SourceException.Kind.SOURCE, origin, reason);
    }

    @Override
    public String toString() {
        return String.join(",", keyrings.stream().map(Path::toString).toList());
    }
}
