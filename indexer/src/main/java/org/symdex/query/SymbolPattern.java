package org.symdex.query;

import java.util.List;
import java.util.Objects;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.Operations;

/**
 * A SYMBOL argument of whatimports and whatexports (issue 16, item 2), matched against the {@code def:S}
 * and {@code ref:S} terms, which binutils' forms are: {@code name@@V} (a default definition),
 * {@code name@V} (a hidden definition, or an import of V), {@code name} (unversioned).
 * <ul>
 * <li>{@code name@V} matches imports of V and both definitions of V, default and hidden;</li>
 * <li>{@code name@@V} the default definition only (and imports of V: an import names a version, not a
 *     default);</li>
 * <li>a bare {@code name} (no '@') every version and the unversioned symbol;</li>
 * <li>any part may be a {@link Glob}; {@code *} crosses '@' ({@code 'EVP_*'}, {@code '*@GLIBC_PRIVATE'}),
 *     and a glob without '@' is a glob over names, as a bare name is.</li>
 * </ul>
 * Each side compiles once to an automaton run over each scope's dictionary: no document is visited for a
 * symbol that does not match.
 */
public final class SymbolPattern {
    private final String text;
    private final boolean glob;
    /** For a bare literal name, the name; else null. */
    private final String name;
    private final Automaton defs;
    private final Automaton refs;
    private CompiledAutomaton compiledDefs;
    private CompiledAutomaton compiledRefs;

    private SymbolPattern(String text, boolean glob, String name, Automaton defs, Automaton refs) {
        this.text = text;
        this.glob = glob;
        this.name = name;
        this.defs = defs;
        this.refs = refs;
    }

    public static SymbolPattern of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty symbol (expected NAME, NAME@VERSION, NAME@@VERSION or a glob "
                    + "such as 'EVP_*')");
        }
        int at = unescapedAt(text);
        if (at == 0) {
            throw new IllegalArgumentException("symbol '" + text + "' has no name before '@' (for every symbol of a "
                    + "version, write '*" + text + "')");
        }
        if (at < 0) {
            Glob g = Glob.of(text);
            // a name: the unversioned symbol, or that name (the part before the first '@') at any version
            Automaton a = Operations.union(g.automaton(), Operations.concatenate(List.of(
                    CapabilityPattern.before(g.automaton(), '@'), Automata.makeChar('@'), Automata.makeAnyString())));
            return new SymbolPattern(text, !g.isLiteral(), g.isLiteral() ? g.literalText() : null, a, a);
        }
        boolean dflt = at + 1 < text.length() && text.charAt(at + 1) == '@';
        String left = text.substring(0, at);
        String right = text.substring(at + (dflt ? 2 : 1));
        Glob hidden = Glob.of(left + "@" + right);
        Glob dflt2 = Glob.of(left + "@@" + right);
        Automaton refs = hidden.automaton();
        Automaton defs = dflt ? dflt2.automaton() : Operations.union(hidden.automaton(), dflt2.automaton());
        return new SymbolPattern(text, !hidden.isLiteral(), null, defs, refs);
    }

    /** The first '@' that is not escaped, or -1. */
    private static int unescapedAt(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '@') {
                return i;
            }
        }
        return -1;
    }

    public String text() {
        return text;
    }

    public boolean isGlob() {
        return glob;
    }

    /** For a bare literal name (no '@', no wildcard), the name; else null. */
    String bareName() {
        return name;
    }

    /** The automaton for {@code def:S} (exports: {@code true}) or {@code ref:S} (imports). */
    CompiledAutomaton compiled(boolean exports) {
        if (exports) {
            if (compiledDefs == null) {
                compiledDefs = CapabilityPattern.compile(text, defs);
            }
            return compiledDefs;
        }
        if (compiledRefs == null) {
            compiledRefs = CapabilityPattern.compile(text, refs);
        }
        return compiledRefs;
    }

    /** Whether one indexed term of the exports ({@code true}) or imports dictionary matches. */
    public boolean matches(boolean exports, String term) {
        if (runDefs == null) {
            runDefs = new org.apache.lucene.util.automaton.CharacterRunAutomaton(defs);
            runRefs = new org.apache.lucene.util.automaton.CharacterRunAutomaton(refs);
        }
        return (exports ? runDefs : runRefs).run(term);
    }

    private org.apache.lucene.util.automaton.CharacterRunAutomaton runDefs;
    private org.apache.lucene.util.automaton.CharacterRunAutomaton runRefs;

    @Override
    public String toString() {
        return text;
    }
}
