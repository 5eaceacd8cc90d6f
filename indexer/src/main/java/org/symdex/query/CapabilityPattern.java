package org.symdex.query;

import java.util.List;
import java.util.Objects;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * A CAP argument: an exact capability, or a {@link Glob} ({@code *}, {@code ?}, {@code [...]},
 * {@code [!...]}, {@code {a,b}}, {@code \} escapes). An argument holding ".so" and neither '(' nor '/'
 * is a soname (issue 16, item 3): it matches the term itself (a 32-bit unversioned provide,
 * {@code libz.so.1}) and every {@code SONAME(...} capability ({@code libz.so.1()(64bit)},
 * {@code libz.so.1(ZLIB_1.2.0)(64bit)}), whether exact or a glob. It is compiled once into a byte
 * automaton that is run against each scope's terms dictionary ({@code Terms.intersect}), so a glob never
 * visits a document that does not hold a matching term; an exact capability compiles to a SINGLE
 * automaton: one seek per dictionary.
 */
public final class CapabilityPattern {
    private final String text;
    private final boolean glob;
    private final boolean soname;
    private final Glob parsed;
    /** For an exact capability, the capability (escapes removed); else null. */
    private final String literal;
    private final CompiledAutomaton compiled;
    private final Automaton automaton;

    private CapabilityPattern(String text, boolean glob, boolean soname, Glob parsed, String literal,
                              CompiledAutomaton compiled) {
        this.text = text;
        this.literal = literal;
        this.glob = glob;
        this.soname = soname;
        this.parsed = parsed;
        this.compiled = compiled;
        this.automaton = parsed == null && literal != null ? Automata.makeString(literal) : null;
    }

    private Automaton automaton() {
        if (automaton != null) {
            return automaton;
        }
        return unionAutomaton;
    }

    private Automaton unionAutomaton;

    /** Several arguments as one pattern (issue 16, item 4: a union), for the recursive walk. */
    public static CapabilityPattern anyOf(List<CapabilityPattern> patterns) {
        if (patterns.size() == 1) {
            return patterns.get(0);
        }
        List<Automaton> all = patterns.stream().map(CapabilityPattern::automaton).toList();
        String text = String.join(" ", patterns.stream().map(CapabilityPattern::text).toList());
        CapabilityPattern p = new CapabilityPattern(text, patterns.stream().anyMatch(CapabilityPattern::isGlob), false,
                null, null, compile(text, Operations.union(all)));
        p.unionAutomaton = Operations.union(all);
        return p;
    }

    /**
     * {@code text} is a glob when it holds a wildcard ({@link Glob#hasWildcard}); otherwise it is matched
     * literally. A malformed glob is an IllegalArgumentException naming the position.
     */
    public static CapabilityPattern of(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty capability (expected e.g. 'libc.so.6(GLIBC_2.34)(64bit)' "
                    + "or a glob such as 'libcrypto.so.3(OPENSSL_3.0.*)(64bit)')");
        }
        Glob g = Glob.of(text);
        boolean soname = isSoname(text);
        Automaton a = g.automaton();
        if (soname) {
            a = Operations.union(a, Operations.concatenate(List.of(before(g.automaton(), '('), Automata.makeChar('('),
                    Automata.makeAnyString())));
        }
        if (g.isLiteral() && !soname) {
            return exact(g.literalText(), text);
        }
        CapabilityPattern p = new CapabilityPattern(text, !g.isLiteral(), soname, g, null, compile(text, a));
        p.unionAutomaton = a;
        return p;
    }

    /** A capability matched as it is, whatever characters it holds (a term read from a dictionary). */
    public static CapabilityPattern exact(String capability) {
        Objects.requireNonNull(capability, "capability");
        return exact(capability, capability);
    }

    private static CapabilityPattern exact(String capability, String text) {
        return new CapabilityPattern(text, false, false, null, capability,
                new CompiledAutomaton(Automata.makeString(capability), true, true,
                        Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false));
    }

    /**
     * The strings of {@code a} that hold no {@code c}: what a glob over a name matches when the name is
     * the part of a term before its first {@code c} (a soname before '(', a symbol before '@').
     */
    static Automaton before(Automaton a, char c) {
        Automaton notC = Operations.union(Automata.makeCharRange(0, c - 1), Automata.makeCharRange(c + 1,
                Character.MAX_CODE_POINT));
        return Operations.intersection(a, Operations.repeat(notC));
    }

    /** Compiles an automaton over code points for a terms dictionary (whose terms are UTF-8). */
    static CompiledAutomaton compile(String text, Automaton a) {
        try {
            try {
                return new CompiledAutomaton(a, null, true, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false);
            } catch (IllegalArgumentException e) {
                // Operations.isFinite recurses once per state and gives up past 1,000 ("input automaton is too
                // large"): a name over 1,000 characters (C++ mangled names reach 2,000). Finiteness is only a
                // hint to CompiledAutomaton; said false, it intersects the same terms, by running the automaton.
                return new CompiledAutomaton(a, false, true, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false);
            }
        } catch (TooComplexToDeterminizeException e) {
            throw Glob.tooComplex(text, e);
        }
    }

    /** A soname argument: holds ".so", and neither '(' (a capability) nor '/' (a path). */
    public static boolean isSoname(String text) {
        return text.contains(".so") && text.indexOf('(') < 0 && text.indexOf('/') < 0;
    }

    public String text() {
        return text;
    }

    /** For an exact capability, the capability itself (escapes removed); null for a glob or a soname. */
    public String literal() {
        return literal;
    }

    public boolean isGlob() {
        return glob;
    }

    /** Whether it was read as a soname: the term and every {@code SONAME(...} capability. */
    public boolean isSoname() {
        return soname;
    }

    /** Whether one capability matches, as the dictionary intersection decides. */
    public boolean matches(String capability) {
        if (parsed == null) {
            return literal != null ? capability.equals(literal)
                    : new org.apache.lucene.util.automaton.CharacterRunAutomaton(unionAutomaton).run(capability);
        }
        if (parsed.matches(capability)) {
            return true;
        }
        int paren = capability.indexOf('(');
        return soname && paren >= 0 && parsed.matches(capability.substring(0, paren));
    }

    CompiledAutomaton compiled() {
        return compiled;
    }

    @Override
    public String toString() {
        return text;
    }
}
