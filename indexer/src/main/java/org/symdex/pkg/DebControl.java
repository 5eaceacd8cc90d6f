package org.symdex.pkg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The fields of a binary package's DEBIAN/control (deb-control(5)) that PackageInfo carries. */
final class DebControl {
    private final Map<String, String> fields;

    private DebControl(Map<String, String> fields) {
        this.fields = fields;
    }

    /** Parses the first paragraph; field names are case-insensitive, continuation lines start with space or tab. */
    static DebControl parse(byte[] bytes) throws PackageFormatException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        String current = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    break;
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (current == null) {
                    throw new PackageFormatException("control line " + lineNo + ": continuation line before any field");
                }
                fields.merge(current, "\n" + line.strip(), String::concat);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new PackageFormatException("control line " + lineNo + ": no ':' in field line");
            }
            current = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            fields.put(current, line.substring(colon + 1).strip());
        }
        return new DebControl(fields);
    }

    Optional<String> field(String name) {
        return Optional.ofNullable(fields.get(name.toLowerCase(Locale.ROOT)));
    }

    String required(String name) throws PackageFormatException {
        String v = fields.get(name.toLowerCase(Locale.ROOT));
        if (v == null || v.isEmpty()) {
            throw new PackageFormatException("control file has no " + name + " field");
        }
        return v;
    }

    PackageInfo toInfo(Codec payload) throws PackageFormatException {
        String name = required("Package");
        String fullVersion = required("Version");
        // deb-version(7): [epoch:]upstream[-revision]; the revision follows the LAST hyphen.
        Optional<Integer> epoch = Optional.empty();
        String rest = fullVersion;
        int colon = rest.indexOf(':');
        if (colon > 0) {
            try {
                epoch = Optional.of(Integer.parseInt(rest.substring(0, colon)));
            } catch (NumberFormatException e) {
                throw new PackageFormatException("control Version '" + fullVersion + "': bad epoch");
            }
            rest = rest.substring(colon + 1);
        }
        String release = "";
        int dash = rest.lastIndexOf('-');
        if (dash > 0) {
            release = rest.substring(dash + 1);
            rest = rest.substring(0, dash);
        }
        long installed = -1;
        Optional<String> size = field("Installed-Size");
        if (size.isPresent()) {
            try {
                installed = Math.multiplyExact(Long.parseLong(size.get()), 1024L);
            } catch (NumberFormatException | ArithmeticException e) {
                installed = -1; // advisory only; dpkg itself ignores a bad value
            }
        }
        List<Dependency> requires = new ArrayList<>(relations(field("Pre-Depends").orElse("")));
        requires.addAll(relations(field("Depends").orElse("")));
        return new PackageInfo(PackageFormat.DEB, name, epoch, rest, release, required("Architecture"),
                // dpkg: Source defaults to the binary package's name.
                Optional.of(field("Source").filter(s -> !s.isEmpty()).orElse(name)),
                field("Multi-Arch"), installed, payload,
                relations(field("Provides").orElse("")), requires);
    }

    /** deb-control(5) relation fields: "a (>= 1) | b, c [amd64] <!nocheck>". */
    static List<Dependency> relations(String value) {
        List<Dependency> out = new ArrayList<>();
        for (String group : value.split(",")) {
            boolean first = true;
            for (String alt : group.split("\\|")) {
                String s = alt.strip();
                if (s.isEmpty()) {
                    continue;
                }
                int flags = first ? 0 : Dependency.DEB_ALTERNATIVE;
                first = false;
                String version = "";
                int paren = s.indexOf('(');
                String name = (paren < 0 ? s : s.substring(0, paren)).strip();
                int sp = name.indexOf(' ');
                if (sp >= 0) {
                    name = name.substring(0, sp); // drop [arch] and <profile> restrictions
                }
                if (paren >= 0) {
                    int close = s.indexOf(')', paren);
                    String rel = (close < 0 ? s.substring(paren + 1) : s.substring(paren + 1, close)).strip();
                    int i = 0;
                    while (i < rel.length() && "<>=".indexOf(rel.charAt(i)) >= 0) {
                        i++;
                    }
                    flags |= operator(rel.substring(0, i));
                    version = rel.substring(i).strip();
                }
                out.add(new Dependency(name, flags, version));
            }
        }
        return out;
    }

    private static int operator(String op) {
        switch (op) {
            case "<<": return Dependency.LESS;
            case "<=": case "<": return Dependency.LESS | Dependency.EQUAL; // "<" is the obsolete "<="
            case "=": return Dependency.EQUAL;
            case ">=": case ">": return Dependency.GREATER | Dependency.EQUAL;
            case ">>": return Dependency.GREATER;
            default: return 0;
        }
    }
}
