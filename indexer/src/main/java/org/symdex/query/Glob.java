package org.symdex.query;

import java.util.regex.Pattern;

/**
 * A shell-style glob over a whole string, as fnmatch(3) reads one without FNM_PATHNAME ({@code *} also
 * matches '/'): {@code *} any run, {@code ?} one character, {@code [abc]}, {@code [a-z]} and
 * {@code [!abc]} one character of (or not of) a set, and {@code {a,b}} either alternative (a symdex
 * extension, as bash's brace expansion reads it, not nested); {@code \} makes the next character
 * literal. A malformed glob is an IllegalArgumentException naming the 1-based position:
 * {@code bad glob 'libc.so.[6': '[' at 8 is not closed}.
 */
public final class Glob {
    private final String text;
    private final Pattern regex;
    private final boolean literal;

    private Glob(String text, Pattern regex, boolean literal) {
        this.text = text;
        this.regex = regex;
        this.literal = literal;
    }

    public static Glob of(String glob) {
        StringBuilder re = new StringBuilder();
        boolean literal = true;
        boolean inBraces = false;
        int braceAt = -1;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw bad(glob, "'\\' at " + (i + 1) + " escapes nothing");
                    }
                    re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                }
                case '*' -> {
                    re.append(".*");
                    literal = false;
                }
                case '?' -> {
                    re.append('.');
                    literal = false;
                }
                case '[' -> {
                    int end = classEnd(glob, i);
                    if (end < 0) {
                        throw bad(glob, "'[' at " + (i + 1) + " is not closed");
                    }
                    re.append(charClass(glob.substring(i + 1, end)));
                    i = end;
                    literal = false;
                }
                case '{' -> {
                    if (inBraces) {
                        throw bad(glob, "'{' at " + (i + 1) + " inside another '{' (nesting is not supported)");
                    }
                    inBraces = true;
                    braceAt = i;
                    re.append("(?:");
                    literal = false;
                }
                case ',' -> re.append(inBraces ? "|" : ",");
                case '}' -> {
                    if (!inBraces) {
                        throw bad(glob, "'}' at " + (i + 1) + " closes nothing");
                    }
                    inBraces = false;
                    re.append(')');
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inBraces) {
            throw bad(glob, "'{' at " + (braceAt + 1) + " is not closed");
        }
        return new Glob(glob, Pattern.compile(re.toString(), Pattern.DOTALL), literal);
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

    private static String charClass(String body) {
        StringBuilder sb = new StringBuilder("[");
        int i = 0;
        if (!body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^')) {
            sb.append('^');
            i = 1;
        }
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                c = body.charAt(++i);
                sb.append('\\').append(c);
            } else if (c == '-' && i > 0 && i < body.length() - 1) {
                sb.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                sb.append(c);
            } else {
                sb.append('\\').append(c);
            }
        }
        return sb.append(']').toString();
    }

    private static IllegalArgumentException bad(String glob, String why) {
        return new IllegalArgumentException("bad glob '" + glob + "': " + why);
    }

    public boolean matches(String s) {
        return regex.matcher(s).matches();
    }

    /** Whether it holds no wildcard: then it names one string. */
    public boolean isLiteral() {
        return literal;
    }

    private String unescaped() {
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

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
