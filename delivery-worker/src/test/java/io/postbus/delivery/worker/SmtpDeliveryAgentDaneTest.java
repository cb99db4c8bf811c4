package io.postbus.delivery.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.dns.DnsResult.Failure.Kind;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.smtp.TestPki;
import io.postbus.delivery.smtp.TestNet;
import io.postbus.delivery.smtp.TlsClient;
import io.postbus.delivery.smtp.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DANE for SMTP end to end (RFC 7672): two MX hosts of example.test on 127.0.0.1 and 127.0.0.2
 * speaking real STARTTLS, names and TLSA records from a zone declared signed (or not), and the
 * agent's public behaviour: the delivery report. The servers' certificates come from a CA the
 * client does NOT trust, so only DANE can authenticate them.
 */
class SmtpDeliveryAgentDaneTest {

    private static final byte[] MESSAGE = "Subject: dane\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
    private static TestPki trusted;
    private static TestPki unknown;

    @BeforeAll
    static void pki() {
        trusted = TestPki.create("Trusted CA");
        unknown = TestPki.create("Operator's own CA");
    }

    /** "3 1 1 <sha256 of the key>", the record most DANE domains publish. */
    private static String daneEe(X509Certificate cert) throws Exception {
        return "3 1 1 " + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded()));
    }

    private static ZoneFileResolver zone(int port, String mx1Tlsa, String mx2Tlsa) {
        String text = """
                $TTL 300
                @         SOA ns hostmaster 1 1 1 1 1
                @         MX  10 mx1
                @         MX  20 mx2
                mx1       A   127.0.0.1
                mx2       A   127.0.0.2
                """
                + (mx1Tlsa == null ? "" : "_" + port + "._tcp.mx1 TLSA " + mx1Tlsa + "\n")
                + (mx2Tlsa == null ? "" : "_" + port + "._tcp.mx2 TLSA " + mx2Tlsa + "\n");
        return ZoneFileResolver.fromString("example.test.", text);
    }

    private static SmtpDeliveryAgent agent(ZoneFileResolver dns, TlsPolicy level) {
        OutboundTls tls = new OutboundTls(TlsClient.trusting(trusted.anchors()), List.of(), null, p -> { });
        return new SmtpDeliveryAgent(TestNet.vertx(), dns, new DeliverySettings("client.postbus.test", level, Duration.ofSeconds(5),
                Duration.ofSeconds(5)), tls);
    }

    private static DeliveryRequest request(int port) {
        return new DeliveryRequest(Transport.SMTP, "example.test", "example.test:" + port, "a@x.test",
                List.of(new DeliveryRequest.Recipient("b@example.test", null, null)), MESSAGE, false, false, null, null);
    }

    private static TwoTlsMx servers(TestPki.Identity mx1, TestPki.Identity mx2) throws Exception {
        return TwoTlsMx.start(mx1.serverContext(), mx2.serverContext());
    }

    @Test
    void rfc7672Section311MatchingDaneEeDeliversOverAuthenticatedTls() throws Exception {
        TestPki.Identity mx1 = unknown.issue("mx1.example.test");
        try (TwoTlsMx s = servers(mx1, unknown.issue("mx2.example.test"))) {
            ZoneFileResolver dns = zone(s.port(), daneEe(mx1.certificate()), null).withSignedZones("example.test");
            DeliveryReport r = agent(dns, TlsPolicy.DANE).deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.remoteHost()).isEqualTo("mx1.example.test");
            assertThat(r.tlsDetail()).startsWith("TLS policy dane (default); DANE TLSA _" + s.port()
                            + "._tcp.mx1.example.test (1 usable); TLSv1.")
                    .contains("peer CN=mx1.example.test verified by DANE DANE-EE(3) SPKI(1) SHA2-256(1) ");
        }
    }

    @Test
    void rfc7672Section312DaneTaDeliversWhenTheLeafNamesTheMxHost() throws Exception {
        TestPki.Identity mx1 = unknown.issue("mx1.example.test");
        try (TwoTlsMx s = servers(mx1, unknown.issue("mx2.example.test"))) {
            String ta = "2 0 1 " + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(unknown.caCertificate().getEncoded()));
            DeliveryReport r = agent(zone(s.port(), ta, null).withSignedZones("example.test"), TlsPolicy.DANE_ONLY)
                    .deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.tlsDetail()).contains("TLS policy dane-only").contains("verified by DANE DANE-TA(2) CERT(0)");
        }
    }

    @Test
    void rfc7672Section22MismatchingTlsaDefers475WithoutPlainTextFallback() throws Exception {
        TestPki.Identity mx1 = unknown.issue("mx1.example.test");
        TestPki.Identity mx2 = unknown.issue("mx2.example.test");
        TestPki.Identity rolledOver = unknown.issue("mx1.example.test"); // a key the servers do not use
        try (TwoTlsMx s = servers(mx1, mx2)) {
            ZoneFileResolver dns = zone(s.port(), daneEe(rolledOver.certificate()), daneEe(rolledOver.certificate()))
                    .withSignedZones("example.test");
            DeliveryReport r = agent(dns, TlsPolicy.DANE).deliver(request(s.port()));
            DeliveryReport.RecipientResult result = r.results().get(0);
            assertThat(result.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
            assertThat(result.reply().enhancedStatus()).isEqualTo("4.7.5");
            assertThat(result.reply().text()).contains("NO_MATCHING_TLSA");
            assertThat(s.mx1().connections()).as("one TLS attempt, no plain-text retry").isEqualTo(1);
            assertThat(s.mx2().connections()).isEqualTo(1);
        }
    }

    @Test
    void anUnsignedZoneFallsBackToOpportunisticTls() throws Exception {
        TestPki.Identity mx1 = unknown.issue("mx1.example.test");
        try (TwoTlsMx s = servers(mx1, unknown.issue("mx2.example.test"))) {
            // The same TLSA records, but nothing validated: DANE must not apply (RFC 7672 §2.2).
            TestPki.Identity other = unknown.issue("mx1.example.test");
            DeliveryReport r = agent(zone(s.port(), daneEe(other.certificate()), null), TlsPolicy.DANE)
                    .deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.remoteHost()).isEqualTo("mx1.example.test");
            assertThat(r.tlsDetail()).startsWith("TLS policy dane (default); DANE: MX RRset not DNSSEC-validated, may; TLSv1.")
                    .contains("untrusted");
        }
    }

    @Test
    void daneOnlyWithoutTlsaDefersWithoutConnecting() throws Exception {
        try (TwoTlsMx s = servers(unknown.issue("mx1.example.test"), unknown.issue("mx2.example.test"))) {
            DeliveryReport r = agent(zone(s.port(), null, null).withSignedZones("example.test"), TlsPolicy.DANE_ONLY)
                    .deliver(request(s.port()));
            DeliveryReport.RecipientResult result = r.results().get(0);
            assertThat(result.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
            assertThat(result.reply().enhancedStatus()).isEqualTo("4.7.5");
            assertThat(result.reply().text()).contains("dane-only").contains("no TLSA records at _" + s.port());
            assertThat(s.mx1().connections() + s.mx2().connections()).isZero();
        }
    }

    @Test
    void rfc7672Section22ATlsaLookupFailureSkipsThatHostOnly() throws Exception {
        TestPki.Identity mx2 = unknown.issue("mx2.example.test");
        try (TwoTlsMx s = servers(unknown.issue("mx1.example.test"), mx2)) {
            ZoneFileResolver dns = zone(s.port(), null, daneEe(mx2.certificate())).withSignedZones("example.test")
                    .withFailure("_" + s.port() + "._tcp.mx1.example.test", Kind.SERVFAIL);
            DeliveryReport r = agent(dns, TlsPolicy.DANE).deliver(request(s.port()));
            assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
            assertThat(r.remoteHost()).isEqualTo("mx2.example.test");
            assertThat(s.mx1().connections()).as("possibly an attack on mx1's TLSA: not contacted").isZero();
            assertThat(r.tlsDetail()).contains("verified by DANE DANE-EE(3)");
        }
    }
}
