package org.symdex.cli.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.symdex.cli.Symdex;

/**
 * The index symdex serve's tests read, built once per test JVM under target/serve-fixture by {@code symdex
 * index} itself, in two nights: night 1 the base scenario, the codec fixtures and fixtures/query labelled
 * Debian/bookworm/main/amd64; night 2 libfoo1 1.4 (a version node added) and two hostile packages labelled
 * Debian/trixie/main/amd64. The hostile packages are made here with dpkg-deb from the committed ELF files
 * of fixtures/serve (built by its build.sh), installed under hostile paths; nothing is fetched.
 */
final class ServeFixture {
    static final String PWN = "window.__pwned=1";
    /** The hostile library's soname (elfdeps keeps only lib*.so* names, so the payload sits inside one). */
    static final String SONAME = "lib\"'><svg onload=" + PWN + ">.so.1";
    /** Installed paths: a scheme-like directory, and a name with ESC, U+202E (as UTF-8 bytes) and </script>. */
    static final String LIB_DIR = "/usr/lib/javascript:" + PWN;
    static final String APP_PATH = "/usr/bin/hostile-\u001b[2J-\u00e2\u0080\u00ae-app</script><img src=x onerror=" + PWN + ">";
    static final String IMG = "<img src=x onerror=" + PWN + ">";
    static final String SCRIPT = "</script><script>" + PWN + "</script>";

    private static Path index;

    private ServeFixture() {
    }

    static Path root() {
        String p = System.getProperty("symdex.root");
        if (p != null && Files.isDirectory(Path.of(p, "fixtures"))) {
            return Path.of(p);
        }
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("fixtures"))) {
            d = d.getParent();
        }
        return d;
    }

    /** The 2,000-character mangled name fixtures/serve/src/gen.py exports. */
    static String longName() {
        StringBuilder sb = new StringBuilder("_ZN");
        int n = 0;
        for (int i = 0; n < 1990; i++) {
            String w = String.format("Component%04dOfAVeryDeepNamespace", i);
            String part = w.length() + w;
            sb.append(part);
            n += part.length();
        }
        return sb.append("Ev").toString();
    }

    static synchronized Path index() throws Exception {
        if (index != null) {
            return index;
        }
        Path base = root().resolve("query-cli/target/serve-fixture");
        deleteTree(base);
        Path debs = base.resolve("debs");
        Files.createDirectories(debs);
        Path bin = root().resolve("fixtures/serve/bin");
        // The payload paths are bytes: Java names files in the platform charset, so the tree is made by sh.
        deb(base, debs, "hostile1", bin.resolve("libhostile.so.1"), LIB_DIR + "/libhostile.so.1");
        deb(base, debs, "hostile-app", bin.resolve("hostile-app"), APP_PATH);
        Path idx = base.resolve("idx");
        Path f = root().resolve("fixtures");
        run("index", "--index", idx.toString(), "--label", "Debian/bookworm/main/amd64",
                f.resolve("scenarios/base/deb").toString(), f.resolve("deb").toString(), f.resolve("query").toString());
        run("index", "--index", idx.toString(), "--label", "Debian/trixie/main/amd64",
                f.resolve("scenarios/node-added/deb").toString(), debs.toString());
        index = idx;
        return idx;
    }

    /** A .deb of one ELF file at {@code installed} (a byte string), built with dpkg-deb. */
    private static void deb(Path base, Path out, String name, Path elf, String installed) throws Exception {
        Path tree = base.resolve("tree-" + name);
        Files.createDirectories(tree.resolve("DEBIAN"));
        Files.writeString(tree.resolve("DEBIAN/control"), "Package: " + name + "\nVersion: 1.0-1\nArchitecture: amd64\n"
                + "Maintainer: symdex tests <tests@symdex.invalid>\nSource: hostile\nDescription: hostile names for symdex serve\n");
        Files.setPosixFilePermissions(tree.resolve("DEBIAN"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // The path goes to sh as bytes through an environment-free argument file: ISO-8859-1 keeps each byte.
        Path pathFile = base.resolve("path-" + name);
        Files.write(pathFile, installed.getBytes(StandardCharsets.ISO_8859_1));
        sh("p=$(cat '" + pathFile + "'); d=$(dirname \"$p\"); mkdir -p '" + tree + "'\"$d\" && cp '" + elf + "' '"
                + tree + "'\"$p\" && chmod 0755 '" + tree + "'\"$p\" && dpkg-deb --root-owner-group -Zxz -b '" + tree
                + "' '" + out.resolve(name + "_1.0-1_amd64.deb") + "' >/dev/null");
    }

    static String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("sh failed: " + script + "\n" + out);
        }
        return out;
    }

    /** One symdex call in this JVM: exit code, stdout, stderr. */
    record Cli(int code, String out, String err) {
    }

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Symdex.newCommandLine(args);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    private static void run(String... args) {
        Cli c = cli(args);
        if (c.code() != 0) {
            throw new IllegalStateException("symdex " + String.join(" ", args) + ": exit " + c.code() + "\n" + c.err());
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    /** A real {@code symdex serve} process: this JVM's java and class path, main class Symdex. */
    static final class ServerProcess implements AutoCloseable {
        final Process process;
        final String firstLine;
        final int port;
        final String origin;
        final StringBuilder err = new StringBuilder();

        ServerProcess(String... args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "org.symdex.cli.Symdex", "serve"));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).start();
            Thread t = new Thread(() -> {
                try (InputStream in = process.getErrorStream()) {
                    byte[] b = in.readAllBytes();
                    synchronized (err) {
                        err.append(new String(b, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            firstLine = r.readLine();
            if (firstLine == null || !firstLine.startsWith("symdex: serving ")) {
                process.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("serve did not start: " + firstLine + " / " + stderr());
            }
            origin = firstLine.substring(firstLine.indexOf(" on ") + 4, firstLine.length() - 1);
            port = Integer.parseInt(origin.substring(origin.lastIndexOf(':') + 1));
        }

        String stderr() {
            synchronized (err) {
                return err.toString();
            }
        }

        /** SIGTERM; the exit code. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                stop();
            }
        }
    }

    /** A response read off a raw socket: status, headers (lower-case names), body bytes. */
    record Http(int status, java.util.Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** GET over a raw socket, with the Host header given (null: none), Connection: close. */
    static Http get(int port, String target, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream o = s.getOutputStream();
            o.write(("GET " + target + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, end).split("\r\n");
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, c).toLowerCase(java.util.Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            return new Http(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    java.util.Arrays.copyOfRange(all, end + 4, all.length));
        }
    }

    static Http get(ServerProcess s, String target) throws IOException {
        return get(s.port, target, "127.0.0.1:" + s.port);
    }
}
