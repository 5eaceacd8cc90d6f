package org.symdex.source;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * apt's two sources formats, read the way apt 2.6 reads them (apt-pkg/sourcelist.cc, the version
 * on Debian 12; the parts quoted below are unchanged up to apt's 2025 master). Differences from
 * apt are deliberate and listed in docs/sources.md; {@code AptDifferentialTest} compares what we
 * expand with {@code apt-get indextargets} on the same files.
 */
final class AptSourcesParser {
    private AptSourcesParser() {
    }

    // ---------------------------------------------------------------- one-line format

    /** A whole one-line {@code .list} file (sourcelist.cc {@code ParseFileOldStyle}). */
    static void parseList(String name, String text, SourceDefaults d, List<SourceSpec> specs, List<String> notes)
            throws SourceException {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String origin = name + ":" + (i + 1);
            String line = stripListComment(lines[i]);
            if (line.isEmpty()) {
                continue;
            }
            parseOneLine(line, origin, d, specs, notes);
        }
    }

    /**
     * apt drops everything from a '#' on, unless the '#' sits inside an unclosed '[' (an option
     * value), then trims " \t\r" at both ends (ParseFileOldStyle).
     */
    static String stripListComment(String raw) {
        int cut = raw.length();
        int open = 0;
        int close = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '[') {
                open++;
            } else if (c == ']') {
                close++;
            } else if (c == '#' && open <= close) {
                cut = i;
                break;
            }
        }
        return trim(raw.substring(0, cut), " \t\r");
    }

    /**
     * One line, comments already stripped: {@code deb}, {@code deb-src} (a note) or
     * {@code rpm-md} (our own type, same bracket syntax).
     */
    static void parseOneLine(String line, String origin, SourceDefaults d, List<SourceSpec> specs, List<String> notes)
            throws SourceException {
        int typeEnd = indexOfAny(line, " \t\u000b");
        if (typeEnd <= 0) {
            throw usage(origin, "malformed line (no type): '" + line + "'");
        }
        String type = line.substring(0, typeEnd);
        Cursor c = new Cursor(line, typeEnd);
        switch (type) {
            case "deb":
                specs.add(parseDebLine(c, line, origin, d));
                break;
            case "deb-src":
                notes.add(origin + ": deb-src line skipped (symdex reads binary packages): " + line);
                break;
            case "rpm-md":
                specs.add(parseRpmLine(c, line, origin, d));
                break;
            default:
                throw usage(origin, "type '" + type + "' is not known (deb, deb-src or rpm-md)");
        }
    }

    /** sourcelist.cc {@code Type::ParseLine}. */
    private static SourceSpec parseDebLine(Cursor c, String line, String origin, SourceDefaults d)
            throws SourceException {
        Map<String, String> options = parseOptions(c, origin);
        String uriWord = quoteWord(c);
        if (uriWord == null) {
            throw usage(origin, "malformed line (URI): '" + line + "'");
        }
        String dist = quoteWord(c);
        if (dist == null) {
            throw usage(origin, "malformed line (Suite): '" + line + "'");
        }
        URI uri = fixupUri(uriWord, d, origin);
        List<String> components = new ArrayList<>();
        if (dist.endsWith("/")) {
            // "Check for an absolute dists specification": a flat repository takes no component.
            if (quoteWord(c) != null) {
                throw usage(origin, "malformed line (absolute Suite Component): a flat repository ("
                        + dist + ") takes no component");
            }
            dist = dist.replace("$(ARCH)", d.hostArch());
        } else {
            String comp;
            while ((comp = quoteWord(c)) != null) {
                components.add(comp);
            }
            if (components.isEmpty()) {
                throw usage(origin, "malformed line (Component): '" + line + "'");
            }
        }
        return debSpec(uri, dist, components, options, d, line, origin);
    }

    /** {@code rpm-md [id=NAME arch=BASEARCH] URI}: our own line, in apt's bracket syntax. */
    private static SourceSpec parseRpmLine(Cursor c, String line, String origin, SourceDefaults d)
            throws SourceException {
        Map<String, String> options = parseOptions(c, origin);
        String uriWord = quoteWord(c);
        if (uriWord == null) {
            throw usage(origin, "malformed line (URI): '" + line + "'");
        }
        String extra = quoteWord(c);
        if (extra != null) {
            throw usage(origin, "unexpected '" + extra + "' after the URI (rpm-md [id=NAME arch=BASEARCH] URI)");
        }
        URI uri = fixupUri(uriWord, d, origin);
        Optional<String> basearch = Optional.ofNullable(options.get("arch")).or(d::basearch);
        return new SourceSpec(SourceKind.RPM_MD, uri, "", List.of(), List.of(), false, options,
                Optional.ofNullable(options.get("id")), basearch, line, origin);
    }

    /**
     * {@code [ key=value ... ]}, as ParseLine reads it: each option is one quote word of at least 3
     * characters holding '=', with a key and a value; a ']' may end the last word.
     */
    static Map<String, String> parseOptions(Cursor c, String origin) throws SourceException {
        Map<String, String> options = new LinkedHashMap<>();
        c.skipSpace();
        if (c.peek() != '[') {
            return options;
        }
        c.pos++;
        c.skipSpace();
        while (c.peek() != ']') {
            String option = quoteWord(c);
            if (option == null) {
                throw usage(origin, "malformed line ([option] unparsable)");
            }
            if (option.length() < 3) {
                throw usage(origin, "malformed line ([option] too short): '" + option + "'");
            }
            if (option.endsWith("]")) {
                // "accept options even if the last has no space before the ]-end marker"
                while (c.s.charAt(c.pos) != ']') {
                    c.pos--;
                }
                option = option.substring(0, option.length() - 1);
            }
            int eq = option.indexOf('=');
            if (eq < 0) {
                throw usage(origin, "malformed line ([option] not assignment): '" + option + "'");
            }
            String key = option.substring(0, eq);
            String value = option.substring(eq + 1);
            if (key.isEmpty()) {
                throw usage(origin, "malformed line ([option] no key): '" + option + "'");
            }
            if (value.isEmpty()) {
                throw usage(origin, "malformed line ([option] no value): '" + option + "'");
            }
            options.put(key, value);
        }
        c.pos++;
        c.skipSpace();
        return options;
    }

    // ---------------------------------------------------------------- deb822 format

    /** A whole deb822 {@code .sources} file (sourcelist.cc {@code ParseFileDeb822}). */
    static void parseDeb822(String name, String text, SourceDefaults d, List<SourceSpec> specs, List<String> notes)
            throws SourceException {
        int number = 0;
        for (Deb822Stanza st : Deb822Stanza.parseSourcesFile(name, text)) {
            number++;
            String origin = name + ":" + st.line();
            if (!st.has("Types")) {
                throw usage(origin, "malformed stanza " + number + " (type): no Types field");
            }
            for (String type : st.multi("Types")) {
                switch (type) {
                    case "deb":
                        parseStanza(st, origin, d, specs, notes);
                        break;
                    case "deb-src":
                        notes.add(origin + ": deb-src skipped (symdex reads binary packages)");
                        break;
                    default:
                        throw usage(origin, "type '" + type + "' is not known on stanza " + number + " (deb or deb-src)");
                }
            }
        }
    }

    /** The option each deb822 field sets (sourcelist.cc {@code ParseStanza}'s mapping). */
    private static final Map<String, String> MULTI_OPTIONS = new LinkedHashMap<>();
    private static final Map<String, String> SINGLE_OPTIONS = new LinkedHashMap<>();

    static {
        for (String[] p : new String[][] {{"Architectures", "arch"}, {"Languages", "lang"}, {"Targets", "target"}}) {
            MULTI_OPTIONS.put(p[0], p[1]);
            MULTI_OPTIONS.put(p[0] + "-Add", p[1] + "+");
            MULTI_OPTIONS.put(p[0] + "-Remove", p[1] + "-");
        }
        for (String f : new String[] {"Trusted", "Check-Valid-Until", "Valid-Until-Min", "Valid-Until-Max",
            "Check-Date", "Date-Max-Future", "Snapshot", "Signed-By", "PDiffs", "By-Hash", "Include", "Exclude"}) {
            SINGLE_OPTIONS.put(f, f.toLowerCase(Locale.ROOT));
        }
    }

    private static void parseStanza(Deb822Stanza st, String origin, SourceDefaults d, List<SourceSpec> specs,
            List<String> notes) throws SourceException {
        String enabled = st.value("Enabled");
        if (enabled != null && !enabled.isEmpty() && stringToBool(enabled) == 0) {
            notes.add(origin + ": stanza skipped (Enabled: " + enabled + ")");
            return;
        }
        Map<String, String> options = new TreeMap<>();
        for (Map.Entry<String, String> m : MULTI_OPTIONS.entrySet()) {
            if (st.has(m.getKey())) {
                options.put(m.getValue(), String.join(",", st.multi(m.getKey())));
            }
        }
        for (Map.Entry<String, String> m : SINGLE_OPTIONS.entrySet()) {
            if (st.has(m.getKey())) {
                options.put(m.getValue(), st.value(m.getKey()));
            }
        }
        List<String> uris = st.multi("URIs");
        List<String> comps = st.multi("Components");
        List<String> suites = new ArrayList<>();
        for (String s : st.multi("Suites")) {
            suites.add(s.replace("$(ARCH)", d.hostArch()));
        }
        if (uris.isEmpty()) {
            throw usage(origin, "malformed stanza (URI): no URIs");
        }
        if (suites.isEmpty()) {
            throw usage(origin, "malformed stanza (Suite): no Suites");
        }
        for (String u : uris) {
            URI uri = fixupUri(u, d, origin);
            for (String s : suites) {
                if (s.endsWith("/")) {
                    if (!comps.isEmpty()) {
                        throw usage(origin, "malformed stanza (absolute Suite Component): a flat repository ("
                                + s + ") takes no Components");
                    }
                    specs.add(debSpec(uri, s, List.of(), options, d, oneLine(options, uri, s, List.of()), origin));
                } else {
                    if (comps.isEmpty()) {
                        throw usage(origin, "malformed stanza (Component): no Components");
                    }
                    specs.add(debSpec(uri, s, comps, options, d, oneLine(options, uri, s, comps), origin));
                }
            }
        }
    }

    private static String oneLine(Map<String, String> options, URI uri, String suite, List<String> comps) {
        StringBuilder b = new StringBuilder("deb ");
        if (options.containsKey("arch")) {
            b.append("[arch=").append(options.get("arch")).append("] ");
        }
        b.append(uri).append(' ').append(suite);
        for (String c : comps) {
            b.append(' ').append(c);
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- shared

    /**
     * The architectures of a deb source (debmetaindex.cc {@code parsePlusMinusArchOptions}):
     * {@code arch=} or the host's, then {@code arch+=} added and {@code arch-=} removed; "all" is
     * implied unless listed or removed.
     */
    private static SourceSpec debSpec(URI uri, String suite, List<String> components, Map<String, String> options,
            SourceDefaults d, String line, String origin) throws SourceException {
        List<String> arches = new ArrayList<>(options.containsKey("arch")
                ? splitCommas(options.get("arch"), origin) : List.of(d.hostArch()));
        List<String> minus = options.containsKey("arch-") ? splitCommas(options.get("arch-"), origin) : List.of();
        if (options.containsKey("arch+")) {
            for (String a : splitCommas(options.get("arch+"), origin)) {
                if (!arches.contains(a)) {
                    arches.add(a);
                }
            }
        }
        arches.removeAll(minus);
        arches = new ArrayList<>(new LinkedHashSet<>(arches));
        boolean implicitAll = !minus.contains("all") && !arches.contains("all");
        if (arches.isEmpty() && !implicitAll) {
            throw usage(origin, "no architecture left to read (arch-= removed them all)");
        }
        // apt keeps one index target per component: "main main" reads main once.
        components = new ArrayList<>(new LinkedHashSet<>(components));
        for (String c : components) {
            if (c.isEmpty() || c.startsWith("/") || List.of(c.split("/", -1)).contains("..")) {
                throw usage(origin, "bad component '" + c + "'");
            }
        }
        if (!suite.endsWith("/") && (suite.startsWith("/") || List.of(suite.split("/", -1)).contains(".."))) {
            throw usage(origin, "bad suite '" + suite + "'");
        }
        return new SourceSpec(SourceKind.DEB, uri, suite, components, arches, implicitAll, options,
                Optional.empty(), Optional.empty(), line, origin);
    }

    private static List<String> splitCommas(String v, String origin) throws SourceException {
        List<String> out = new ArrayList<>();
        for (String a : v.split(",", -1)) {
            if (a.isEmpty() || a.chars().anyMatch(ch -> ch <= ' ' || ch == '/')) {
                throw usage(origin, "bad architecture '" + a + "' in '" + v + "'");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * sourcelist.cc {@code FixupURI}: needs a ':', substitutes $(ARCH), ends with '/'. The string is
     * apt's (already %-decoded by the quote-word reader), so we quote it back into a
     * {@link URI}.
     */
    static URI fixupUri(String word, SourceDefaults d, String origin) throws SourceException {
        int colon = word.indexOf(':');
        if (word.isEmpty() || colon < 0) {
            throw usage(origin, "malformed URI '" + word + "' (URI parse)");
        }
        String s = word.replace("$(ARCH)", d.hostArch());
        if (!s.endsWith("/")) {
            s = s + "/";
        }
        colon = s.indexOf(':');
        try {
            URI uri = new URI(s.substring(0, colon), s.substring(colon + 1), null);
            if (uri.isOpaque() || uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw usage(origin, "URI '" + word + "' has no absolute path");
            }
            if (uri.getRawAuthority() == null && uri.getRawQuery() == null) {
                // "file:///srv/x" and "file:/srv/x" are one place; URI.resolve writes the latter
                // (as apt prints it), so every URI derived from this one reads the same in messages.
                uri = new URI(uri.getScheme(), null, uri.getPath(), null);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw usage(origin, "malformed URI '" + word + "' (" + e.getReason() + ")");
        }
    }

    /**
     * strutl.cc {@code StringToBool}: 0/1, then no/false/without/off/disable and
     * yes/true/with/on/enable, case-insensitive; anything else is "unknown" (-1), which leaves a
     * stanza enabled.
     */
    static int stringToBool(String text) {
        String t = text.trim();
        if (t.equals("0") || t.equals("1")) {
            return t.charAt(0) - '0';
        }
        switch (t.toLowerCase(Locale.ROOT)) {
            case "no": case "false": case "without": case "off": case "disable":
                return 0;
            case "yes": case "true": case "with": case "on": case "enable":
                return 1;
            default:
                return -1;
        }
    }

    /** A position in a line, for {@link #quoteWord}. */
    static final class Cursor {
        final String s;
        int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void skipSpace() {
            while (pos < s.length() && isSpace(s.charAt(pos))) {
                pos++;
            }
        }
    }

    /**
     * strutl.cc {@code ParseQuoteWord}: a word runs to the next white space, except that "..." and
     * [...] may hold spaces; the quotes are dropped and %XX is decoded; white space after the word
     * is skipped. Null when the line is used up (or a quote is not closed).
     */
    static String quoteWord(Cursor c) {
        String s = c.s;
        int p = c.pos;
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        if (p >= s.length()) {
            return null;
        }
        for (; p < s.length() && !isSpace(s.charAt(p)); p++) {
            if (s.charAt(p) == '"') {
                p = s.indexOf('"', p + 1);
                if (p < 0) {
                    return null;
                }
            }
            if (s.charAt(p) == '[') {
                p = s.indexOf(']', p + 1);
                if (p < 0) {
                    return null;
                }
            }
        }
        StringBuilder res = new StringBuilder(p - c.pos);
        // apt decodes %XX to bytes; the line is UTF-8, so collect bytes and decode once.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = c.pos;
        while (i < p) {
            char ch = s.charAt(i);
            if (ch == '%' && i + 2 < p && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                res.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
                bytes.reset();
            }
            if (ch != '"') {
                res.append(ch);
            }
            i++;
        }
        if (bytes.size() > 0) {
            res.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
        while (p < s.length() && isSpace(s.charAt(p))) {
            p++;
        }
        c.pos = p;
        return res.toString();
    }

    private static int hex(char ch) {
        return Character.digit(ch, 16) >= 0 && ch < 0x80 ? Character.digit(ch, 16) : -1;
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\u000b' || ch == '\f' || ch == '\r';
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    static String trim(String s, String chars) {
        int a = 0;
        int b = s.length();
        while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    static SourceException usage(String where, String reason) {
        return new SourceException(SourceException.Kind.USAGE, where, reason);
    }
}
