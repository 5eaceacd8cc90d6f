package org.symdex.query;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;
import org.apache.lucene.util.automaton.Operations;
import org.symdex.cap.Satisfaction;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Schema;

/**
 * "Did you mean" for a query that matched nothing (issue 16, item 6): up to three terms of the same
 * dictionaries (every scope of {@code prov:}, {@code req:}, {@code def:} or {@code ref:}), in this order:
 * the same soname at other versions (other version nodes of it, then other sonames of its stem:
 * {@code libssl.so.3} for {@code libssl.so.1.1}), the same capability for the other word size (another
 * scope: with or without elfdeps' {@code (64bit)}), then terms within Levenshtein distance 2. Each group is
 * ranked by edit distance to the argument, then bytewise. Only terms a live document holds count. Globs get
 * no suggestions: what they would be near is not defined. An argument the other question finds (whatrequires
 * for a whatprovides argument, whatexports for a whatimports one, and back) is no typo: it gets no Levenshtein
 * group, which is also the one costly group (the automaton of a 30-character argument takes milliseconds to
 * build, and it runs over every scope's dictionary).
 */
final class Suggestions {
    static final int MAX = 3;
    /** Candidates read per group before ranking: a soname with thousands of version nodes stays cheap. */
    private static final int SCAN = 2_000;

    private final IndexSnapshot snapshot;
    private final Bits live;

    Suggestions(IndexSnapshot snapshot) {
        this.snapshot = snapshot;
        this.live = MultiBits.getLiveDocs(snapshot.reader());
    }

    /**
     * For a capability (or soname) argument of whatprovides ({@code Schema.PROV}) or whatrequires
     * ({@code REQ}); {@code elsewhere}: {@link #capabilityElsewhere} (no Levenshtein group then).
     */
    List<String> capability(String base, String arg, boolean elsewhere) throws IndexException {
        if (Glob.hasWildcard(arg)) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        String soname = Satisfaction.sonameOf(arg);
        boolean isSoname = CapabilityPattern.isSoname(arg);
        if (!isSoname && arg.indexOf('(') > 0) {
            add(out, ranked(arg, prefixed(base, soname + "("), false), arg);
        }
        // Groups come in order and the answer is the first MAX: once they are found, later groups
        // (the fuzzy one above all, a Levenshtein automaton over every scoped field) cannot change it.
        int so = out.size() >= MAX ? -1 : soname.indexOf(".so");
        if (so > 0) {
            String stem = soname.substring(0, so + 3);
            List<String> others = new ArrayList<>();
            for (String t : prefixed(base, stem)) {
                String s = Satisfaction.sonameOf(t);
                if (!s.equals(soname)) {
                    others.add(s);
                }
            }
            List<String> existing = new ArrayList<>();
            for (String o : new TreeSet<>(others)) {
                if (isSoname) {
                    existing.add(o);
                    continue;
                }
                // the same version node of the other soname, else its unversioned capability
                for (String c : List.of(o + arg.substring(soname.length()), o + "()(64bit)", o)) {
                    if (exists(base, c)) {
                        existing.add(c);
                        break;
                    }
                }
            }
            add(out, ranked(arg, existing, false), arg);
        }
        String twin = out.size() >= MAX ? null : WhyQuery.otherWordSize(arg);
        if (twin != null && exists(base, twin)) {
            add(out, List.of(twin), arg);
        }
        if (out.size() < MAX && !elsewhere) {
            add(out, ranked(arg, fuzzy(base, arg, false), false), arg);
        }
        return out.stream().limit(MAX).toList();
    }

    /**
     * Whether the other question finds the argument: whatrequires for a whatprovides argument
     * ({@code base} PROV), whatprovides for REQ, as {@link CapabilityPattern#of} matches it. Such an
     * argument is spelled as the index has it, so it gets no typo suggestions (no Levenshtein group).
     */
    boolean capabilityElsewhere(String base, String arg) throws IndexException {
        String other = base.equals(Schema.PROV) ? Schema.REQ : Schema.PROV;
        return !Glob.hasWildcard(arg) && !intersect(other, CapabilityPattern.of(arg).compiled(), 1).isEmpty();
    }

    /** Whether the other question (whatexports for an import, whatimports for an export) finds the argument. */
    boolean symbolElsewhere(boolean exports, String arg) throws IndexException {
        return !Glob.hasWildcard(arg) && !intersect(exports ? Schema.SYM_REF : Schema.SYM_DEF,
                SymbolPattern.of(arg).compiled(!exports), 1).isEmpty();
    }

    /** For a symbol argument of whatimports ({@code exports} false) or whatexports; {@code elsewhere}: {@link #symbolElsewhere}. */
    List<String> symbol(boolean exports, String arg, boolean elsewhere) throws IndexException {
        if (Glob.hasWildcard(arg)) {
            return List.of();
        }
        String base = exports ? Schema.SYM_DEF : Schema.SYM_REF;
        Set<String> out = new LinkedHashSet<>();
        int at = arg.indexOf('@');
        String name = at < 0 ? arg : arg.substring(0, at);
        if (at > 0) {
            List<String> versions = prefixed(base, name + "@");
            if (exists(base, name)) {
                versions.add(name);
            }
            add(out, ranked(arg, versions, false), arg);
            if (out.size() < MAX && !elsewhere) {
                add(out, ranked(arg, fuzzy(base, arg, false), false), arg);
            }
        } else if (!elsewhere) {
            add(out, ranked(arg, fuzzy(base, arg, true), true), arg);
        }
        return out.stream().limit(MAX).toList();
    }

    private static void add(Set<String> out, List<String> ranked, String arg) {
        for (String s : ranked) {
            if (!s.equals(arg)) {
                out.add(s);
            }
        }
    }

    /** Candidates ordered by edit distance to {@code arg} (of their names when {@code names}), then bytewise. */
    private static List<String> ranked(String arg, List<String> candidates, boolean names) {
        List<String> c = new ArrayList<>(new TreeSet<>(names ? candidates.stream().map(Suggestions::nameOf).toList()
                : candidates));
        c.sort(Comparator.comparingInt((String s) -> EditDistance.levenshtein(arg, s))
                .thenComparing(Comparator.naturalOrder()));
        return c;
    }

    private static String nameOf(String symbolTerm) {
        int at = symbolTerm.indexOf('@');
        return at < 0 ? symbolTerm : symbolTerm.substring(0, at);
    }

    /** Live terms of any {@code base:S} field starting with {@code prefix}, at most {@link #SCAN}. */
    private List<String> prefixed(String base, String prefix) throws IndexException {
        Automaton a = Operations.concatenate(Automata.makeString(prefix), Automata.makeAnyString());
        return intersect(base, CapabilityPattern.compile(prefix, a));
    }

    /**
     * Live terms within edit distance 2 of {@code arg} (Lucene's Levenshtein automaton, transpositions
     * counting one); with {@code names}, terms whose name before '@' is within 2 (any version).
     */
    private List<String> fuzzy(String base, String arg, boolean names) throws IndexException {
        Automaton lev = new LevenshteinAutomata(arg, true).toAutomaton(2);
        if (names) {
            lev = Operations.concatenate(lev, Operations.union(Automata.makeEmptyString(),
                    Operations.concatenate(Automata.makeChar('@'), Automata.makeAnyString())));
        }
        return intersect(base, CapabilityPattern.compile(arg, lev));
    }

    private List<String> intersect(String base, CompiledAutomaton a) throws IndexException {
        return intersect(base, a, SCAN);
    }

    /** Live terms of any {@code base:S} field that {@code a} accepts, at most {@code limit}. */
    private List<String> intersect(String base, CompiledAutomaton a, int limit) throws IndexException {
        Set<String> out = new TreeSet<>();
        try {
            for (String field : Schema.scopedFields(snapshot.reader(), base)) {
                if (out.size() >= limit) {
                    break;
                }
                Terms terms = MultiTerms.getTerms(snapshot.reader(), field);
                if (terms == null) {
                    continue;
                }
                TermsEnum te = a.getTermsEnum(terms);
                PostingsEnum pe = null;
                for (BytesRef t = te.next(); t != null && out.size() < limit; t = te.next()) {
                    pe = te.postings(pe, PostingsEnum.NONE);
                    if (anyLive(pe)) {
                        out.add(t.utf8ToString());
                    }
                }
            }
        } catch (IOException e) {
            throw new IndexException(snapshot.dir() + ": cannot read index: " + e.getMessage(), e);
        }
        return new ArrayList<>(out);
    }

    private boolean exists(String base, String term) throws IndexException {
        return !intersect(base, new CompiledAutomaton(Automata.makeString(term), true, true,
                Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, false)).isEmpty();
    }

    private boolean anyLive(PostingsEnum pe) throws IOException {
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
            if (live == null || live.get(d)) {
                return true;
            }
        }
        return false;
    }
}
