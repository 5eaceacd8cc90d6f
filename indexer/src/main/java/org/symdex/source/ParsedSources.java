package org.symdex.source;

import java.util.ArrayList;
import java.util.List;

/**
 * What a source line or file yields: the sources to read and the notes to show the user (a
 * {@code deb-src} line skipped, a disabled stanza, a second baseurl ignored).
 *
 * @param specs the sources, in file order
 * @param notes one line each, {@code WHERE: what was skipped and why}
 */
public record ParsedSources(List<SourceSpec> specs, List<String> notes) {

    public ParsedSources {
        specs = List.copyOf(specs);
        notes = List.copyOf(notes);
    }

    /** Both lists of {@code this}, then both of {@code other}. */
    public ParsedSources plus(ParsedSources other) {
        List<SourceSpec> s = new ArrayList<>(specs);
        s.addAll(other.specs);
        List<String> n = new ArrayList<>(notes);
        n.addAll(other.notes);
        return new ParsedSources(s, n);
    }
}
