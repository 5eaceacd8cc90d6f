package org.symdex.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code --section NAME} and {@code --package GLOB} (issue item 7): what a source contributes.
 * Either list empty means "no restriction" for that list; with both, a package must pass both.
 * Part of every source's {@linkplain SourceHead#skipKey() skip key}: changing the filters reads
 * the source again.
 *
 * <p>A section matches Debian's Section exactly or after its archive-area prefix
 * ({@code --section libs} matches {@code libs}, {@code non-free/libs} and {@code contrib/libs}).
 * rpm-md has no Section (rpm's Group is "Unspecified" in Fedora), so {@code --section} does not
 * restrict an rpm-md source, and its listing says so in a note.
 */
public final class SourceFilter {
    private final List<String> sections;
    private final List<String> packageGlobs;
    private final List<Pattern> patterns;

    /**
     * @throws IllegalArgumentException for an empty section or glob
     */
    public SourceFilter(List<String> sections, List<String> packageGlobs) {
        this.sections = List.copyOf(new TreeSet<>(sections));
        this.packageGlobs = List.copyOf(new TreeSet<>(packageGlobs));
        List<Pattern> p = new ArrayList<>();
        for (String g : this.packageGlobs) {
            if (g.isEmpty()) {
                throw new IllegalArgumentException("empty --package glob");
            }
            p.add(Pattern.compile(globToRegex(g), Pattern.DOTALL));
        }
        for (String s : this.sections) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("empty --section");
            }
        }
        this.patterns = List.copyOf(p);
    }

    /** No restriction. */
    public static SourceFilter none() {
        return new SourceFilter(List.of(), List.of());
    }

    /** The sections, sorted and de-duplicated. */
    public List<String> sections() {
        return sections;
    }

    /** The globs, sorted and de-duplicated. */
    public List<String> packageGlobs() {
        return packageGlobs;
    }

    /** Whether {@code --section} restricts a source of this kind (not rpm-md: it has no Section). */
    public boolean sectionsApplyTo(SourceKind kind) {
        return !sections.isEmpty() && kind == SourceKind.DEB;
    }

    /** Whether a package of this name and section, from a source of this kind, is kept. */
    public boolean matches(SourceKind kind, String name, String section) {
        if (sectionsApplyTo(kind)) {
            boolean any = false;
            for (String s : sections) {
                if (section.equals(s) || section.endsWith("/" + s)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (patterns.isEmpty()) {
            return true;
        }
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The filters as one stable string, for the skip key. */
    public String key() {
        return "section=" + String.join(",", sections) + " package=" + String.join(",", packageGlobs);
    }

    /**
     * A shell glob as fnmatch(3) reads it without flags: {@code *} any run, {@code ?} one
     * character, {@code [...]} a set with ranges and {@code !} or {@code ^} negation (a ']' right
     * after the opening is a member), a backslash quoting the next character; a '[' without its
     * ']' is literal.
     */
    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    } else {
                        re.append("\\\\");
                    }
                }
                case '[' -> {
                    int j = i + 1;
                    if (j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
                        j++;
                    }
                    if (j < glob.length() && glob.charAt(j) == ']') {
                        j++;
                    }
                    while (j < glob.length() && glob.charAt(j) != ']') {
                        j++;
                    }
                    if (j >= glob.length()) {
                        re.append("\\[");
                        break;
                    }
                    StringBuilder set = new StringBuilder("[");
                    int k = i + 1;
                    if (glob.charAt(k) == '!' || glob.charAt(k) == '^') {
                        set.append('^');
                        k++;
                    }
                    int first = k;
                    for (; k < j; k++) {
                        char m = glob.charAt(k);
                        if (m == '-' && k > first && k + 1 < j) {
                            set.append('-');
                        } else if (m >= 0x80 || Character.isLetterOrDigit(m)) {
                            // A backslash before a letter is a regex escape (BEL, a digit class...):
                            // quote only ASCII punctuation.
                            set.append(m);
                        } else {
                            set.append('\\').append(m);
                        }
                    }
                    re.append(set).append(']');
                    i = j;
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceFilter f && f.sections.equals(sections) && f.packageGlobs.equals(packageGlobs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sections, packageGlobs);
    }

    @Override
    public String toString() {
        return key();
    }
}
