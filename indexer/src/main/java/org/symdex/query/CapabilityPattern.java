package org.symdex.query;

import java.util.Objects;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * A CAP argument: an exact capability, or a glob where {@code *} matches any run of characters and
 * {@code ?} one character ({@code \} escapes either; WildcardQuery's syntax). It is compiled once
 * into a byte automaton that is run against each scope's terms dictionary ({@code Terms.intersect}),
 * so a glob never visits a document that does not hold a matching term. An exact capability
 * compiles to a SINGLE automaton: one seek per dictionary.
 */
public final class CapabilityPattern {
    private final String text;
    private final boolean glob;
    private final CompiledAutomaton compiled;

    private CapabilityPattern(String text, boolean glob, CompiledAutomaton compiled) {
        this.text = text;
        this.glob = glob;
        this.compiled = compiled;
    }

    /** {@code text} is a glob when it holds {@code *} or {@code ?}; otherwise it is matched literally. */
    public static CapabilityPattern of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty capability (expected e.g. 'libc.so.6(GLIBC_2.34)(64bit)' "
                    + "or a glob such as 'libcrypto.so.3(OPENSSL_3.0.*)(64bit)')");
        }
        boolean glob = text.indexOf('*') >= 0 || text.indexOf('?') >= 0;
        try {
            // The field name of the Term is irrelevant to the automaton: one compilation serves every scope.
            CompiledAutomaton c = glob
                    ? new CompiledAutomaton(WildcardQuery.toAutomaton(new Term("", text)), null, true,
                            Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false)
                    : new CompiledAutomaton(Automata.makeString(text), true, true, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false);
            return new CapabilityPattern(text, glob, c);
        } catch (TooComplexToDeterminizeException e) {
            throw new IllegalArgumentException("glob '" + text + "' is too complex to compile; use fewer '*'", e);
        }
    }

    public static CapabilityPattern exact(String capability) {
        Objects.requireNonNull(capability, "capability");
        return new CapabilityPattern(capability, false,
                new CompiledAutomaton(Automata.makeString(capability), true, true, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false));
    }

    public String text() {
        return text;
    }

    public boolean isGlob() {
        return glob;
    }

    CompiledAutomaton compiled() {
        return compiled;
    }

    @Override
    public String toString() {
        return text;
    }
}
