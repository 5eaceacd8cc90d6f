package org.symdex.cli.serve;

/**
 * The one writer of every page (issue 18, item 4). Text from packages (names, paths, sonames, symbols:
 * arbitrary bytes, chars U+0000..U+00FF) goes through {@link #text}: {@code < > & " '} become entities,
 * and each run of bytes below 0x20, 0x7f and from 0x80 becomes {@code \xNN} inside a
 * {@code <span class="x">}, so a control byte, a lookalike letter or a bidi override (U+202E is
 * E2 80 AE) shows as what it is. URLs are built only by {@link #href} from path segments and query values
 * that {@link Query#encode} percent-encodes, so a package string in a link is a path on this server,
 * never a scheme. Markup is written only by the literal strings of {@link Pages}: no package string ever
 * goes into a script, a style or an event attribute, and no page carries inline script or style (the
 * CSP, {@code default-src 'self'}, would refuse them anyway).
 */
final class Html {
    private final StringBuilder sb = new StringBuilder(8192);

    /** Markup from this code's own literals. Never a package string. */
    Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** A byte string as text. */
    Html text(String s) {
        if (s == null) {
            return this;
        }
        boolean inX = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean odd = c < 0x20 || c >= 0x7f;
            if (odd != inX) {
                sb.append(odd ? "<span class=\"x\">" : "</span>");
                inX = odd;
            }
            if (odd) {
                sb.append("\\x").append(Character.forDigit((c >> 4) & 15, 16)).append(Character.forDigit(c & 15, 16));
                if (c > 0xff) {
                    sb.append('?'); // not a byte string: never from symdex, shown as doubtful rather than passed
                }
                continue;
            }
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        if (inX) {
            sb.append("</span>");
        }
        return this;
    }

    /** {@code <code>TEXT</code>}: a name, path or capability. */
    Html code(String s) {
        return raw("<code>").text(s).raw("</code>");
    }

    /** A link: {@code url} from {@link #url}, the text escaped. */
    Html link(String url, String s) {
        return raw("<a href=\"").href(url).raw("\">").text(s).raw("</a>");
    }

    /** A link around code text. */
    Html codeLink(String url, String s) {
        return raw("<a href=\"").href(url).raw("\"><code>").text(s).raw("</code></a>");
    }

    /** An attribute value that is a URL this code built (ASCII, percent-encoded): '&' as an entity. */
    private Html href(String url) {
        if (!url.startsWith("/") || url.startsWith("//")) {
            throw new IllegalArgumentException("links are paths on this server: " + url);
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\') {
                throw new IllegalArgumentException("unencoded byte in a URL: " + (int) c);
            }
            sb.append(c == '&' ? "&amp;" : String.valueOf(c));
        }
        return this;
    }

    /** {@code /a/b?k=v&k2=v2}: each segment and value percent-encoded; null values left out. */
    static String url(String[] segments, String... params) {
        StringBuilder u = new StringBuilder();
        for (String s : segments) {
            u.append('/').append(Query.encode(s));
        }
        if (segments.length == 0) {
            u.append('/');
        }
        char sep = '?';
        for (int i = 0; i + 1 < params.length; i += 2) {
            if (params[i + 1] == null) {
                continue;
            }
            u.append(sep).append(Query.encode(params[i])).append('=').append(Query.encode(params[i + 1]));
            sep = '&';
        }
        return u.toString();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
