package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.mtasts.MtaSts;
import io.postbus.delivery.mtasts.StsPolicyCache;
import io.postbus.delivery.smtp.TestPki;
import io.postbus.delivery.smtp.TlsClient;
import io.postbus.delivery.smtp.TlsPolicy;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SMTP agent choosing TLS per destination: two MX hosts of example.test on 127.0.0.1 and
 * 127.0.0.2 (same port) with certificates from a test CA, names from a zone file, a TLS policy map,
 * and MTA-STS policies served over real HTTPS at mta-sts.example.test.
 */
class SmtpDeliveryAgentTlsTest {

    private static final byte[] MESSAGE = "Subject: tls\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
    private static TestPki pki;
    private static TestPki stranger;

    @TempDir
    Path dir;
    private Vertx vertx;
    private HttpsServer https;
    private volatile String policy;
    private final AtomicInteger policyFetches = new AtomicInteger();
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Postbus Test CA");
        stranger = TestPki.create("Untrusted CA");
    }

    @BeforeEach
    void policyServer() throws Exception {
        vertx = Vertx.vertx();
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(pki.issue("mta-sts.example.test").serverContext()));
        https.createContext("/.well-known/mta-sts.txt", exchange -> {
            policyFetches.incrementAndGet();
            byte[] body = policy.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
    }

    @AfterEach
    void stop() {
        https.stop(0);
        vertx.close();
    }

    private static ZoneFileResolver zone(String stsTxt) {
        return ZoneFileResolver.fromString("example.test.", """
                $TTL 300
                @         SOA ns hostmaster 1 1 1 1 1
                @         MX  10 mx1
                @         MX  20 mx2
                mx1       A   127.0.0.1
                mx2       A   127.0.0.2
                mta-sts   A   127.0.0.1
                """ + (stsTxt == null ? "" : "_mta-sts TXT \"" + stsTxt + "\"\n"));
    }

    private SmtpDeliveryAgent agent(ZoneFileResolver dns, TlsPolicy defaultLevel, String policyMap, boolean mtaSts)
            throws Exception {
        List<ReloadingTable> maps = new ArrayList<>();
        if (policyMap != null) {
            Path file = Files.writeString(dir.resolve("tls_policy"), policyMap);
            maps.add(new ReloadingTable(TableSource.postmap(file), Duration.ofSeconds(30), Clock.systemUTC()));
        }
        MtaSts sts = mtaSts ? new MtaSts(dns, new VertxStsPolicyFetcher(vertx, dns, pki.anchors(), Duration.ofSeconds(10),
                https.getAddress().getPort()), new StsPolicyCache(Clock.systemUTC(), 100, Duration.ofMinutes(5))) : null;
        OutboundTls tls = new OutboundTls(TlsClient.trusting(pki.anchors()), maps, sts, problems::add);
        return new SmtpDeliveryAgent(TestNet.vertx(), dns, new DeliverySettings("client.postbus.test", defaultLevel, Duration.ofSeconds(5),
                Duration.ofSeconds(5)), tls);
    }

    private static DeliveryRequest request(int port) {
        return new DeliveryRequest(Transport.SMTP, "example.test", "example.test:" + port, "a@x.test",
                List.of(new DeliveryRequest.Recipient("b@example.test", null, null)), MESSAGE, false, false, null, null);
    }

    @Test
    void policyMapVerifyMovesOnToTheNextMxWhenTheFirstCertificateNamesAnotherHost() throws Exception {
        try (TwoTlsMx s = TwoTlsMx.start(pki.issue("wrong.example.test").serverContext(), pki.issue("mx2.example.test").serverContext())) {
            DeliveryReport r = agent(zone(null), TlsPolicy.MAY, "example.test:" + "PORT verify\n".replace("PORT",
                    String.valueOf(s.port())), false).deliver(request(s.port()));
            assertThat(r.results()).extracting(DeliveryReport.RecipientResult::outcome)
                    .containsExactly(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.remoteHost()).isEqualTo("mx2.example.test");
            assertThat(r.tlsPeer()).isEqualTo("CN=mx2.example.test");
            assertThat(r.tlsDetail()).startsWith("TLS policy verify (policy map ").contains("verified");
            assertThat(s.mx1().connections()).as("tried, refused at the handshake, not retried in plain text")
                    .isEqualTo(1);
        }
    }

    @Test
    void verifyFailingEverywhereDefersWithTheCertificateProblem() throws Exception {
        try (TwoTlsMx s = TwoTlsMx.start(stranger.issue("mx1.example.test").serverContext(),
                pki.issueExpired("mx2.example.test").serverContext())) {
            DeliveryReport r = agent(zone(null), TlsPolicy.VERIFY, null, false).deliver(request(s.port()));
            DeliveryReport.RecipientResult result = r.results().get(0);
            assertThat(result.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
            assertThat(result.reply().enhancedStatus()).isEqualTo("4.7.5");
            assertThat(result.reply().text()).contains("server certificate not verified for mx2.example.test");
            assertThat(r.tlsDetail()).isEqualTo("TLS policy verify (default)");
        }
    }

    @Test
    void rfc8461Section42EnforceTriesOnlyListedMxHostsAndVerifiesThem() throws Exception {
        policy = "version: STSv1\nmode: enforce\nmx: mx2.example.test\nmax_age: 86400\n";
        try (TwoTlsMx s = TwoTlsMx.start(stranger.issue("mx1.example.test").serverContext(), pki.issue("mx2.example.test").serverContext())) {
            SmtpDeliveryAgent agent = agent(zone("v=STSv1; id=1;"), TlsPolicy.MAY, null, true);
            DeliveryReport r = agent.deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.remoteHost()).isEqualTo("mx2.example.test");
            assertThat(s.mx1().connections()).as("mx1 is not in the policy: never contacted").isZero();
            assertThat(r.tlsDetail()).startsWith("TLS policy verify (MTA-STS enforce, fetched policy id 1)")
                    .contains("CN=mx2.example.test verified");

            DeliveryReport again = agent.deliver(request(s.port()));
            assertThat(again.tlsDetail()).contains("cached policy id 1");
            assertThat(policyFetches).as("§3.3: the cached policy serves while the TXT id is unchanged").hasValue(1);
        }
    }

    @Test
    void rfc8461Section42EnforceWithNoListedMxDefers() throws Exception {
        policy = "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n";
        try (TwoTlsMx s = TwoTlsMx.start(pki.issue("mx1.example.test").serverContext(), pki.issue("mx2.example.test").serverContext())) {
            DeliveryReport r = agent(zone("v=STSv1; id=1;"), TlsPolicy.MAY, null, true).deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
            assertThat(r.results().get(0).reply().enhancedStatus()).isEqualTo("4.7.5");
            assertThat(r.results().get(0).reply().text()).contains("lists none of the MX hosts");
            assertThat(s.mx1().connections() + s.mx2().connections()).isZero();
        }
    }

    @Test
    void rfc8461Section5TestingDeliversAsUsualAndRecordsWhatEnforceWouldHaveRefused() throws Exception {
        policy = "version: STSv1\nmode: testing\nmx: mx2.example.test\nmax_age: 86400\n";
        try (TwoTlsMx s = TwoTlsMx.start(stranger.issue("mx1.example.test").serverContext(), pki.issue("mx2.example.test").serverContext())) {
            DeliveryReport r = agent(zone("v=STSv1; id=1;"), TlsPolicy.MAY, null, true).deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.remoteHost()).isEqualTo("mx1.example.test");
            assertThat(r.tlsDetail()).contains("TLS policy may (default; MTA-STS testing")
                    .contains("untrusted")
                    .endsWith("MTA-STS testing: enforce would have refused: MX host mx1.example.test is not in the policy,"
                            + " certificate untrusted");
        }
    }

    @Test
    void anExplicitPolicyMapEntryWinsOverMtaSts() throws Exception {
        policy = "version: STSv1\nmode: enforce\nmx: mx2.example.test\nmax_age: 86400\n";
        try (TwoTlsMx s = TwoTlsMx.start(stranger.issue("mx1.example.test").serverContext(), pki.issue("mx2.example.test").serverContext())) {
            DeliveryReport r = agent(zone("v=STSv1; id=1;"), TlsPolicy.MAY, "example.test may\n", true)
                    .deliver(request(s.port()));
            assertThat(r.remoteHost()).isEqualTo("mx1.example.test");
            assertThat(r.tlsDetail()).startsWith("TLS policy may (policy map ");
            assertThat(policyFetches).as("MTA-STS not even asked").hasValue(0);
        }
    }

    @Test
    void anUnsupportedLevelInThePolicyMapDefersInsteadOfSendingWithLess() throws Exception {
        try (TwoTlsMx s = TwoTlsMx.start(pki.issue("mx1.example.test").serverContext(), pki.issue("mx2.example.test").serverContext())) {
            DeliveryReport r = agent(zone(null), TlsPolicy.MAY, "example.test secure\n", false).deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
            assertThat(r.results().get(0).reply().text()).contains("unsupported security level: secure");
            assertThat(s.mx1().connections()).isZero();
        }
    }
}
