package org.symdex.cli.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.symdex.index.IndexException;
import org.symdex.index.IndexRef;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Nights;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.Glob;
import org.symdex.query.IndexArchiveView;
import org.symdex.query.IndexedPackage;
import org.symdex.query.QueryFilter;
import org.symdex.report.FileFacts;
import org.symdex.report.PackageRef;

/**
 * The server-rendered pages (issue 18, item 3): they work with JavaScript off, every link a plain GET;
 * {@code /static/enhance.js} only adds keyboard focus. Each page takes {@code at=REF} and links to its
 * night as a permalink ({@code at=GENERATION}). The answers come from the same commands as the API, run
 * in-process with {@code --format json} ({@link Api#run}); only the package page's files (soname, NEEDED)
 * are read from {@link IndexArchiveView}, which no command prints. Every string from the index goes
 * through {@link Html}.
 */
final class Pages {
    /** Packages per page of a result list. */
    static final int PAGE = 50;

    private final NightWatch watch;
    private final String shown;
    private final Api api;

    Pages(NightWatch watch, String shown, Api api) {
        this.watch = watch;
        this.shown = shown;
        this.api = api;
    }

    /** A page's status and body. */
    private record Page(int status, String title, Html body) {
    }

    /** A request that the page refuses: status and message. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    HttpFront.Response handle(Query q) {
        Shown night = null;
        Page page;
        try {
            night = new Shown(Server.night(watch, q), q.params().containsKey("at"));
            List<String> seg = q.segments();
            String first = seg.get(0);
            page = switch (first) {
                case "" -> home(q, night);
                case "search" -> search(q, night);
                case "package" -> {
                    if (seg.size() != 4) {
                        throw new Refused(404, "a package page is /package/NAME/VERSION/ARCH");
                    }
                    yield pkg(q, night, seg.get(1), seg.get(2), seg.get(3));
                }
                case "cap" -> {
                    if (seg.size() != 2 || seg.get(1).isEmpty()) {
                        throw new Refused(404, "a capability page is /cap/CAPABILITY");
                    }
                    yield cap(q, night, seg.get(1), false);
                }
                case "soname" -> {
                    if (seg.size() != 2 || seg.get(1).isEmpty()) {
                        throw new Refused(404, "a soname page is /soname/SONAME");
                    }
                    yield cap(q, night, seg.get(1), true);
                }
                case "broken" -> broken(q, night);
                case "diff" -> diff(q, night);
                default -> throw new Refused(404, "no such page");
            };
        } catch (Refused e) {
            page = message(e.status, e.getMessage());
        } catch (Server.NoNight e) {
            page = message(503, e.getMessage());
        } catch (IndexException | IllegalArgumentException e) {
            page = message(400, e.getMessage());
        } catch (IOException e) {
            page = message(503, watch.dir() + ": cannot read index: " + e.getMessage());
        }
        return HttpFront.Response.of(page.status(), "text/html; charset=utf-8",
                frame(q, night, page).getBytes(StandardCharsets.UTF_8));
    }

    private static Page message(int status, String text) {
        return new Page(status, status == 404 ? "Not found" : "Cannot answer",
                new Html().raw("<p class=\"error\">").text(text).raw("</p>"));
    }

    // ---- the frame -----------------------------------------------------------------------------------

    private String frame(Query q, Shown night, Page page) {
        String at = q.params().containsKey("at") ? q.all("at").get(0) : null;
        String qv = q.params().containsKey("q") ? q.all("q").get(0) : "";
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
        h.raw(titleText(page.title())).raw(" - symdex</title>");
        h.raw("<link rel=\"stylesheet\" href=\"/static/style.css\"><script src=\"/static/enhance.js\" defer></script>");
        h.raw("</head><body><header><a class=\"home\" href=\"").raw(Html.url(new String[0], "at", at).replace("&", "&amp;"))
                .raw("\">symdex</a>");
        h.raw("<form action=\"/search\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" id=\"q\" "
                + "aria-label=\"capability, soname, path, package or symbol\" placeholder=\"libssl.so.3, "
                + "libc.so.6(GLIBC_2.38)(64bit), /usr/bin/ls, zlib1g, memcpy\" maxlength=\"4096\" value=\"");
        h.raw(attrValue(qv)).raw("\">");
        if (at != null) {
            h.raw("<input type=\"hidden\" name=\"at\" value=\"").raw(attrValue(at)).raw("\">");
        }
        h.raw("<button type=\"submit\">Search</button></form><nav>");
        h.link(Html.url(new String[] {"broken"}, "at", at), "broken").raw(" ");
        h.link(Html.url(new String[] {"diff"}, "at", at), "diff").raw(" ");
        h.link(Html.url(new String[] {"api", "v1", "info"}, "at", at), "API");
        h.raw("</nav></header>");
        if (night != null) {
            h.raw("<p class=\"night\">").text(shown)
                    .raw(": night ").text(Long.toString(night.generation())).raw(", finished ").text(night.finished())
                    .raw(" &middot; ");
            h.link(permalink(q, night), "permalink").raw("</p>");
        }
        h.raw("<main><h1>").text(page.title()).raw("</h1>").raw(page.body().toString()).raw("</main>");
        h.raw("<footer>symdex serve &middot; read-only &middot; the same answers as <code>symdex COMMAND --format json"
                + "</code> at <code>/api/v1/COMMAND</code></footer></body></html>\n");
        return h.toString();
    }

    /** This page with at=GENERATION: the same answer for as long as the night is kept. */
    private static String permalink(Query q, Shown night) {
        List<String> params = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : q.params().entrySet()) {
            if (!p.getKey().equals("at")) {
                for (String v : p.getValue()) {
                    params.add(p.getKey());
                    params.add(v);
                }
            }
        }
        params.add("at");
        params.add(Long.toString(night.generation()));
        String[] segs = q.segments().size() == 1 && q.segments().get(0).isEmpty() ? new String[0]
                : q.segments().toArray(String[]::new);
        return Html.url(segs, params.toArray(String[]::new));
    }

    /** The title element holds text only: escaped, odd bytes as \xNN without markup. */
    private static String titleText(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", c & 0xff));
            } else if (c == '<') {
                sb.append("&lt;");
            } else if (c == '>') {
                sb.append("&gt;");
            } else if (c == '&') {
                sb.append("&amp;");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The search box's value: what was typed, so that a second search sends the same bytes. Printable ASCII
     * escaped; valid UTF-8 without controls or bidi formatting as character references; anything else as
     * the \xNN text the pages show.
     */
    static String attrValue(String bytes) {
        StringBuilder sb = new StringBuilder();
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            decoded = null;
        }
        boolean safe = decoded != null && decoded.codePoints().noneMatch(cp -> cp < 0x20 || cp >= 0x7f && cp < 0xa0
                || Character.getType(cp) == Character.FORMAT);
        String s = safe ? decoded : bytes;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!safe && (c < 0x20 || c >= 0x7f)) {
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", c & 0xff));
            } else if (c >= 0x7f) {
                sb.append("&#").append((int) c).append(';');
            } else {
                switch (c) {
                    case '<' -> sb.append("&lt;");
                    case '>' -> sb.append("&gt;");
                    case '&' -> sb.append("&amp;");
                    case '"' -> sb.append("&quot;");
                    case '\'' -> sb.append("&#39;");
                    default -> sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    // ---- running the commands ----------------------------------------------------------------------------

    /** {@code symdex COMMAND --index DIR@GEN --format json OPTIONS -- POSITIONALS}, parsed. */
    private Map<String, Object> json(Shown night, String command, List<String> options, List<String> positionals)
            throws Refused {
        List<String> args = new ArrayList<>(List.of(command, "--index", watch.dir() + "@" + night.generation(),
                "--format", "json"));
        args.addAll(options);
        if (!positionals.isEmpty()) {
            args.add("--");
            args.addAll(positionals);
        }
        return parsed(api.run(args, night.night()), command);
    }

    private static Map<String, Object> parsed(Api.Run run, String command) throws Refused {
        if (run.tooLarge()) {
            throw new Refused(503, Api.tooLarge(command));
        }
        if (run.exit() > 2 || run.out().isEmpty() && run.exit() != 0) {
            String line = run.err().lines().findFirst().orElse("internal error");
            throw new Refused(run.exit() == 2 ? 400 : 500, line.replaceFirst("^symdex: ", ""));
        }
        if (run.out().isEmpty()) {
            return Map.of("notes", run.err());
        }
        Map<String, Object> m = JsonTree.parse(run.out());
        if (run.exit() == 2) {
            List<Map<String, Object>> errors = JsonTree.maps(m, "errors");
            throw new Refused(400, errors.isEmpty() ? command + ": bad request" : JsonTree.str(errors.get(0), "reason"));
        }
        return m;
    }

    /**
     * The night a page is answered from, and whether the request named it: then the page's links carry its
     * generation as at= (they stay on that night), else none (they follow the served night).
     */
    private record Shown(Nights.Night night, boolean pinned) {
        long generation() {
            return night.generation();
        }

        String finished() {
            return night.finished();
        }
    }

    private static String at(Shown night) {
        return night.pinned() ? Long.toString(night.generation()) : null;
    }

    // ---- home ---------------------------------------------------------------------------------------------

    private Page home(Query q, Shown night) throws IOException {
        Html h = new Html();
        h.raw("<p>Which packages provide and need which shared-library capabilities and symbol versions. Search for a "
                + "capability (<code>libc.so.6(GLIBC_2.38)(64bit)</code>, a glob <code>libssl.so.3(*)</code>), a soname "
                + "(<code>libz.so.1</code>), an installed path (<code>/usr/bin/curl</code>), a package name or a "
                + "symbol (<code>memcpy</code>, <code>EVP_*</code>).</p>");
        h.raw("<h2>Kept nights</h2><ul class=\"nights\">");
        List<Nights.Night> nights = new ArrayList<>(watch.nights());
        java.util.Collections.reverse(nights);
        for (Nights.Night n : nights) {
            h.raw("<li>");
            h.link(Html.url(new String[0], "at", Long.toString(n.generation())), "night " + n.generation());
            h.raw(" finished ").text(n.finished());
            if (n.generation() == night.generation()) {
                h.raw(" <strong>(shown)</strong>");
            }
            h.raw("</li>");
        }
        h.raw("</ul>");
        return new Page(200, "symdex", h);
    }

    // ---- search -------------------------------------------------------------------------------------------

    /** What a search string is, by issue 18's rules. */
    enum Kind { PATH, CAPABILITY, SONAME, NAME }

    static Kind kind(String q) {
        if (q.startsWith("/")) {
            return Kind.PATH;
        }
        if (q.contains("(")) {
            return Kind.CAPABILITY;
        }
        if (q.contains(".so")) {
            return Kind.SONAME;
        }
        return Kind.NAME;
    }

    static boolean isGlob(String q) {
        return Glob.hasWildcard(q);
    }

    /** A search for exactly this path: glob characters escaped, so that a path holding '[' is looked up as it is. */
    private String searchExactly(String path, Shown night) {
        return Html.url(new String[] {"search"}, "q", Glob.literal(path).text(), "at", at(night));
    }

    private Page search(Query q, Shown night) throws Refused, IndexException {
        String s = q.one("q");
        int page = pageNumber(q);
        Html h = new Html();
        if (s == null || s.isBlank()) {
            return new Page(200, "Search", h.raw("<p>Type a capability, soname, path, package name or symbol.</p>"));
        }
        if (s.chars().allMatch(c -> c == '*' || c == '?' || Character.isWhitespace(c))) {
            throw new Refused(400, "'" + s + "' matches everything: too broad; give part of a name");
        }
        Kind kind = kind(s);
        String glob = isGlob(s) ? " (a glob)" : "";
        switch (kind) {
            case PATH -> {
                h.raw("<p>An installed path").text(glob).raw(": the packages shipping an ELF file there, or a link to one.</p>");
                hitSection(h, q, night, "Shipped by", json(night, "whatprovides", List.of(), List.of(s)), page, "path");
            }
            case CAPABILITY, SONAME -> {
                boolean soname = kind == Kind.SONAME;
                h.raw("<p>").text(soname ? "A soname" : "A capability").text(glob).raw(". ");
                if (glob.isEmpty()) {
                    h.link(Html.url(new String[] {soname ? "soname" : "cap", s}, "at", at(night)),
                            soname ? "The soname's page" : "The capability's page");
                    h.raw(" shows which releases provide which version nodes.");
                }
                h.raw("</p>");
                hitSection(h, q, night, "Provided by", json(night, "whatprovides", List.of(), List.of(s)), page, "cap");
                hitSection(h, q, night, "Required by", json(night, "whatrequires", List.of(), List.of(s)), page, "cap");
            }
            case NAME -> {
                packagesSection(h, q, night, s, page);
                if (openSymbols(night)) {
                    hitSection(h, q, night, "Symbol defined by", json(night, "whatexports", List.of(), List.of(s)), page, "symbol");
                    hitSection(h, q, night, "Symbol imported by", json(night, "whatimports", List.of(), List.of(s)), page, "symbol");
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return new Page(200, "Search: " + s, h);
    }

    private boolean openSymbols(Shown night) throws IndexException {
        try (CapabilityIndex idx = IndexSnapshot.sharing(watch, () -> CapabilityIndex.open(ref(night)))) {
            return idx.hasSymbols();
        }
    }

    private IndexRef ref(Shown night) {
        return IndexRef.parse(watch.dir() + "@" + night.generation());
    }

    private static int pageNumber(Query q) throws Refused {
        String p = q.one("page");
        if (p == null) {
            return 1;
        }
        try {
            int n = Integer.parseInt(p);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new Refused(400, "page=" + p + ": a page number, 1 or more");
    }

    /** Packages by name: the argument as PKG (NAME, NAME=V, a glob), else as a substring of names. */
    private void packagesSection(Html h, Query q, Shown night, String s, int page) throws IndexException {
        List<IndexedPackage> found;
        try (CapabilityIndex idx = IndexSnapshot.sharing(watch, () -> CapabilityIndex.open(ref(night)))) {
            try {
                found = idx.resolve(s, QueryFilter.NONE);
                if (found.isEmpty() && !isGlob(s)) {
                    found = idx.resolve("*" + s.replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1") + "*", QueryFilter.NONE);
                }
            } catch (IllegalArgumentException e) {
                found = List.of();
            }
        }
        h.raw("<section><h2>Packages named like it (").text(Integer.toString(found.size())).raw(")</h2>");
        if (found.isEmpty()) {
            h.raw("<p class=\"none\">No package name matches.</p></section>");
            return;
        }
        h.raw("<ul class=\"packages\">");
        int from = (page - 1) * PAGE;
        for (IndexedPackage p : found.subList(Math.min(from, found.size()), Math.min(from + PAGE, found.size()))) {
            h.raw("<li>");
            packageLink(h, p.name(), p.evr(), p.arch(), night);
            labels(h, p.labels());
            h.raw("</li>");
        }
        h.raw("</ul>");
        pager(h, q, page, found.size());
        h.raw("</section>");
    }

    /** One section of hits (whatprovides/whatrequires/whatimports/whatexports json), grouped by package, paged. */
    private void hitSection(Html h, Query q, Shown night, String title, Map<String, Object> doc, int page, String what) {
        Map<String, List<Map<String, Object>>> byPackage = new LinkedHashMap<>();
        for (Map<String, Object> hit : JsonTree.maps(doc, "results")) {
            String key = JsonTree.str(hit, "name") + "\0" + JsonTree.str(hit, "version") + "\0" + JsonTree.str(hit, "arch")
                    + "\0" + JsonTree.str(hit, "packageFile");
            byPackage.computeIfAbsent(key, k -> new ArrayList<>()).add(hit);
        }
        h.raw("<section><h2>").text(title).raw(" (").text(Integer.toString(byPackage.size()))
                .raw(byPackage.size() == 1 ? " package" : " packages").raw(")</h2>");
        if (byPackage.isEmpty()) {
            h.raw("<p class=\"none\">Nothing.");
            for (Map<String, Object> s : JsonTree.maps(doc, "suggestions")) {
                for (String d : JsonTree.strings(s, "didYouMean")) {
                    h.raw(" Did you mean ");
                    h.codeLink(Html.url(new String[] {"search"}, "q", d, "at", at(night)), d);
                    h.raw("?");
                }
            }
            h.raw("</p></section>");
            return;
        }
        List<List<Map<String, Object>>> groups = new ArrayList<>(byPackage.values());
        int from = (page - 1) * PAGE;
        h.raw("<ul class=\"packages\">");
        for (List<Map<String, Object>> g : groups.subList(Math.min(from, groups.size()), Math.min(from + PAGE, groups.size()))) {
            Map<String, Object> p = g.get(0);
            h.raw("<li>");
            packageLink(h, JsonTree.str(p, "name"), JsonTree.str(p, "version"), JsonTree.str(p, "arch"), night);
            labels(h, JsonTree.strings(p, "labels"));
            h.raw("<ul class=\"hits\">");
            for (Map<String, Object> hit : g) {
                h.raw("<li>");
                String path = JsonTree.str(hit, "path");
                if (path == null) {
                    h.raw("<span class=\"what\">rpm header</span>");
                } else {
                    h.codeLink(searchExactly(path, night), path);
                }
                h.raw(" <span class=\"scope\">").text(JsonTree.str(hit, "scope")).raw("</span> ");
                if (what.equals("symbol")) {
                    h.code(JsonTree.str(hit, "symbol"));
                } else if (what.equals("path")) {
                    h.code(JsonTree.str(hit, "capability"));
                } else {
                    capLink(h, JsonTree.str(hit, "capability"), night);
                }
                h.raw("</li>");
            }
            h.raw("</ul></li>");
        }
        h.raw("</ul>");
        pager(h, q, page, groups.size());
        h.raw("</section>");
    }

    private void pager(Html h, Query q, int page, int total) {
        int pages = (total + PAGE - 1) / PAGE;
        if (pages <= 1) {
            return;
        }
        h.raw("<p class=\"pager\">Page ").text(Integer.toString(page)).raw(" of ").text(Integer.toString(pages)).raw(" ");
        if (page > 1) {
            h.link(withParam(q, "page", Integer.toString(page - 1)), "previous").raw(" ");
        }
        if (page < pages) {
            h.link(withParam(q, "page", Integer.toString(page + 1)), "next");
        }
        h.raw("</p>");
    }

    private static String withParam(Query q, String name, String value) {
        List<String> params = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : q.params().entrySet()) {
            if (!p.getKey().equals(name)) {
                for (String v : p.getValue()) {
                    params.add(p.getKey());
                    params.add(v);
                }
            }
        }
        params.add(name);
        params.add(value);
        return Html.url(q.segments().toArray(String[]::new), params.toArray(String[]::new));
    }

    private void packageLink(Html h, String name, String version, String arch, Shown night) {
        h.raw("<a class=\"pkg\" href=\"").raw(Html.url(new String[] {"package", name, version, arch}, "at", at(night))
                .replace("&", "&amp;")).raw("\"><code>").text(name).raw("</code> <span class=\"ver\">").text(version)
                .raw("</span> <span class=\"arch\">").text(arch).raw("</span></a>");
    }

    private void capLink(Html h, String cap, Shown night) {
        h.codeLink(Html.url(new String[] {"cap", cap}, "at", at(night)), cap);
    }

    private static void labels(Html h, List<String> labels) {
        h.raw(" <span class=\"labels\">from ");
        h.text(labels.isEmpty() ? "-" : String.join(", ", labels));
        h.raw("</span>");
    }

    // ---- package ------------------------------------------------------------------------------------------

    private Page pkg(Query q, Shown night, String name, String version, String arch) throws Refused, IndexException {
        String selector = name + ":" + arch + "=" + version;
        Map<String, Object> provides = json(night, "provides", List.of(), List.of(selector));
        List<Map<String, Object>> pkgs = JsonTree.maps(provides, "results");
        if (pkgs.isEmpty()) {
            throw new Refused(404, "no package " + name + " " + version + " " + arch + " in this night");
        }
        Map<String, Object> requires = json(night, "requires", List.of(), List.of(selector));
        Map<String, Object> users = json(night, "whatrequires", List.of("--of-package=" + selector), List.of());
        Html h = new Html();
        List<FileFacts> files = new ArrayList<>();
        boolean symbols = openSymbols(night);
        if (symbols) {
            try (IndexArchiveView view = IndexSnapshot.sharing(watch, () -> IndexArchiveView.open(ref(night)))) {
                for (PackageRef p : view.packagesNamed(name)) {
                    if (p.arch().equals(arch) && p.version().equals(JsonTree.str(pkgs.get(0), "version"))) {
                        files.addAll(view.filesOf(p));
                    }
                }
            } catch (IOException e) {
                throw new IndexException(watch.dir() + ": cannot read index: " + e.getMessage(), e);
            }
        }
        for (Map<String, Object> p : pkgs) {
            h.raw("<dl class=\"facts\"><dt>version</dt><dd>").text(JsonTree.str(p, "version"))
                    .raw("</dd><dt>architecture</dt><dd>").text(JsonTree.str(p, "arch"))
                    .raw("</dd><dt>source</dt><dd>").text(JsonTree.str(p, "source"))
                    .raw("</dd><dt>format</dt><dd>").text(JsonTree.str(p, "format"))
                    .raw("</dd><dt>labels</dt><dd>").text(String.join(", ", JsonTree.strings(p, "labels")))
                    .raw("</dd><dt>package file</dt><dd><code>").text(JsonTree.str(p, "packageFile")).raw("</code></dd></dl>");
        }
        if (!files.isEmpty()) {
            h.raw("<section><h2>ELF files (").text(Integer.toString(files.size())).raw(")</h2><ul class=\"files\">");
            files.sort(java.util.Comparator.comparing(FileFacts::path));
            for (FileFacts f : files) {
                h.raw("<li>");
                h.codeLink(searchExactly(f.path(), night), f.path());
                h.raw(" <span class=\"scope\">").text(f.scope().toString()).raw("</span>");
                if (f.soname() != null) {
                    h.raw("<div>soname ");
                    h.codeLink(Html.url(new String[] {"soname", f.soname()}, "at", at(night)), f.soname());
                    h.raw("</div>");
                }
                if (!f.needed().isEmpty()) {
                    h.raw("<div>NEEDED ");
                    boolean firstNeeded = true;
                    for (String n : f.needed()) {
                        h.raw(firstNeeded ? "" : ", ");
                        firstNeeded = false;
                        h.codeLink(Html.url(new String[] {"soname", n}, "at", at(night)), n);
                    }
                    h.raw("</div>");
                }
                h.raw("</li>");
            }
            h.raw("</ul></section>");
        } else if (!symbols) {
            h.raw("<p class=\"none\">This index was built without symbols: its files' sonames and NEEDED are not shown.</p>");
        }
        capList(h, "Provides", pkgs, "provides", night);
        capList(h, "Requires", JsonTree.maps(requires, "results"), "requires", night);
        hitSection(h, q, night, "Required by (who requires anything it provides)", users, pageNumber(q), "cap");
        return new Page(200, name + " " + version + " " + arch, h);
    }

    private void capList(Html h, String title, List<Map<String, Object>> pkgs, String key, Shown night) {
        TreeSet<String> caps = new TreeSet<>();
        for (Map<String, Object> p : pkgs) {
            caps.addAll(JsonTree.strings(p, key));
        }
        h.raw("<section><h2>").text(title).raw(" (").text(Integer.toString(caps.size())).raw(")</h2><ul class=\"caps\">");
        for (String c : caps) {
            h.raw("<li>");
            capLink(h, c, night);
            h.raw("</li>");
        }
        h.raw("</ul></section>");
    }

    // ---- capability and soname ----------------------------------------------------------------------------

    private Page cap(Query q, Shown night, String cap, boolean soname) throws Refused {
        int page = pageNumber(q);
        Html h = new Html();
        String base = soname ? cap : cap.contains("(") ? cap.substring(0, cap.indexOf('(')) : cap;
        if (!soname && !base.equals(cap) && base.contains(".so")) {
            h.raw("<p>Of the soname ");
            h.codeLink(Html.url(new String[] {"soname", base}, "at", at(night)), base);
            h.raw(".</p>");
        }
        String arg = isGlob(cap) ? cap.replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1") : cap;
        hitSection(h, q, night, "Provided by", json(night, "whatprovides", List.of(), List.of(arg)), page, "cap");
        hitSection(h, q, night, "Required by", json(night, "whatrequires", List.of(), List.of(arg)), page, "cap");
        if (base.contains(".so")) {
            matrix(h, night, base);
        }
        return new Page(200, (soname ? "Soname " : "Capability ") + cap, h);
    }

    /** Labels by version nodes of {@code soname}: which releases provide which nodes ({@code whatprovides --by-label}). */
    private void matrix(Html h, Shown night, String soname) throws Refused {
        String arg = soname.replaceAll("([\\\\\\[\\]{}*?])", "\\\\$1");
        Map<String, Object> doc = json(night, "whatprovides", List.of("--by-label"), List.of(arg));
        TreeMap<String, Map<String, long[]>> rows = new TreeMap<>();
        TreeSet<String> nodes = new TreeSet<>(Pages::versionOrder);
        for (Map<String, Object> r : JsonTree.maps(doc, "results")) {
            String label = JsonTree.str(r, "label");
            String c = JsonTree.str(r, "capability");
            Map<String, long[]> row = rows.computeIfAbsent(label, k -> new TreeMap<>());
            if (c == null || c.isEmpty() || JsonTree.num(r, "packages") == 0) {
                continue;
            }
            String node = node(c);
            nodes.add(node);
            long[] cell = row.computeIfAbsent(node, k -> new long[1]);
            cell[0] += JsonTree.num(r, "packages");
        }
        h.raw("<section><h2>Version nodes of ").code(soname).raw(" by label</h2>");
        if (nodes.isEmpty()) {
            h.raw("<p class=\"none\">No label provides it.</p></section>");
            return;
        }
        h.raw("<div class=\"scroll\"><table class=\"matrix\"><thead><tr><th>label</th>");
        for (String n : nodes) {
            h.raw("<th><code>").text(n.isEmpty() ? "(soname)" : n).raw("</code></th>");
        }
        h.raw("</tr></thead><tbody>");
        for (Map.Entry<String, Map<String, long[]>> row : rows.entrySet()) {
            h.raw("<tr><th>").text(row.getKey()).raw("</th>");
            for (String n : nodes) {
                long[] cell = row.getValue().get(n);
                h.raw(cell == null ? "<td class=\"no\">-</td>" : "<td class=\"yes\">").text(cell == null ? "" : Long.toString(cell[0]))
                        .raw(cell == null ? "" : "</td>");
            }
            h.raw("</tr>");
        }
        h.raw("</tbody></table></div><p class=\"note\">A number is how many packages of that label provide the node "
                + "(any scope); - none.</p></section>");
    }

    /** The version node of a capability: {@code GLIBC_2.34} of {@code libc.so.6(GLIBC_2.34)(64bit)}, "" for none. */
    static String node(String cap) {
        int open = cap.indexOf('(');
        if (open < 0) {
            return "";
        }
        int close = cap.indexOf(')', open);
        return close < 0 ? cap.substring(open + 1) : cap.substring(open + 1, close);
    }

    /** Version nodes in the order people read them: GLIBC_2.2.5 before GLIBC_2.10, numbers compared as numbers. */
    static int versionOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    // ---- broken -------------------------------------------------------------------------------------------

    private Page broken(Query q, Shown night) throws Refused {
        Map<String, Object> doc = json(night, "broken", List.of(), List.of());
        // missing soname -> capability -> requirers
        TreeMap<String, TreeMap<String, List<String[]>>> bySoname = new TreeMap<>();
        Map<String, Map<String, Object>> pkgOf = new LinkedHashMap<>();
        for (Map<String, Object> p : JsonTree.maps(doc, "results")) {
            String key = JsonTree.str(p, "packageFile") + "\0" + JsonTree.str(p, "universe");
            pkgOf.put(key, p);
            for (Map<String, Object> e : JsonTree.maps(p, "entries")) {
                String cap = JsonTree.str(e, "capability");
                String so = cap.contains("(") ? cap.substring(0, cap.indexOf('(')) : cap;
                bySoname.computeIfAbsent(so, k -> new TreeMap<>()).computeIfAbsent(cap, k -> new ArrayList<>())
                        .add(new String[] {key, JsonTree.str(e, "path"), JsonTree.str(e, "scope")});
            }
        }
        Html h = new Html();
        Map<String, Object> summary = JsonTree.map(doc, "summary");
        h.raw("<p>").text(Long.toString(JsonTree.num(summary, "packages"))).raw(" broken packages; ")
                .text(Long.toString(JsonTree.num(summary, "unsatisfiedTerms"))).raw(" of ")
                .text(Long.toString(JsonTree.num(summary, "requirementTerms")))
                .raw(" requirement terms unsatisfied, judged per universe as <code>symdex broken</code> judges them.</p>");
        if (bySoname.isEmpty()) {
            h.raw("<p class=\"none\">Nothing is broken.</p>");
        }
        for (Map.Entry<String, TreeMap<String, List<String[]>>> so : bySoname.entrySet()) {
            h.raw("<section class=\"missing\"><h2>");
            if (so.getKey().contains(".so")) {
                h.codeLink(Html.url(new String[] {"soname", so.getKey()}, "at", at(night)), so.getKey());
            } else {
                h.code(so.getKey());
            }
            h.raw("</h2>");
            for (Map.Entry<String, List<String[]>> c : so.getValue().entrySet()) {
                h.raw("<h3>");
                capLink(h, c.getKey(), night);
                h.raw("</h3><ul class=\"hits\">");
                for (String[] r : c.getValue()) {
                    Map<String, Object> p = pkgOf.get(r[0]);
                    h.raw("<li>");
                    packageLink(h, JsonTree.str(p, "name"), JsonTree.str(p, "version"), JsonTree.str(p, "arch"), night);
                    h.raw(" ");
                    if (r[1] == null) {
                        h.raw("<span class=\"what\">rpm header</span>");
                    } else {
                        h.code(r[1]);
                    }
                    h.raw(" <span class=\"scope\">").text(r[2]).raw("</span> <span class=\"labels\">universe ")
                            .text(JsonTree.str(p, "universe")).raw("</span></li>");
                }
                h.raw("</ul>");
            }
            h.raw("</section>");
        }
        return new Page(200, "Broken", h);
    }

    // ---- diff ---------------------------------------------------------------------------------------------

    private Page diff(Query q, Shown night) throws Refused, IOException, IndexException {
        String oldRef = q.one("old");
        java.util.Optional<Nights.Night> old = watch.resolve(oldRef == null ? "-1" : oldRef, night.night());
        Html h = new Html();
        if (old.isEmpty()) {
            h.raw("<p class=\"none\">").text(oldRef == null ? "This is the first kept night: nothing to compare with."
                    : "old=" + oldRef + ": no kept night matches.").raw("</p>");
            return new Page(oldRef == null ? 200 : 400, "Diff", h);
        }
        List<String> args = List.of("diff", "--format", "json", "--", watch.dir() + "@" + old.get().generation(),
                watch.dir() + "@" + night.generation());
        Map<String, Object> doc = parsed(api.run(args, night.night()), "diff");
        h.raw("<p>Night ");
        h.link(Html.url(new String[0], "at", Long.toString(old.get().generation())), Long.toString(old.get().generation()));
        h.raw(" (finished ").text(old.get().finished()).raw(") against night ").text(Long.toString(night.generation())).raw(" (finished ")
                .text(night.finished()).raw(").</p>");
        Map<String, Object> pk = JsonTree.map(doc, "packages");
        List<String> added = JsonTree.strings(pk, "added");
        List<String> removed = JsonTree.strings(pk, "removed");
        List<Map<String, Object>> updated = JsonTree.maps(pk, "updated");
        h.raw("<section><h2>Packages: ").text(added.size() + " added, " + removed.size() + " removed, " + updated.size()
                + " updated").raw("</h2><ul class=\"diff\">");
        added.forEach(a -> h.raw("<li><span class=\"add\">added</span> ").code(a).raw("</li>"));
        removed.forEach(a -> h.raw("<li><span class=\"del\">removed</span> ").code(a).raw("</li>"));
        for (Map<String, Object> u : updated) {
            h.raw("<li><span class=\"upd\">updated</span> ").code(JsonTree.str(u, "name") + "." + JsonTree.str(u, "arch"))
                    .raw(" ").text(JsonTree.str(u, "from")).raw(" &rarr; ").text(JsonTree.str(u, "to")).raw("</li>");
        }
        h.raw("</ul></section>");
        gone(h, "Capabilities no longer provided", JsonTree.maps(doc, "capabilitiesGone"), night, true);
        gone(h, "Exported symbols no longer provided", JsonTree.maps(doc, "symbolsGone"), night, false);
        long ofSonames = JsonTree.num(doc, "symbolsOfGoneSonames");
        if (ofSonames > 0) {
            h.raw("<p class=\"note\">And ").text(Long.toString(ofSonames))
                    .raw(" of sonames gone entirely, named under capabilities.</p>");
        }
        h.raw("<section><h2>Newly broken (").text(Long.toString(JsonTree.num(doc, "findings"))).raw(")</h2>");
        for (Map<String, Object> root : JsonTree.maps(doc, "results")) {
            h.raw("<h3>root cause ").code(JsonTree.str(root, "rootCause")).raw(" (").text(Long.toString(JsonTree.num(root, "count")))
                    .raw(")</h3>");
            for (Map<String, Object> src : JsonTree.maps(root, "sources")) {
                h.raw("<h4>source ").code(JsonTree.str(src, "source")).raw("</h4><ul class=\"hits\">");
                for (Map<String, Object> f : JsonTree.maps(src, "findings")) {
                    h.raw("<li>");
                    packageLink(h, JsonTree.str(f, "name"), JsonTree.str(f, "version"), JsonTree.str(f, "arch"), night);
                    h.raw(" ").code(JsonTree.str(f, "path")).raw(" needs ").code(JsonTree.str(f, "missing"))
                            .raw(" <span class=\"what\">").text(JsonTree.str(f, "reason")).raw("</span>");
                    if (JsonTree.str(f, "providerBefore") != null) {
                        h.raw(" (was ").code(JsonTree.str(f, "providerBefore")).raw(")");
                    }
                    h.raw("</li>");
                }
                h.raw("</ul>");
            }
        }
        h.raw("</section>");
        return new Page(200, "Diff", h);
    }

    private void gone(Html h, String title, List<Map<String, Object>> gone, Shown night, boolean caps) {
        h.raw("<section><h2>").text(title).raw(" (").text(Integer.toString(gone.size())).raw(")</h2><ul class=\"diff\">");
        for (Map<String, Object> g : gone) {
            h.raw("<li><span class=\"scope\">").text(JsonTree.str(g, "scope")).raw("</span> ");
            if (caps) {
                capLink(h, JsonTree.str(g, "item"), night);
            } else {
                h.code(JsonTree.str(g, "item"));
            }
            h.raw(" (was ").code(JsonTree.str(g, "providerBefore")).raw(")</li>");
        }
        h.raw("</ul></section>");
    }
}
