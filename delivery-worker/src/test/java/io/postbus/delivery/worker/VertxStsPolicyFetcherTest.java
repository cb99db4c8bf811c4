package io.postbus.delivery.worker;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.mtasts.StsPolicyFetcher;
import io.postbus.delivery.smtp.TestPki;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 8461 §3.3 policy fetching against a real HTTPS server: the name mta-sts.example.test comes
 * from a zone file, the certificate must be valid for it, redirects are not followed, only a 200
 * with text/plain counts, and bodies over 64 KiB are refused.
 */
class VertxStsPolicyFetcherTest {

    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
    private static TestPki pki;
    private final Vertx vertx = Vertx.vertx();
    private HttpsServer server;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Postbus Test CA");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        vertx.close();
    }

    private StsPolicyFetcher.Result fetch(SSLContext tls, HttpHandler handler) throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", handler);
        server.start();
        ZoneFileResolver dns = ZoneFileResolver.fromString("example.test.",
                "$TTL 300\n@ SOA ns hostmaster 1 1 1 1 1\nmta-sts A 127.0.0.1\n");
        return new VertxStsPolicyFetcher(vertx, dns, pki.anchors(), Duration.ofSeconds(10), server.getAddress().getPort())
                .fetch("example.test");
    }

    private static HttpHandler respond(int status, String type, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (type != null) {
                exchange.getResponseHeaders().add("Content-Type", type);
            }
            if (status / 100 == 3) {
                exchange.getResponseHeaders().add("Location", "https://mta-sts.example.test/other.txt");
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        };
    }

    @Test
    void aPolicyFromTheWellKnownPath() throws Exception {
        String[] path = new String[1];
        StsPolicyFetcher.Result r = fetch(pki.issue("mta-sts.example.test").serverContext(), exchange -> {
            path[0] = exchange.getRequestURI().getPath() + " host " + exchange.getRequestHeaders().getFirst("Host");
            respond(200, "text/plain; charset=utf-8", POLICY).handle(exchange);
        });
        assertThat(r).isEqualTo(new StsPolicyFetcher.Result.Body(POLICY));
        assertThat(path[0]).startsWith("/.well-known/mta-sts.txt host mta-sts.example.test");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        StsPolicyFetcher.Result r = fetch(pki.issue("www.example.test").serverContext(), respond(200, "text/plain", POLICY));
        assertThat(r).isInstanceOf(StsPolicyFetcher.Result.Failed.class);
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        StsPolicyFetcher.Result r = fetch(pki.issue("mta-sts.example.test").serverContext(),
                respond(301, "text/plain", ""));
        assertThat(r).isEqualTo(new StsPolicyFetcher.Result.Failed("HTTP status 301"));
    }

    @Test
    void onlyTextPlainCounts() throws Exception {
        StsPolicyFetcher.Result r = fetch(pki.issue("mta-sts.example.test").serverContext(),
                respond(200, "text/html", POLICY));
        assertThat(r).isInstanceOf(StsPolicyFetcher.Result.Failed.class);
        assertThat(((StsPolicyFetcher.Result.Failed) r).reason()).contains("text/html");
    }

    @Test
    void aBodyOver64KiBIsRefused() throws Exception {
        StsPolicyFetcher.Result r = fetch(pki.issue("mta-sts.example.test").serverContext(),
                respond(200, "text/plain", POLICY + "x".repeat(70_000)));
        assertThat(r).isInstanceOf(StsPolicyFetcher.Result.Failed.class);
        assertThat(((StsPolicyFetcher.Result.Failed) r).reason()).contains("larger than 65536");
    }

    @Test
    void noAddressForThePolicyHost() {
        ZoneFileResolver dns = ZoneFileResolver.fromString("example.test.", "$TTL 300\n@ SOA ns hostmaster 1 1 1 1 1\n");
        StsPolicyFetcher.Result r = new VertxStsPolicyFetcher(vertx, dns, pki.anchors(), Duration.ofSeconds(2), 443)
                .fetch("example.test");
        assertThat(r).isEqualTo(new StsPolicyFetcher.Result.Failed("no address for mta-sts.example.test"));
    }

}
