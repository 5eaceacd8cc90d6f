package org.symdex.cli.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON API against the CLI (issue 18, item 2): for each endpoint, requests whose body must be byte for
 * byte what {@code symdex COMMAND --index DIR@GENERATION --format json} prints in this JVM, with the exit
 * code in Symdex-Exit and the status it maps to; then paging, and what is refused.
 */
class ServeApiTest {
    static Path idx;
    static ServeFixture.ServerProcess server;
    static long night;

    @BeforeAll
    static void start() throws Exception {
        idx = ServeFixture.index();
        server = new ServeFixture.ServerProcess("--index", idx.toString(), "--listen", "127.0.0.1:0");
        ServeFixture.Http info = ServeFixture.get(server, "/api/v1/info");
        night = Long.parseLong(info.headers().get("symdex-night"));
    }

    @AfterAll
    static void stop() throws Exception {
        assertEquals(0, server.stop(), "SIGTERM: exit 0\n" + server.stderr());
    }

    /** A request: the API target's parameters (name, value pairs) and the CLI's arguments after the index. */
    record Case(String command, List<String> params, List<String> cli) {
    }

    static Case c(String command, String params, String... cli) {
        List<String> p = new ArrayList<>();
        if (!params.isEmpty()) {
            for (String kv : params.split("\u0001")) {
                int eq = kv.indexOf('=');
                p.add(kv.substring(0, eq));
                p.add(kv.substring(eq + 1));
            }
        }
        return new Case(command, p, List.of(cli));
    }

    static String target(Case k) {
        StringBuilder sb = new StringBuilder("/api/v1/" + k.command());
        for (int i = 0; i < k.params().size(); i += 2) {
            sb.append(i == 0 ? '?' : '&').append(Query.encode(k.params().get(i))).append('=')
                    .append(Query.encode(k.params().get(i + 1)));
        }
        return sb.toString();
    }

    static final String S = "\u0001";

    static List<Case> cases() {
        String libc34 = "libc.so.6(GLIBC_2.34)(64bit)";
        return List.of(
                c("whatprovides", "cap=libfoo.so.1", "libfoo.so.1"),
                c("whatprovides", "cap=libfoo.so.1(LIBFOO_1.0)(64bit)", "libfoo.so.1(LIBFOO_1.0)(64bit)"),
                c("whatprovides", "cap=libfoo.so.1" + S + "cap=libbar.so.1", "libfoo.so.1", "libbar.so.1"),
                c("whatprovides", "cap=/usr/lib/x86_64-linux-gnu/libfoo.so.1*" + S + "packages=true", "--packages",
                        "/usr/lib/x86_64-linux-gnu/libfoo.so.1*"),
                c("whatprovides", "cap=libfoo.so.1" + S + "by-label=true", "--by-label", "libfoo.so.1"),
                c("whatprovides", "cap=libfoo.so.1" + S + "label=Debian/trixie*", "--label=Debian/trixie*", "libfoo.so.1"),
                c("whatprovides", "cap=libfoo.so.1" + S + "packages=false" + S + "arch=amd64", "--arch=amd64", "libfoo.so.1"),
                c("whatprovides", "cap=libfoo.so.9(LIBFOO_1.0)(64bit)", "libfoo.so.9(LIBFOO_1.0)(64bit)"),
                c("whatprovides", "cap=" + ServeFixture.SONAME, ServeFixture.SONAME),
                c("whatprovides", "cap=libc.so.[6", "libc.so.[6"),
                c("whatrequires", "cap=" + libc34, libc34),
                c("whatrequires", "cap=" + libc34 + S + "recursive=true", "--recursive", libc34),
                c("whatrequires", "of-package=libfoo1", "--of-package=libfoo1"),
                c("whatrequires", "cap=*(GLIBC_*)*" + S + "not-source=glibc", "--not-source=glibc", "*(GLIBC_*)*"),
                c("whatrequires", "cap=-x", "-x"),
                c("whatimports", "symbol=" + ServeFixture.IMG, ServeFixture.IMG),
                c("whatimports", "symbol=foo_*", "foo_*"),
                c("whatexports", "symbol=*" + S + "packages=true", "--packages", "*"),
                c("whatexports", "symbol=" + ServeFixture.longName(), ServeFixture.longName()),
                c("provides", "package=libfoo1", "libfoo1"),
                c("requires", "package=hostile-app", "hostile-app"),
                c("requires", "package=nosuchpackage", "nosuchpackage"),
                c("broken", "", new String[0]),
                c("broken", "arch=i386", "--arch=i386"),
                c("broken", "arch=nosuch", "--arch=nosuch"),
                c("why", "package=foo32app" + S + "package=hostile-app", "foo32app", "hostile-app"),
                c("info", "", new String[0]),
                c("failures", "", new String[0]));
    }

    @Test
    void everyEndpointAnswersAsTheCli() throws Exception {
        String at = idx + "@" + night;
        int compared = 0;
        for (Case k : cases()) {
            List<String> args = new ArrayList<>(List.of(k.command(), "--index", at, "--format", "json"));
            List<String> positional = new ArrayList<>();
            for (String a : k.cli()) {
                (a.startsWith("--") ? args : positional).add(a);
            }
            if (!positional.isEmpty()) {
                args.add("--");
                args.addAll(positional);
            }
            ServeFixture.Cli want = ServeFixture.cli(args.toArray(String[]::new));
            ServeFixture.Http have = ServeFixture.get(server, target(k));
            String what = target(k) + " vs symdex " + String.join(" ", args);
            assertEquals(want.out(), have.text(), what);
            assertEquals(Integer.toString(want.code()), have.headers().get("symdex-exit"), what);
            assertEquals(want.code() <= 1 ? 200 : want.code() == 2 ? 400 : 500, have.status(), what);
            assertEquals("application/json", have.headers().get("content-type"), what);
            assertEquals("default-src 'self'", have.headers().get("content-security-policy"), what);
            compared++;
        }
        assertEquals(cases().size(), compared);
        // Every command of the API is among the cases, and each answered at least once with exit 0.
        for (String command : Api.COMMANDS.keySet()) {
            if (!command.equals("diff")) {
                assertTrue(cases().stream().anyMatch(k -> k.command().equals(command)), command);
            }
        }
    }

    @Test
    void withoutARefTheNewestNightIsTheIndex() throws Exception {
        // The served night is the newest: the same bytes as the CLI on the bare directory.
        ServeFixture.Cli want = ServeFixture.cli("whatrequires", "--index", idx.toString(), "--format", "json",
                "libfoo.so.1");
        assertEquals(want.out(), ServeFixture.get(server, "/api/v1/whatrequires?cap=libfoo.so.1").text());
    }

    @Test
    void diffBetweenKeptNights() throws Exception {
        List<String> gens = new ArrayList<>();
        for (Map<String, Object> n : JsonTree.maps(JsonTree.maps(JsonTree.parse(ServeFixture.get(server,
                "/api/v1/info").text()), "results").get(0), "nights")) {
            gens.add(String.valueOf(n.get("generation")));
        }
        assertEquals(2, gens.size(), gens.toString());
        ServeFixture.Cli want = ServeFixture.cli("diff", "--format", "json", idx + "@" + gens.get(0), idx + "@" + gens.get(1));
        assertTrue(want.out().contains("hostile1-1.0-1.amd64"), want.out());
        for (String t : List.of("/api/v1/diff", "/api/v1/diff?old=-1", "/api/v1/diff?old=" + gens.get(0) + "&new=" + gens.get(1),
                "/api/v1/diff?at=" + gens.get(1))) {
            ServeFixture.Http h = ServeFixture.get(server, t);
            assertEquals(want.out(), h.text(), t);
            assertEquals(Integer.toString(want.code()), h.headers().get("symdex-exit"), t);
        }
        // A night before the first: the CLI's JSON error envelope, 400.
        ServeFixture.Http none = ServeFixture.get(server, "/api/v1/diff?old=-5");
        assertEquals(400, none.status());
        assertTrue(none.text().startsWith("{\"schema\":\"symdex/1\",\"command\":\"diff\",\"results\":[],\"errors\":[{"),
                none.text());
        // at= the older night answers from it: whatprovides of a trixie package finds nothing there.
        ServeFixture.Cli old = ServeFixture.cli("whatprovides", "--index", idx + "@" + gens.get(0), "--format", "json",
                ServeFixture.SONAME);
        assertEquals(1, old.code());
        ServeFixture.Http h = ServeFixture.get(server, "/api/v1/whatprovides?at=-1&cap=" + Query.encode(ServeFixture.SONAME));
        assertEquals(old.out(), h.text());
        assertEquals(gens.get(0), h.headers().get("symdex-night"));
    }

    @Test
    void pagesSliceResults() throws Exception {
        String full = ServeFixture.cli("whatprovides", "--index", idx + "@" + night, "--format", "json", "lib*").out();
        List<Map<String, Object>> all = JsonTree.maps(JsonTree.parse(full), "results");
        assertTrue(all.size() > 20, "fixture too small: " + all.size());
        ServeFixture.Http h = ServeFixture.get(server, "/api/v1/whatprovides?cap=lib*&limit=7&offset=5");
        Map<String, Object> doc = JsonTree.parse(h.text());
        assertEquals(all.subList(5, 12), JsonTree.maps(doc, "results"));
        assertEquals(Map.of("offset", 5L, "limit", 7L, "total", (long) all.size()), JsonTree.map(doc, "page"));
        // Everything but results and page is the CLI's.
        Map<String, Object> rest = new java.util.LinkedHashMap<>(doc);
        rest.remove("results");
        rest.remove("page");
        Map<String, Object> cliRest = new java.util.LinkedHashMap<>(JsonTree.parse(full));
        cliRest.remove("results");
        assertEquals(cliRest, rest);
        // Past the end: an empty slice, the total still said.
        Map<String, Object> past = JsonTree.parse(ServeFixture.get(server, "/api/v1/whatprovides?cap=lib*&offset=100000").text());
        assertEquals(List.of(), JsonTree.maps(past, "results"));
        assertEquals((long) all.size(), JsonTree.map(past, "page").get("total"));
        // The splice keeps the CLI's bytes: sliced from the whole, it is the same text as a slice made here.
        assertEquals(JsonSlice.slice(full, 5, 7, all.size()), h.text());
    }

    @Test
    void refusals() throws Exception {
        for (String t : List.of("/api/v1/whatprovides?cap=x&bogus=1", "/api/v1/whatprovides?cap=x&packages=yes",
                "/api/v1/whatprovides?cap=x&limit=0", "/api/v1/whatprovides?cap=x&limit=1001",
                "/api/v1/whatprovides?cap=x&offset=-1", "/api/v1/whatprovides?cap=x&index=/etc",
                "/api/v1/whatprovides?cap=x&format=tsv", "/api/v1/broken?only-new=/etc",
                "/api/v1/whatprovides?cap=x&at=99999", "/api/v1/whatprovides?cap=x&at=nonsense")) {
            ServeFixture.Http h = ServeFixture.get(server, t);
            assertEquals(400, h.status(), t + ": " + h.text());
            assertEquals("2", h.headers().get("symdex-exit"), t);
            Map<String, Object> doc = JsonTree.parse(h.text());
            assertEquals("symdex/1", doc.get("schema"), t);
            assertEquals(List.of(), doc.get("results"), t);
            assertFalse(JsonTree.maps(doc, "errors").isEmpty(), t);
        }
        assertEquals(404, ServeFixture.get(server, "/api/v1/upgrade-report").status());
        assertEquals(404, ServeFixture.get(server, "/api/v1/index?x=1").status());
        assertEquals(404, ServeFixture.get(server, "/api/v2/info").status());
        // The Host check: another name (DNS rebinding), none at all; localhost is this server on loopback.
        assertEquals(421, ServeFixture.get(server.port, "/api/v1/info", "evil.example").status());
        assertEquals(421, ServeFixture.get(server.port, "/api/v1/info", "evil.example:" + server.port).status());
        assertEquals(421, ServeFixture.get(server.port, "/api/v1/info", null).status());
        assertEquals(200, ServeFixture.get(server.port, "/api/v1/info", "localhost:" + server.port).status());
        // q (and every value) at most 4 KiB.
        assertEquals(400, ServeFixture.get(server, "/search?q=" + "a".repeat(4097)).status());
        assertEquals(200, ServeFixture.get(server, "/search?q=" + "a".repeat(4096)).status());
        // A bare * is too broad.
        assertEquals(400, ServeFixture.get(server, "/search?q=*").status());
        assertEquals(400, ServeFixture.get(server, "/search?q=**").status());
    }
}
