package org.symdex.source;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * dnf {@code .repo} files, read as libdnf reads them: the ini syntax of
 * libdnf/utils/iniparser/iniparser.cpp, {@code $var}/{@code ${var}} substitution of
 * libdnf/conf/ConfigParser.cpp {@code substitute_expression}, and the list syntax of
 * libdnf/conf/OptionStringList.cpp {@code fromString} for {@code baseurl}.
 */
final class DnfRepoParser {
    private DnfRepoParser() {
    }

    /** One [section] of a .repo file, its keys in file order. */
    private record Section(String name, Map<String, String> values) {
    }

    static void parse(String name, String text, SourceDefaults d, List<SourceSpec> specs, List<String> notes)
            throws SourceException {
        for (Section s : sections(name, text)) {
            String where = name + " [" + s.name + "]";
            if (s.name.equals("main")) {
                // dnf.conf's global options; a .repo file is not the place, and they name no repository.
                notes.add(where + ": [main] holds dnf's global options, not a repository; skipped");
                continue;
            }
            Map<String, String> v = s.values;
            String enabled = v.get("enabled");
            if (enabled != null && !bool(enabled, where)) {
                notes.add(where + ": enabled=" + enabled + "; skipped");
                continue;
            }
            String type = v.getOrDefault("type", "rpm-md").trim().toLowerCase(Locale.ROOT);
            if (!List.of("rpm-md", "rpm", "repomd", "rpmmd", "yum", "").contains(type)) {
                throw AptSourcesParser.usage(where, "type=" + type + " not supported; symdex reads rpm-md repositories");
            }
            String baseurl = v.get("baseurl");
            List<String> urls = baseurl == null ? List.of() : splitList(substitute(baseurl, d, where, "baseurl"));
            if (urls.isEmpty()) {
                // dnf prefers metalink to mirrorlist when both are there, so that is the one named.
                if (v.containsKey("metalink")) {
                    throw AptSourcesParser.usage(where, "metalink= not supported; give baseurl=");
                }
                if (v.containsKey("mirrorlist")) {
                    throw AptSourcesParser.usage(where, "mirrorlist= not supported; give baseurl=");
                }
                throw AptSourcesParser.usage(where, "no baseurl=");
            }
            if (urls.size() > 1) {
                notes.add(where + ": baseurl= lists " + urls.size() + " URLs; reading the first, " + urls.get(0));
            }
            URI uri = AptSourcesParser.fixupUri(urls.get(0), d, where);
            Map<String, String> options = new TreeMap<>();
            options.put("id", s.name);
            d.basearch().ifPresent(a -> options.put("arch", a));
            String line = "rpm-md [id=" + s.name + d.basearch().map(a -> " arch=" + a).orElse("") + "] " + uri;
            specs.add(new SourceSpec(SourceKind.RPM_MD, uri, "", List.of(), List.of(), false, options,
                    Optional.of(s.name), d.basearch(), line, where));
        }
    }

    /** iniparser.cpp {@code IniParser::next}. */
    private static List<Section> sections(String name, String text) throws SourceException {
        List<Section> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        Section current = null;
        String key = null;
        StringBuilder value = null;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int n = i + 1;
            if (n == 1 && l.startsWith("\uFEFF")) {
                l = l.substring(1);
            }
            if (l.startsWith("#") || l.startsWith(";")) {
                continue;
            }
            String t = AptSourcesParser.trim(l, " \t\r");
            if (t.isEmpty()) {
                continue;
            }
            int start = l.indexOf(t.charAt(0));
            if (key != null && (start == 0 || t.charAt(0) == '[')) {
                current.values.put(key, value.toString());
                key = null;
            }
            if (t.charAt(0) == '[') {
                int close = t.indexOf(']');
                if (close < 0) {
                    throw AptSourcesParser.usage(name + ":" + n, "missing ']'");
                }
                if (close == 1) {
                    throw AptSourcesParser.usage(name + ":" + n, "empty section name");
                }
                String after = t.substring(close + 1);
                int comment = indexOfAny(after, "#;");
                if (!AptSourcesParser.trim(comment < 0 ? after : after.substring(0, comment), " \t\r").isEmpty()) {
                    throw AptSourcesParser.usage(name + ":" + n, "text after section");
                }
                current = new Section(t.substring(1, close), new LinkedHashMap<>());
                out.add(current);
                continue;
            }
            if (current == null) {
                throw AptSourcesParser.usage(name + ":" + n, "missing section header");
            }
            if (start > 0) {
                if (key == null) {
                    throw AptSourcesParser.usage(name + ":" + n, "illegal continuation line");
                }
                value.append('\n').append(t);
                continue;
            }
            int eq = t.indexOf('=');
            if (eq == 0) {
                throw AptSourcesParser.usage(name + ":" + n, "missing key");
            }
            if (eq < 0) {
                throw AptSourcesParser.usage(name + ":" + n, "missing '='");
            }
            key = AptSourcesParser.trim(t.substring(0, eq), " \t");
            value = new StringBuilder(AptSourcesParser.trim(t.substring(eq + 1), " \t"));
        }
        if (key != null) {
            current.values.put(key, value.toString());
        }
        return out;
    }

    /**
     * ConfigParser.cpp {@code substitute_expression}, for the variables symdex knows: $releasever
     * (and its _major/_minor parts) and $basearch, with or without braces, a backslash escaping the
     * next character. Unlike dnf, an unknown variable is an error: dnf would fill it from
     * /etc/dnf/vars, which is not this machine's business, and a literal "$x" in a URL only fails
     * later and less clearly. The ${var:-word} forms are refused for the same reason.
     */
    static String substitute(String text, SourceDefaults d, String where, String key) throws SourceException {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                out.append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            boolean braces = text.charAt(i + 1) == '{';
            int s = braces ? i + 2 : i + 1;
            int e = s;
            while (e < text.length() && (Character.isLetterOrDigit(text.charAt(e)) || text.charAt(e) == '_')
                    && text.charAt(e) < 0x80) {
                e++;
            }
            String var = text.substring(s, e);
            if (var.isEmpty()) {
                out.append(c);
                i++;
                continue;
            }
            if (braces && (e >= text.length() || text.charAt(e) != '}')) {
                throw AptSourcesParser.usage(where, key + "= uses ${" + var + "...}, which symdex does not expand");
            }
            out.append(variable(var, d, where, key));
            i = braces ? e + 1 : e;
        }
        return out.toString();
    }

    private static String variable(String var, SourceDefaults d, String where, String key) throws SourceException {
        switch (var) {
            case "releasever":
            case "releasever_major":
            case "releasever_minor": {
                String rv = d.releasever().orElseThrow(() -> AptSourcesParser.usage(where,
                        key + "= uses $" + var + "; give --releasever"));
                int dot = rv.indexOf('.');
                if (var.equals("releasever")) {
                    return rv;
                }
                if (var.equals("releasever_major")) {
                    return dot < 0 ? rv : rv.substring(0, dot);
                }
                return dot < 0 ? "" : rv.substring(dot + 1);
            }
            case "basearch":
                return d.basearch().orElseThrow(() -> AptSourcesParser.usage(where,
                        key + "= uses $basearch; give --basearch"));
            default:
                throw AptSourcesParser.usage(where, key + "= uses $" + var
                        + ", which symdex does not know (only $releasever and $basearch)");
        }
    }

    /** OptionStringList.cpp {@code fromString}: split at space, comma and newline, empty words dropped. */
    static List<String> splitList(String v) {
        List<String> out = new ArrayList<>();
        for (String w : v.split("[ ,\n]")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** libdnf OptionBool: 1/yes/true/on and 0/no/false/off, case-insensitive; anything else is an error. */
    private static boolean bool(String v, String where) throws SourceException {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1": case "yes": case "true": case "on":
                return true;
            case "0": case "no": case "false": case "off":
                return false;
            default:
                throw AptSourcesParser.usage(where, "enabled=" + v + " is not a boolean");
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
