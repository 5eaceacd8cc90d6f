package org.symdex.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages (issue 18, items 3 and 4) over raw HTTP: what each shows for the fixture index, at=REF and
 * permalinks, and that no hostile package string reaches the markup as markup: every page that shows one
 * is searched for a tag, a scheme in a link, a raw control byte or a raw bidi override.
 */
class ServePagesTest {
    static Path idx;
    static ServeFixture.ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        idx = ServeFixture.index();
        server = new ServeFixture.ServerProcess("--index", idx.toString(), "--listen", "127.0.0.1:0");
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, server.stop(), server.stderr());
    }

    static String page(String target, int status) throws Exception {
        ServeFixture.Http h = ServeFixture.get(server, target);
        String body = new String(h.body(), StandardCharsets.UTF_8);
        assertEquals(status, h.status(), target + "\n" + body);
        assertEquals("text/html; charset=utf-8", h.headers().get("content-type"), target);
        assertEquals("default-src 'self'", h.headers().get("content-security-policy"), target);
        safe(target, body);
        return body;
    }

    static final Pattern HREF = Pattern.compile("(?:href|src|action)=\"([^\"]*)\"");
    static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z0-9]+)");
    static final List<String> TAGS = List.of("html", "head", "meta", "title", "link", "script", "body", "header", "a",
            "form", "input", "button", "nav", "p", "main", "h1", "h2", "h3", "h4", "section", "ul", "li", "code", "span",
            "strong", "footer", "dl", "dt", "dd", "div", "table", "thead", "tbody", "tr", "th", "td");

    /** What every page must hold to: only this code's tags, links on this server, no raw odd bytes. */
    static void safe(String target, String body) {
        Matcher t = TAG.matcher(body);
        while (t.find()) {
            assertTrue(TAGS.contains(t.group(2)), target + ": tag <" + t.group(1) + t.group(2) + "> not ours");
        }
        assertEquals(1, count(body, "<script"), target + ": one script element, the enhancer");
        assertTrue(body.contains("<script src=\"/static/enhance.js\" defer></script>"), target);
        Matcher m = HREF.matcher(body);
        while (m.find()) {
            String u = m.group(1);
            assertTrue(u.startsWith("/") && !u.startsWith("//"), target + ": link off this server: " + u);
        }
        for (char c : body.toCharArray()) {
            assertFalse(c < 0x20 && c != '\n' || c == 0x7f, target + ": raw control byte " + (int) c);
            assertFalse(c == '\u202e' || c == '\u202d' || c == '\u2066', target + ": raw bidi control");
        }
        assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(body.replaceAll("&[a-z#0-9]+;[^<]*", ""))
                .find(), target + ": an event attribute");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static String q(String s) {
        return Query.encode(s);
    }

    @Test
    void searchSortsTheQueryByItsShape() throws Exception {
        // A soname: providers and requirers, a link to its page, packages grouped with their labels.
        String so = page("/search?q=libfoo.so.1", 200);
        assertTrue(so.contains("<h1>Search: libfoo.so.1</h1>"), so);
        assertTrue(so.contains("href=\"/soname/libfoo.so.1\""), so);
        assertTrue(so.contains("<h2>Provided by ("), so);
        assertTrue(so.contains("<h2>Required by ("), so);
        assertTrue(so.contains("href=\"/package/libfoo1/1.4-1/amd64\""), so);
        assertTrue(so.contains("from Debian/trixie/main/amd64"), so);
        // A capability glob: no page link (a glob is not one capability), both sections.
        String glob = page("/search?q=" + q("libc.so.6(GLIBC_2.3*)(64bit)"), 200);
        assertTrue(glob.contains("A capability (a glob)"), glob);
        assertFalse(glob.contains("The capability's page"), glob);
        // A path.
        String path = page("/search?q=" + q("/usr/lib/x86_64-linux-gnu/libfoo.so.1*"), 200);
        assertTrue(path.contains("<h2>Shipped by ("), path);
        // A name: packages and symbols, two sections.
        String name = page("/search?q=fooapp", 200);
        assertTrue(name.contains("<h2>Packages named like it ("), name);
        assertTrue(name.contains("<h2>Symbol defined by ("), name);
        assertTrue(name.contains("<h2>Symbol imported by ("), name);
        assertTrue(name.contains("href=\"/package/fooapp/1.0-1/amd64\""), name);
        // Nothing found: did you mean.
        String typo = page("/search?q=libfoo.so.2", 200);
        assertTrue(typo.contains("Nothing."), typo);
        // Too broad, too long.
        page("/search?q=*", 400);
        page("/search?q=%3F*", 400);
        assertEquals(400, ServeFixture.get(server, "/search?q=" + "x".repeat(4097)).status());
        page("/search?q=x&page=0", 400);
    }

    @Test
    void packageCapabilityAndSonamePages() throws Exception {
        String p = page("/package/libfoo1/1.4-1/amd64", 200);
        assertTrue(p.contains("<h2>ELF files ("), p);
        assertTrue(p.contains("soname <a href=\"/soname/libfoo.so.1\">"), p);
        assertTrue(p.contains("href=\"/cap/libfoo.so.1(LIBFOO_3.0)(64bit)\""), p);
        page("/package/libfoo1/9.9/amd64", 404);
        page("/package/libfoo1", 404);
        String cap = page("/cap/" + q("libfoo.so.1(LIBFOO_1.0)(64bit)"), 200);
        assertTrue(cap.contains("href=\"/package/libfoo1/1.4-1/amd64\""), cap);
        // The soname's matrix: labels by version nodes; trixie's libfoo1 1.4 adds LIBFOO_3.0, which bookworm lacks.
        String so = page("/soname/libfoo.so.1", 200);
        assertTrue(so.contains("<table class=\"matrix\">"), so);
        String table = so.substring(so.indexOf("<table class=\"matrix\">"), so.indexOf("</table>"));
        assertTrue(table.contains("<th><code>LIBFOO_3.0</code></th>"), table);
        String bookworm = row(table, "Debian/bookworm/main/amd64");
        String trixie = row(table, "Debian/trixie/main/amd64");
        List<String> nodes = new ArrayList<>();
        Matcher m = Pattern.compile("<th><code>([^<]*)</code></th>").matcher(table);
        while (m.find()) {
            nodes.add(m.group(1));
        }
        int col = nodes.indexOf("LIBFOO_3.0");
        assertEquals("-", cells(bookworm).get(col), bookworm);
        assertEquals("1", cells(trixie).get(col), trixie);
        // Nodes in reading order: numbers compared as numbers.
        assertTrue(nodes.indexOf("LIBFOO_1.0") < nodes.indexOf("LIBFOO_2.0") && nodes.indexOf("LIBFOO_2.0") < col, nodes.toString());
    }

    static String row(String table, String label) {
        int i = table.indexOf("<tr><th>" + label + "</th>");
        assertTrue(i >= 0, label + " row: " + table);
        return table.substring(i, table.indexOf("</tr>", i));
    }

    static List<String> cells(String row) {
        List<String> c = new ArrayList<>();
        Matcher m = Pattern.compile("<td[^>]*>([^<]*)</td>").matcher(row);
        while (m.find()) {
            c.add(m.group(1));
        }
        return c;
    }

    @Test
    void brokenAndDiffPages() throws Exception {
        String b = page("/broken", 200);
        assertTrue(b.contains("broken packages;"), b);
        // Grouped by missing soname, then capability, then requirers.
        int so = b.indexOf("<h2><a href=\"/soname/libfoo32.so.1\">");
        int cap = b.indexOf("<h3><a href=\"/cap/libfoo32.so.1(LIBFOO_1.0)\">");
        assertTrue(so >= 0 && cap > so, b);
        assertTrue(b.indexOf("href=\"/package/foo32app/1.0-1/i386\"", cap) > cap, b);
        String d = page("/diff", 200);
        assertTrue(d.contains("<span class=\"add\">added</span> <code>hostile1-1.0-1.amd64</code>"), d);
        assertTrue(d.contains("<span class=\"add\">added</span> <code>libfoo1-1.4-1.amd64</code>"), d);
        // The first night has nothing before it.
        String first = page("/diff?at=-1", 200);
        assertTrue(first.contains("This is the first kept night"), first);
    }

    @Test
    void atRefAndPermalinks() throws Exception {
        ServeFixture.Http info = ServeFixture.get(server, "/api/v1/info");
        String night = info.headers().get("symdex-night");
        String now = page("/search?q=libfoo.so.1", 200);
        // Unpinned: links follow the served night; the permalink names it.
        assertTrue(now.contains("href=\"/search?q=libfoo.so.1&amp;at=" + night + "\">permalink</a>"), now);
        assertFalse(now.contains("href=\"/package/libfoo1/1.4-1/amd64?at="), now);
        // The night before: libfoo1 was 1.0 then, and every link stays on that night.
        String before = page("/search?q=libfoo.so.1&at=-1", 200);
        long old = Long.parseLong(night) - 1;
        assertTrue(before.contains(": night " + old + ","), before);
        assertTrue(before.contains("href=\"/package/libfoo1/1.0-1/amd64?at=" + old + "\""), before);
        assertFalse(before.contains("1.4-1"), before);
        assertTrue(before.contains("<input type=\"hidden\" name=\"at\" value=\"-1\">"), before);
        page("/search?q=libfoo.so.1&at=99999", 400);
        page("/search?q=libfoo.so.1&at=yesterday", 400);
        page("/nosuchpage", 404);
    }

    @Test
    void hostileNamesShowAsTextOnEveryPage() throws Exception {
        List<String> targets = List.of(
                "/search?q=" + q(ServeFixture.IMG),
                "/search?q=" + q(ServeFixture.SCRIPT),
                "/search?q=" + q(ServeFixture.SONAME),
                "/search?q=" + q(ServeFixture.LIB_DIR + "/libhostile.so.1"),
                "/search?q=" + q(org.symdex.query.Glob.literal(ServeFixture.APP_PATH).text()),
                "/search?q=" + q("\u001b[31mred\u001b[0m\u001b]0;title\u0007"),
                "/search?q=" + q("evil\u00e2\u0080\u00aetxt.exe"),
                "/search?q=hostile",
                "/search?q=" + q("javascript:*"),
                "/package/hostile1/1.0-1/amd64",
                "/package/hostile-app/1.0-1/amd64",
                "/soname/" + q(ServeFixture.SONAME),
                "/cap/" + q(ServeFixture.SONAME + "(HOSTILE_1.0)(64bit)"),
                "/broken",
                "/diff");
        for (String t : targets) {
            page(t, 200); // safe() checks each
        }
        String app = page("/package/hostile-app/1.0-1/amd64", 200);
        // The payloads are there, as text.
        assertTrue(app.contains("&lt;img src=x onerror=window.__pwned=1&gt;"), app);
        assertTrue(app.contains("lib&quot;&#39;&gt;&lt;svg onload=window.__pwned=1&gt;.so.1"), app);
        assertTrue(app.contains("&lt;/script&gt;"), app);
        // ESC and U+202E's bytes as \xNN in a marked span.
        assertTrue(app.contains("<span class=\"x\">\\x1b</span>[2J-<span class=\"x\">\\xe2\\x80\\xae</span>-app"), app);
        // Links carry the bytes percent-encoded, on this server.
        assertTrue(app.contains("href=\"/search?q=%2Fusr%2Fbin%2Fhostile-%1B%5C%5B2J-%E2%80%AE-app%3C%2Fscript%3E"), app);
        String lib = page("/package/hostile1/1.0-1/amd64", 200);
        assertTrue(lib.contains("href=\"/search?q=%2Fusr%2Flib%2Fjavascript:window.__pwned%3D1%2Flibhostile.so.1\""), lib);
        assertTrue(lib.contains("href=\"/soname/lib%22%27%3E%3Csvg%20onload%3Dwindow.__pwned%3D1%3E.so.1\""), lib);
        assertTrue(app.contains("NEEDED <a href=\"/soname/lib%22%27%3E%3Csvg%20onload%3Dwindow.__pwned%3D1%3E.so.1\">"), app);
        // The search box gives back what was typed, escaped in the attribute.
        String s = page("/search?q=" + q(ServeFixture.SCRIPT), 200);
        assertTrue(s.contains("value=\"&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;\""), s);
        // The 2,000-character name is found and shown whole.
        String longName = page("/search?q=" + q(ServeFixture.longName()), 200);
        assertTrue(longName.contains("<code>" + ServeFixture.longName()), "long name");
    }
}
