package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https: against a real TLS server on 127.0.0.1 with a certificate keytool makes for the test
 * (subject alternative name IP:127.0.0.1), trusted through the settings' SSLContext: the archive
 * reads as over http, a redirect from it to http is refused, and a client that does not trust the
 * certificate fails at once with one line.
 */
class HttpsTest {
    @TempDir
    static Path tls;

    @TempDir
    Path repo;

    private static SSLContext server;
    private static SSLContext client;

    @BeforeAll
    static void certificate() throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path ks = tls.resolve("server.p12");
        TestRepos.run(tls, keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore",
                ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);

        Certificate cert = keys.getCertificate("test");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("test", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
    }

    @Test
    void anArchiveOverHttpsReadsAndVerifies() throws Exception {
        TestRepos.debianArchive(repo);
        try (TestHttpServer s = TestHttpServer.https(repo, server)) {
            Fetcher f = Fetchers.standard(HttpFetcherTest.fast().withSslContext(client));
            SourceSpec spec = SourceParser.parseLine("deb [arch=amd64] " + s.uri("") + " bookworm main",
                    SourceDefaults.of("amd64")).specs().get(0);
            List<ListedPackage> ps = new SourceReader(f, SourceFilter.none()).read(spec).packages();
            assertEquals(7, ps.size());
            for (ListedPackage p : ps) {
                assertTrue(p.uri().toString().startsWith("https://127.0.0.1:"));
                try (VerifyingInputStream in = VerifyingInputStream.open(f, p)) {
                    assertEquals(p.size(), in.verify().size());
                }
            }
        }
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused() throws Exception {
        Files.writeString(repo.resolve("Release"), "not to be read");
        try (TestHttpServer plain = TestHttpServer.http(repo); TestHttpServer s = TestHttpServer.https(repo, server)) {
            s.on("dists/x/Release", (ex, srv) -> {
                ex.getResponseHeaders().set("Location", plain.uri("Release").toString());
                ex.sendResponseHeaders(301, -1);
            });
            // http to https is an upgrade, and followed
            plain.on("up", (ex, srv) -> {
                ex.getResponseHeaders().set("Location", s.uri("Release").toString());
                ex.sendResponseHeaders(302, -1);
            });
            HttpFetcher f = new HttpFetcher(HttpFetcherTest.fast().withSslContext(client));
            IOException e = assertThrows(IOException.class, () -> f.open(s.uri("dists/x/Release")));
            assertEquals("refused a redirect from https to http (" + plain.uri("Release") + ")", e.getMessage());
            assertEquals(List.of(), plain.requests(), "the http server is never asked");
            try (Fetched up = f.open(plain.uri("up")).orElseThrow()) {
                assertEquals("not to be read", new String(up.stream().readAllBytes()));
            }
        }
    }

    @Test
    void anUntrustedCertificateFailsAtOnceInOneLine() throws Exception {
        Files.writeString(repo.resolve("x"), "x");
        try (TestHttpServer s = TestHttpServer.https(repo, server)) {
            HttpFetcher f = new HttpFetcher(HttpSettings.defaults(Map.of()).withStallWindow(Duration.ofSeconds(5)));
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> f.open(s.uri("x")));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000, "not retried");
            assertTrue(e.getMessage().startsWith("TLS with 127.0.0.1:" + s.port() + " failed ("), e.getMessage());
            assertEquals(List.of(), s.requests());
        }
    }
}
