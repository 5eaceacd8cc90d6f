package org.symdex.query;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.CharacterRunAutomaton;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * A shell-style glob over a whole string, as fnmatch(3) reads one without FNM_PATHNAME ({@code *} also
 * matches '/' and '@'): {@code *} any run, {@code ?} one character, {@code [abc]}, {@code [a-z]} and
 * {@code [!abc]} one character of (or not of) a set, and {@code {a,b}} either alternative (a symdex
 * extension, as bash's brace expansion reads it, not nested); {@code \} makes the next character
 * literal. A malformed glob is an IllegalArgumentException naming the 1-based position:
 * {@code bad glob 'libc.so.[6': '[' at 9 is not closed}.
 *
 * <p>The one glob of symdex: labels, capabilities, symbols, paths and package names all compile through
 * here. A glob becomes a Lucene automaton, which the query classes intersect with a terms dictionary
 * ({@code CompiledAutomaton.getTermsEnum}: a literal prefix is a seek, no document is visited) and which
 * {@link #matches} runs on one string.
 */
public final class Glob {
    private final String text;
    private final Automaton automaton;
    private final boolean literal;
    private CharacterRunAutomaton run;

    private Glob(String text, Automaton automaton, boolean literal) {
        this.text = text;
        this.automaton = automaton;
        this.literal = literal;
    }

    /** A glob that matches {@code text} alone: every metacharacter escaped. */
    public static Glob literal(String text) {
        StringBuilder b = new StringBuilder(text.length() + 4);
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if ("*?[]{}\\,!".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return of(b.toString());
    }

    public static Glob of(String glob) {
        Parser p = new Parser(glob);
        Automaton a = p.sequence(false);
        return new Glob(glob, a, p.literal);
    }

    /** Recursive descent over one glob; only braces nest a sequence, one level deep. */
    private static final class Parser {
        private final String glob;
        private int i;
        boolean literal = true;

        Parser(String glob) {
            this.glob = glob;
        }

        /** A run of items up to the end, or (inside braces) up to the ',' or '}' that ends an alternative. */
        Automaton sequence(boolean inBraces) {
            List<Automaton> parts = new ArrayList<>();
            StringBuilder lit = new StringBuilder();
            while (i < glob.length()) {
                char c = glob.charAt(i);
                if (inBraces && (c == ',' || c == '}')) {
                    break;
                }
                switch (c) {
                    case '\\' -> {
                        if (i + 1 >= glob.length()) {
                            throw bad(glob, "'\\' at " + (i + 1) + " escapes nothing");
                        }
                        lit.append(glob.charAt(i + 1));
                        i += 2;
                    }
                    case '*', '?' -> {
                        flush(lit, parts);
                        parts.add(c == '*' ? Automata.makeAnyString() : Automata.makeAnyChar());
                        literal = false;
                        i++;
                    }
                    case '[' -> {
                        int end = classEnd(glob, i);
                        if (end < 0) {
                            throw bad(glob, "'[' at " + (i + 1) + " is not closed");
                        }
                        flush(lit, parts);
                        parts.add(charClass(glob.substring(i + 1, end)));
                        literal = false;
                        i = end + 1;
                    }
                    case '{' -> {
                        if (inBraces) {
                            throw bad(glob, "'{' at " + (i + 1) + " inside another '{' (nesting is not supported)");
                        }
                        flush(lit, parts);
                        parts.add(alternatives());
                        literal = false;
                    }
                    case '}' -> throw bad(glob, "'}' at " + (i + 1) + " closes nothing");
                    default -> {
                        lit.append(c);
                        i++;
                    }
                }
            }
            flush(lit, parts);
            return parts.isEmpty() ? Automata.makeEmptyString() : Operations.concatenate(parts);
        }

        /** {@code {a,b,...}} from the '{' at i: the union of each alternative's sequence. */
        private Automaton alternatives() {
            int open = i;
            i++;
            List<Automaton> alts = new ArrayList<>();
            while (true) {
                alts.add(sequence(true));
                if (i >= glob.length()) {
                    throw bad(glob, "'{' at " + (open + 1) + " is not closed");
                }
                char c = glob.charAt(i++);
                if (c == '}') {
                    return Operations.union(alts);
                }
            }
        }

        private static void flush(StringBuilder lit, List<Automaton> parts) {
            if (lit.length() > 0) {
                parts.add(Automata.makeString(lit.toString()));
                lit.setLength(0);
            }
        }
    }

    /** The index of the ']' that closes the class opened at {@code open}, or -1. */
    private static int classEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++; // a ']' first is a member, as fnmatch reads it
        }
        for (; i < glob.length(); i++) {
            if (glob.charAt(i) == '\\') {
                i++;
            } else if (glob.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    /** One character of (or, after '!' or '^', not of) the members and ranges of {@code body}. */
    private static Automaton charClass(String body) {
        int i = 0;
        boolean negate = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
        if (negate) {
            i = 1;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        while (i < body.length()) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                c = body.charAt(++i);
            } else if (c == ']' && !first) {
                break; // cannot happen: classEnd stopped there
            }
            first = false;
            i++;
            if (i + 1 < body.length() && body.charAt(i) == '-') {
                char hi = body.charAt(i + 1);
                int skip = 2;
                if (hi == '\\' && i + 2 < body.length()) {
                    hi = body.charAt(i + 2);
                    skip = 3;
                }
                if (hi >= c) {
                    ranges.add(new int[] {c, hi});
                }
                i += skip;
            } else {
                ranges.add(new int[] {c, c});
            }
        }
        Automaton a = new Automaton();
        int s = a.createState();
        int t = a.createState();
        a.setAccept(t, true);
        if (negate) {
            boolean[] in = new boolean[Character.MAX_VALUE + 1];
            for (int[] r : ranges) {
                for (int c = r[0]; c <= r[1]; c++) {
                    in[c] = true;
                }
            }
            int start = -1;
            for (int c = 0; c <= Character.MAX_VALUE + 1; c++) {
                boolean member = c <= Character.MAX_VALUE && !in[c];
                if (member && start < 0) {
                    start = c;
                } else if (!member && start >= 0) {
                    a.addTransition(s, t, start, c - 1);
                    start = -1;
                }
            }
            a.addTransition(s, t, Character.MAX_VALUE + 1, Character.MAX_CODE_POINT);
        } else {
            for (int[] r : ranges) {
                a.addTransition(s, t, r[0], r[1]);
            }
        }
        a.finishState();
        return a;
    }

    private static IllegalArgumentException bad(String glob, String why) {
        return new IllegalArgumentException("bad glob '" + glob + "': " + why);
    }

    public boolean matches(String s) {
        if (run == null) {
            try {
                run = new CharacterRunAutomaton(automaton);
            } catch (TooComplexToDeterminizeException e) {
                throw tooComplex(text, e);
            }
        }
        return run.run(s);
    }

    /** The strings it matches, as an automaton over code points (one per ISO-8859-1 byte of a name). */
    public Automaton automaton() {
        return automaton;
    }

    static IllegalArgumentException tooComplex(String text, TooComplexToDeterminizeException e) {
        return new IllegalArgumentException("glob '" + text + "' is too complex to compile; use fewer '*'", e);
    }

    /** Whether it holds no wildcard: then it names one string, {@link #literalText()}. */
    public boolean isLiteral() {
        return literal;
    }

    /** For a literal glob, the one string it matches (its escapes removed). */
    public String literalText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                c = text.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Whether {@code s} holds a character that makes a glob of it more than a literal. */
    public static boolean hasWildcard(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
