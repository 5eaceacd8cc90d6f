package org.symdex.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.symdex.cap.Scope;

/**
 * The answers of issue 5's queries computed the slow, obvious way from what {@code symdex deps
 * --format json} says about the same packages: every package, every file, every capability compared
 * one by one. Nothing here reads the index; the tests hold the index's answers against these.
 */
final class BruteForce {
    record File(String path, String scope, List<String> provides, List<String> requires) {
    }

    record Dep(String name, String formatted) {
    }

    record Pkg(String name, String evr, String arch, String source, String label, String file, boolean rpm,
               List<File> files, List<Dep> declProvides, List<Dep> declRequires) {
        String nevra() {
            return name + "-" + evr + "." + arch;
        }

        /** Declared capabilities live in the scope of the package's arch; noarch/all in every scope. */
        String declScope() {
            Scope s = Scope.ofArch(arch);
            if (s != null) {
                return s.toString();
            }
            return arch.equals("noarch") || arch.equals("all") ? "any" : "arch:" + arch;
        }
    }

    /** One answer line before formatting; path null for a declared capability. */
    record Row(Pkg pkg, String path, String scope, String capability) {
        String tsv() {
            // LABELS: the brute force knows the one label the run gave (written out, not the CLI's code).
            return Tsv.line(pkg.name(), pkg.evr(), pkg.arch(), pkg.file(), path == null ? "-" : path, capability,
                    pkg.label().isEmpty() ? "-" : pkg.label());
        }
    }

    static final Comparator<Pkg> ORDER = Comparator.comparing(Pkg::name).thenComparing(Pkg::evr)
            .thenComparing(Pkg::arch).thenComparing(Pkg::file);

    final List<Pkg> packages;

    BruteForce(List<Pkg> packages) {
        this.packages = List.copyOf(packages);
    }

    /** From a deps --format json document whose sources are absolute package paths. */
    static BruteForce fromDepsJson(Map<?, ?> doc, String label) {
        List<Pkg> out = new ArrayList<>();
        for (Object o : (List<?>) doc.get("results")) {
            Map<?, ?> r = (Map<?, ?>) o;
            Map<?, ?> p = (Map<?, ?>) r.get("package");
            boolean rpm = "rpm".equals(r.get("format"));
            String epoch = (String) p.get("epoch");
            String release = (String) p.get("release");
            String evr = (epoch == null ? "" : epoch + ":") + p.get("version") + (release.isEmpty() ? "" : "-" + release);
            String name = (String) p.get("name");
            String rawSource = (String) p.get("source");
            List<File> files = new ArrayList<>();
            for (Object fo : (List<?>) r.get("files")) {
                Map<?, ?> f = (Map<?, ?>) fo;
                String scope = f.get("machine") + "/" + ("ELF64".equals(f.get("class")) ? 64 : 32);
                files.add(new File((String) f.get("path"), scope, strings(f.get("provides")), strings(f.get("requires"))));
            }
            // A source rpm (no SOURCERPM) declares build requirements: it is not indexed at all.
            boolean sourceRpm = rpm && rawSource == null;
            if (sourceRpm) {
                continue;
            }
            Map<?, ?> declared = (Map<?, ?>) r.get("declared");
            out.add(new Pkg(name, evr, (String) p.get("arch"), sourceName(name, rawSource, rpm), label,
                    (String) r.get("source"), rpm, files,
                    rpm && !sourceRpm ? deps(declared.get("provides")) : List.of(),
                    rpm && !sourceRpm ? deps(declared.get("requires")) : List.of()));
        }
        return new BruteForce(out);
    }

    private static List<String> strings(Object o) {
        return ((List<?>) o).stream().map(x -> (String) x).toList();
    }

    private static List<Dep> deps(Object o) {
        List<Dep> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            Map<?, ?> d = (Map<?, ?>) x;
            String name = (String) d.get("name");
            String version = (String) d.get("version");
            int sense = ((Number) d.get("flags")).intValue() & (2 | 4 | 8);
            String op = switch (sense) {
                case 2 -> "<";
                case 4 -> ">";
                case 8 -> "=";
                case 10 -> "<=";
                case 12 -> ">=";
                case 6 -> "<>";
                default -> null;
            };
            out.add(new Dep(name, op == null || version.isEmpty() ? name : name + " " + op + " " + version));
        }
        return out;
    }

    /** Debian Source without "(version)"; rpm SOURCERPM without -VERSION-RELEASE.src.rpm. */
    static String sourceName(String name, String raw, boolean rpm) {
        if (raw == null || raw.isBlank()) {
            return name;
        }
        if (rpm) {
            return raw.replaceFirst("-[^-]*-[^-]*\\.(no)?src\\.rpm$", "");
        }
        return raw.strip().split(" ")[0];
    }

    static boolean isLoader(String provide) {
        return provide.startsWith("ld-linux") || provide.startsWith("ld64.so") || provide.startsWith("ld.so");
    }

    /** Glob as the CLI documents it: '*' any run, '?' one char, '\' escapes; everything else literal. */
    static Predicate<String> glob(String g) {
        if (g.indexOf('*') < 0 && g.indexOf('?') < 0) {
            return g::equals;
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '\\' && i + 1 < g.length()) {
                re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL);
        return s -> p.matcher(s).matches();
    }

    /** Every (file or header, capability) a package provides, with the synthetic rtld(GNU_HASH). */
    static List<Row> providesOf(Pkg p) {
        List<Row> out = new ArrayList<>();
        for (File f : p.files()) {
            boolean loader = false;
            for (String c : f.provides()) {
                out.add(new Row(p, f.path(), f.scope(), c));
                loader |= isLoader(c);
            }
            if (loader && !f.provides().contains("rtld(GNU_HASH)")) {
                out.add(new Row(p, f.path(), f.scope(), "rtld(GNU_HASH)"));
            }
        }
        for (Dep d : p.declProvides()) {
            out.add(new Row(p, null, p.declScope(), d.name()));
        }
        return out;
    }

    static List<Row> requiresOf(Pkg p) {
        List<Row> out = new ArrayList<>();
        for (File f : p.files()) {
            for (String c : f.requires()) {
                out.add(new Row(p, f.path(), f.scope(), c));
            }
        }
        for (Dep d : p.declRequires()) {
            out.add(new Row(p, null, p.declScope(), d.name()));
        }
        return out;
    }

    static List<String> tsv(List<Row> rows) {
        return rows.stream().map(Row::tsv).sorted().distinct().toList();
    }

    List<Row> whatProvides(String pattern, Predicate<Pkg> filter) {
        Predicate<String> m = glob(pattern);
        return packages.stream().filter(filter).flatMap(p -> providesOf(p).stream())
                .filter(r -> m.test(r.capability())).toList();
    }

    List<Row> whatRequires(String pattern, Predicate<Pkg> filter) {
        Predicate<String> m = glob(pattern);
        return packages.stream().filter(filter).flatMap(p -> requiresOf(p).stream())
                .filter(r -> m.test(r.capability())).toList();
    }

    static boolean scopesMeet(String provideScope, String requireScope) {
        return provideScope.equals(requireScope) || provideScope.equals("any") || requireScope.equals("any");
    }

    /** Requirements nothing satisfies, per package file; declared ones only when elfdeps-shaped. */
    Map<Pkg, List<Row>> broken(Predicate<Pkg> filter) {
        // capability → the scopes providing it: the brute force still looks at every provide once.
        Map<String, Set<String>> providedIn = new HashMap<>();
        packages.stream().flatMap(p -> providesOf(p).stream())
                .forEach(q -> providedIn.computeIfAbsent(q.capability(), k -> new TreeSet<>()).add(q.scope()));
        Map<Pkg, List<Row>> out = new TreeMap<>(ORDER);
        for (Pkg p : packages) {
            if (!filter.test(p)) {
                continue;
            }
            for (Row r : requiresOf(p)) {
                if (r.path() == null && !elfdepsShaped(r.capability())) {
                    continue;
                }
                boolean met = providedIn.getOrDefault(r.capability(), Set.of()).stream()
                        .anyMatch(scope -> scopesMeet(scope, r.scope()));
                if (!met) {
                    out.computeIfAbsent(p, k -> new ArrayList<>()).add(r);
                }
            }
        }
        return out;
    }

    static boolean elfdepsShaped(String c) {
        return c.equals("rtld(GNU_HASH)") || c.matches("[^()/\\s]*\\.so[^()/\\s]*(\\([^()]*\\)(\\(64bit\\))?)?");
    }

    /** repoclosure-like text of {@link #broken}. */
    static List<String> brokenText(Map<Pkg, List<Row>> broken) {
        List<String> out = new ArrayList<>();
        broken.forEach((p, rows) -> {
            Set<String> caps = new TreeSet<>();
            rows.forEach(r -> caps.add(r.capability()));
            out.add("package: " + p.nevra() + " from " + p.label());
            out.add("  unresolved deps (" + caps.size() + "):");
            caps.forEach(c -> out.add("    " + c));
        });
        return out;
    }

    /**
     * The reverse-dependency tree, breadth first: level 1 the requirers of the pattern; each next
     * level the packages not yet seen requiring something a package of the previous level provides
     * (in a scope that meets), each under the first such parent in package order. Returns the text
     * lines (indent, NEVRA, the capabilities that reached it) and the tsv rows of every edge.
     */
    record Tree(List<String> text, List<String> tsv, int packages) {
    }

    Tree recursive(String pattern, Predicate<Pkg> filter) {
        // Identity maps: a Pkg's record hashCode would hash all its files' lists on every lookup.
        Map<Pkg, List<Row>> via = new IdentityHashMap<>();
        Map<Pkg, List<Pkg>> children = new IdentityHashMap<>();
        Map<Pkg, Integer> depth = new IdentityHashMap<>();
        Map<Pkg, List<Row>> requires = new IdentityHashMap<>();
        packages.forEach(p -> requires.put(p, requiresOf(p)));
        Map<Pkg, List<Row>> roots = new TreeMap<>(ORDER);
        for (Row r : whatRequires(pattern, filter)) {
            roots.computeIfAbsent(r.pkg(), k -> new ArrayList<>()).add(r);
        }
        roots.forEach((p, rows) -> {
            via.put(p, rows);
            depth.put(p, 1);
        });
        List<Pkg> frontier = new ArrayList<>(roots.keySet());
        int level = 1;
        while (!frontier.isEmpty()) {
            level++;
            Map<Pkg, Pkg> parentOf = new TreeMap<>(ORDER);
            Map<Pkg, List<Row>> viaOf = new IdentityHashMap<>();
            for (Pkg parent : frontier) { // frontier is in package order: the first parent wins
                Map<String, Set<String>> provides = new HashMap<>();
                providesOf(parent).forEach(q -> provides.computeIfAbsent(q.capability(), k -> new TreeSet<>()).add(q.scope()));
                for (Pkg child : packages) {
                    if (depth.containsKey(child) || !filter.test(child) || parentOf.containsKey(child)) {
                        continue;
                    }
                    List<Row> rows = requires.get(child).stream().filter(r -> provides.getOrDefault(r.capability(), Set.of())
                            .stream().anyMatch(scope -> scopesMeet(scope, r.scope()))).toList();
                    if (!rows.isEmpty()) {
                        parentOf.put(child, parent);
                        viaOf.put(child, rows);
                    }
                }
            }
            for (Map.Entry<Pkg, Pkg> e : parentOf.entrySet()) {
                depth.put(e.getKey(), level);
                via.put(e.getKey(), viaOf.get(e.getKey()));
                children.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
            }
            frontier = new ArrayList<>(parentOf.keySet());
        }
        List<String> text = new ArrayList<>();
        List<Row> edges = new ArrayList<>();
        for (Pkg r : roots.keySet()) {
            walk(r, depth, via, children, text, edges);
        }
        return new Tree(text, tsv(edges), depth.size());
    }

    private static void walk(Pkg p, Map<Pkg, Integer> depth, Map<Pkg, List<Row>> via, Map<Pkg, List<Pkg>> children,
                             List<String> text, List<Row> edges) {
        Set<String> caps = new TreeSet<>();
        via.get(p).forEach(r -> caps.add(r.capability()));
        text.add("  ".repeat(depth.get(p) - 1) + p.nevra() + " from " + p.label() + ": " + String.join(", ", caps));
        edges.addAll(via.get(p));
        List<Pkg> kids = new ArrayList<>(children.getOrDefault(p, List.of()));
        kids.sort(ORDER);
        for (Pkg k : kids) {
            walk(k, depth, via, children, text, edges);
        }
    }

    /** provides/requires PKG: every package the selector names, each file's list and the header's. */
    List<String> packageList(String name, String arch, String evr, boolean provides) {
        List<Row> rows = new ArrayList<>();
        for (Pkg p : packages) {
            if (p.name().equals(name) && (arch == null || p.arch().equals(arch)) && (evr == null || p.evr().equals(evr))) {
                for (File f : p.files()) {
                    for (String c : provides ? f.provides() : f.requires()) {
                        rows.add(new Row(p, f.path(), f.scope(), c));
                    }
                }
                for (Dep d : provides ? p.declProvides() : p.declRequires()) {
                    rows.add(new Row(p, null, p.declScope(), d.formatted()));
                }
            }
        }
        return tsv(rows);
    }

    /** Every distinct capability anything provides (with rtld) or requires, sorted. */
    Set<String> allCapabilities(boolean provides) {
        Set<String> out = new TreeSet<>();
        for (Pkg p : packages) {
            (provides ? providesOf(p) : requiresOf(p)).forEach(r -> out.add(r.capability()));
        }
        return out;
    }

    static Map<String, Pkg> byFile(List<Pkg> ps) {
        Map<String, Pkg> m = new LinkedHashMap<>();
        ps.forEach(p -> m.put(p.file(), p));
        return m;
    }

    /** The CLI's --arch A and --not-source NAME options, as a predicate. */
    static Predicate<Pkg> filter(String[] f) {
        String arch = null;
        Set<String> not = new TreeSet<>();
        for (int i = 0; i < f.length; i += 2) {
            if (f[i].equals("--arch")) {
                arch = f[i + 1];
            } else {
                not.add(f[i + 1]);
            }
        }
        String a = arch;
        return p -> (a == null || p.arch().equals(a)) && !not.contains(p.source());
    }
}
