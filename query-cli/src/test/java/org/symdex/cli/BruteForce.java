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
    record File(String path, String scope, List<String> provides, List<String> requires, String soname,
                List<String> links, List<Sym> exported, List<Sym> imported) {
        File(String path, String scope, List<String> provides, List<String> requires) {
            this(path, scope, provides, requires, null, List.of(), List.of(), List.of());
        }

        /** The name ld.so finds it by: DT_SONAME, else the base name (written out, not the index's rule). */
        String lookupName() {
            return soname != null && !soname.isEmpty() ? soname : path.substring(path.lastIndexOf('/') + 1);
        }
    }

    /** One dynamic symbol as deps --symbols prints it. */
    record Sym(String name, String version, boolean hidden, String binding, String type, String from, boolean defined) {
        /**
         * binutils' form: name@@V for a default definition, name@V for a hidden one, an import or a definition
         * whose version a Verneed names (a copy relocation: deps says whence, {@code from}), name unversioned.
         */
        String term() {
            return version == null ? name : name + (defined && !hidden && from == null ? "@@" : "@") + version;
        }
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
                List<Sym> exported = new ArrayList<>();
                List<Sym> imported = new ArrayList<>();
                if (f.get("symbols") instanceof Map<?, ?> syms) {
                    syms(syms.get("exported"), true, exported);
                    syms(syms.get("imported"), false, imported);
                }
                files.add(new File((String) f.get("path"), scope, strings(f.get("provides")), strings(f.get("requires")),
                        (String) f.get("soname"), f.get("links") == null ? List.of() : strings(f.get("links")),
                        exported, imported));
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

    private static void syms(Object list, boolean defined, List<Sym> out) {
        for (Object o : (List<?>) list) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.add(new Sym((String) m.get("name"), (String) m.get("version"), Boolean.TRUE.equals(m.get("hidden")),
                    (String) m.get("binding"), (String) m.get("type"), (String) m.get("from"), defined));
        }
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

    /**
     * Glob as docs/queries.md documents it, as a regex written out here: '*' any run, '?' one char,
     * '[...]' and '[!...]' one char of or not of a set (a ']' first is a member), '{a,b}' alternatives,
     * '\\' escapes; everything else literal.
     */
    static Predicate<String> fnmatch(String g) {
        StringBuilder re = new StringBuilder();
        boolean inBraces = false;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '\\' && i + 1 < g.length()) {
                re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int j = i + 1;
                StringBuilder cls = new StringBuilder("[");
                if (j < g.length() && (g.charAt(j) == '!' || g.charAt(j) == '^')) {
                    cls.append('^');
                    j++;
                }
                boolean first = true;
                for (; j < g.length() && (first || g.charAt(j) != ']'); j++) {
                    char m = g.charAt(j);
                    if (m == '\\' && j + 1 < g.length()) {
                        m = g.charAt(++j);
                    }
                    if (m == '-' && !first && j + 1 < g.length() && g.charAt(j + 1) != ']') {
                        cls.append('-');
                    } else {
                        cls.append(String.format("\\x{%x}", (int) m));
                    }
                    first = false;
                }
                re.append(cls).append(']');
                i = j;
            } else if (c == '{') {
                re.append("(?:");
                inBraces = true;
            } else if (c == ',' && inBraces) {
                re.append('|');
            } else if (c == '}') {
                re.append(')');
                inBraces = false;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL);
        return s -> p.matcher(s).matches();
    }

    /**
     * A CAP argument: a glob over whole capabilities; one holding ".so" and neither '(' nor '/' is a
     * soname, also matching every capability whose part before the first '(' it matches.
     */
    static Predicate<String> glob(String g) {
        Predicate<String> m = fnmatch(g);
        if (!g.contains(".so") || g.contains("(") || g.contains("/")) {
            return m;
        }
        return c -> m.test(c) || c.indexOf('(') >= 0 && m.test(c.substring(0, c.indexOf('(')));
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
            if (p.name().equals(name) && (arch == null || p.arch().equals(arch)) && (evr == null || sameVersion(p.evr(), evr))) {
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

    /** docs/queries.md: a 0: epoch equals none; a version given without an epoch matches any epoch. */
    static boolean sameVersion(String indexed, String given) {
        String i = indexed.replaceFirst("^0+:", "");
        String g = given.replaceFirst("^0+:", "");
        return i.equals(g) || !g.matches("[0-9]+:.*") && i.replaceFirst("^[0-9]+:", "").equals(g);
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

    // ---- issue 16: symbols, paths, packages, why --------------------------------------------------------

    /**
     * A SYMBOL argument as docs/queries.md states the rules: NAME@V matches imports of V and both
     * definitions of V; NAME@@V the default definition (and imports of V); a name without '@' the
     * unversioned symbol and every version of it (a glob: of its name before the first '@'); '*' crosses '@'.
     */
    static Predicate<String> symbolMatcher(String arg, boolean exports) {
        int at = -1;
        for (int i = 0; i < arg.length(); i++) {
            if (arg.charAt(i) == '\\') {
                i++;
            } else if (arg.charAt(i) == '@') {
                at = i;
                break;
            }
        }
        if (at < 0) {
            Predicate<String> m = fnmatch(arg);
            return t -> m.test(t) || t.indexOf('@') >= 0 && m.test(t.substring(0, t.indexOf('@')));
        }
        boolean dflt = arg.startsWith("@@", at);
        String left = arg.substring(0, at);
        String right = arg.substring(at + (dflt ? 2 : 1));
        Predicate<String> hidden = fnmatch(left + "@" + right);
        Predicate<String> deflt = fnmatch(left + "@@" + right);
        if (!exports) {
            return hidden;
        }
        return dflt ? deflt : t -> hidden.test(t) || deflt.test(t);
    }

    /** whatimports/whatexports: every file's imported or exported symbol term the argument matches. */
    List<Row> whatSymbols(String arg, boolean exports, Predicate<Pkg> filter) {
        Predicate<String> m = symbolMatcher(arg, exports);
        List<Row> out = new ArrayList<>();
        for (Pkg p : packages) {
            if (!filter.test(p)) {
                continue;
            }
            for (File f : p.files()) {
                for (Sym s : exports ? f.exported() : f.imported()) {
                    if (m.test(s.term())) {
                        out.add(new Row(p, f.path(), f.scope(), s.term()));
                    }
                }
            }
        }
        return out;
    }

    /** The merged-/usr twin of a path, written out: /bin, /sbin, /lib* and their /usr forms. */
    static String twin(String path) {
        java.util.regex.Matcher m = Pattern.compile("(/usr)?(/(?:bin|sbin|lib[^/]*)/.*)").matcher(path);
        if (!m.matches()) {
            return null;
        }
        return m.group(1) == null ? "/usr" + m.group(2) : m.group(2);
    }

    /** whatprovides PATH: files whose path or a symlink to them (or either's twin) the argument matches. */
    List<Row> whatShips(String arg, Predicate<Pkg> filter) {
        Predicate<String> g = fnmatch(arg);
        Predicate<String> m = x -> g.test(x) || twin(x) != null && g.test(twin(x));
        List<Row> out = new ArrayList<>();
        for (Pkg p : packages) {
            if (!filter.test(p)) {
                continue;
            }
            for (File f : p.files()) {
                if (m.test(f.path())) {
                    out.add(new Row(p, f.path(), f.scope(), f.path()));
                }
                for (String l : f.links()) {
                    if (m.test(l)) {
                        out.add(new Row(p, f.path(), f.scope(), l));
                    }
                }
            }
        }
        return out;
    }

    /** --packages: NAME, VERSION, ARCH, PACKAGE-FILE, LABELS of the rows' packages, sorted, unique. */
    static List<String> packageLines(List<Row> rows) {
        return rows.stream().map(r -> Tsv.line(r.pkg().name(), r.pkg().evr(), r.pkg().arch(), r.pkg().file(),
                r.pkg().label().isEmpty() ? "-" : r.pkg().label())).sorted().distinct().toList();
    }

    /** whatrequires --of-package: requirements of other packages that something of {@code of} provides in a meeting scope. */
    List<Row> users(List<Pkg> of, Predicate<Pkg> filter) {
        Map<String, Set<String>> provided = new HashMap<>();
        for (Pkg p : of) {
            providesOf(p).forEach(q -> provided.computeIfAbsent(q.capability(), k -> new TreeSet<>()).add(q.scope()));
        }
        Set<String> own = new java.util.HashSet<>();
        of.forEach(p -> own.add(p.file()));
        List<Row> out = new ArrayList<>();
        for (Pkg p : packages) {
            if (own.contains(p.file()) || !filter.test(p)) {
                continue;
            }
            for (Row r : requiresOf(p)) {
                if (provided.getOrDefault(r.capability(), Set.of()).stream().anyMatch(sc -> scopesMeet(sc, r.scope()))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /**
     * why PKG, as canonical lines: per unsatisfied requirement, the file, requirement and scope; the files
     * ld.so finds by its soname in a meeting scope, with the version nodes they define; the scopes not
     * meeting where it (or its other-word-size form) is provided; each symbol the file imports at that
     * version from that soname, with every definition of the name in a meeting scope.
     */
    List<String> why(Pkg p) {
        Map<String, Set<String>> providedIn = new HashMap<>();
        packages.stream().flatMap(q -> providesOf(q).stream())
                .forEach(q -> providedIn.computeIfAbsent(q.capability(), k -> new TreeSet<>()).add(q.scope()));
        List<String> out = new ArrayList<>();
        List<Row> reqs = new ArrayList<>(requiresOf(p));
        reqs.sort(Comparator.comparing((Row r) -> r.path() == null ? "" : r.path()).thenComparing(Row::capability));
        for (Row r : reqs) {
            if (r.path() == null && !elfdepsShaped(r.capability())) {
                continue;
            }
            if (providedIn.getOrDefault(r.capability(), Set.of()).stream().anyMatch(sc -> scopesMeet(sc, r.scope()))) {
                continue;
            }
            String req = r.capability();
            String soname = req.indexOf('(') < 0 ? req : req.substring(0, req.indexOf('('));
            StringBuilder line = new StringBuilder((r.path() == null ? "-" : r.path()) + " | " + req + " | " + r.scope());
            Set<String> same = new TreeSet<>();
            if (!req.equals("rtld(GNU_HASH)")) {
                for (Pkg q : packages) {
                    for (File f : q.files()) {
                        if (scopesMeet(f.scope(), r.scope()) && f.lookupName().equals(soname)) {
                            Set<String> versions = new TreeSet<>();
                            for (String c : f.provides()) {
                                java.util.regex.Matcher m = Pattern.compile(Pattern.quote(soname) + "\\(([^)]+)\\).*").matcher(c);
                                if (m.matches()) {
                                    versions.add(m.group(1));
                                }
                            }
                            same.add(q.nevra() + " " + f.path() + " " + versions);
                        }
                    }
                }
            }
            line.append(" | same ").append(same);
            String other = otherWordSize(req);
            Set<String> scopes = new TreeSet<>();
            for (String c : other == null ? List.of(req) : List.of(req, other)) {
                for (String sc : providedIn.getOrDefault(c, Set.of())) {
                    if (!scopesMeet(sc, r.scope())) {
                        scopes.add(sc);
                    }
                }
            }
            line.append(" | scopes ").append(scopes);
            java.util.regex.Matcher v = Pattern.compile("[^(]*\\(([^)]+)\\).*").matcher(req);
            List<String> syms = new ArrayList<>();
            if (r.path() != null && v.matches() && !req.equals("rtld(GNU_HASH)")) {
                File file = p.files().stream().filter(f -> f.path().equals(r.path())).findFirst().orElseThrow();
                Set<String> names = new TreeSet<>();
                for (Sym s : file.imported()) {
                    if (v.group(1).equals(s.version()) && soname.equals(s.from())) {
                        names.add(s.name());
                    }
                }
                for (String n : names) {
                    Set<String> defs = new TreeSet<>();
                    for (Pkg q : packages) {
                        for (File f : q.files()) {
                            if (!scopesMeet(f.scope(), r.scope())) {
                                continue;
                            }
                            for (Sym s : f.exported()) {
                                if (s.name().equals(n)) {
                                    defs.add(q.nevra() + " " + f.path() + " " + s.term());
                                }
                            }
                        }
                    }
                    syms.add(n + "@" + v.group(1) + " -> " + defs);
                }
            }
            line.append(" | symbols ").append(syms);
            out.add(line.toString());
        }
        return out;
    }

    /** X(V)(64bit) and X(V), X()(64bit) and X: elfdeps' two word sizes, written out. */
    static String otherWordSize(String req) {
        if (!req.contains(".so") || req.equals("rtld(GNU_HASH)")) {
            return null;
        }
        if (req.endsWith("()(64bit)")) {
            return req.substring(0, req.length() - 9);
        }
        if (req.endsWith("(64bit)")) {
            return req.substring(0, req.length() - 7);
        }
        return req.contains("(") ? req + "(64bit)" : req + "()(64bit)";
    }
}
