package io.postbus.delivery.smtp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The TLS levels against real TLS servers with certificates from a throw-away CA: VERIFY checks the
 * chain (RFC 5280 path validation by the JDK) and the MX host name (RFC 6125 §6, DNS-ID) and sends
 * that name as SNI (RFC 6066 §3); ENCRYPT never falls back to plain text (RFC 3207 §4.1 leaves the
 * client to decide); MAY reports what the certificate proved but delivers anyway (RFC 7435).
 */
class SmtpConnectionTlsPolicyTest {

    private static final byte[] MESSAGE = "Subject: tls\r\n\r\nsecret\r\n".getBytes(StandardCharsets.US_ASCII);
    private static TestPki pki;
    private static TestPki stranger;
    private static SmtpClientConfig base;

    @BeforeAll
    static void pki() {
        pki = TestPki.create("Postbus Test CA");
        stranger = TestPki.create("Somebody Else's CA");
        base = SmtpClientConfig.defaults("client.postbus.test").withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)))
                .withTlsClient(TlsClient.trusting(pki.anchors()));
    }

    /** A server that offers STARTTLS, does the handshake with {@code tls} and takes one message. */
    private static ScriptedServer.Script delivering(SSLContext tls, List<String> sni) {
        return peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO client.postbus.test");
            peer.send("250-mx.test\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 ready\r\n");
            peer.startTls(tls);
            sni.addAll(peer.serverNames());
            peer.expect("EHLO client.postbus.test");
            peer.send("250 mx.test\r\n");
            peer.expect("MAIL FROM:<a@x.test>");
            peer.send("250 ok\r\n");
            peer.expect("RCPT TO:<b@y.test>");
            peer.send("250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        };
    }

    @Test
    void verifyAcceptsTheRightNameFromATrustedCaAndSendsItAsSni() throws Exception {
        List<String> sni = new CopyOnWriteArrayList<>();
        try (ScriptedServer server = new ScriptedServer(delivering(pki.issue("mx1.example.test").serverContext(), sni))) {
            try (SmtpConnection c = TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.VERIFY)); TestNet.Quit quit = TestNet.quitting(c)) {
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE);
                assertThat(r.allDelivered()).isTrue();
                assertThat(r.tls()).hasValueSatisfying(t -> {
                    assertThat(t.verification()).isEqualTo(PeerVerification.VERIFIED);
                    assertThat(t.peerSubject()).isEqualTo("CN=mx1.example.test");
                    assertThat(t.problem()).isNull();
                });
            }
            assertThat(sni).as("RFC 6066 §3 SNI = the MX host name").containsExactly("mx1.example.test");
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void verifyAcceptsAWildcardInTheLeftMostLabel() throws Exception {
        // RFC 6125 §6.4.3: *.example.test covers mx1.example.test.
        try (ScriptedServer server = new ScriptedServer(delivering(pki.issue("*.example.test").serverContext(),
                new CopyOnWriteArrayList<>()))) {
            try (SmtpConnection c = TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.VERIFY)); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.tls()).hasValueSatisfying(t -> assertThat(t.verification()).isEqualTo(PeerVerification.VERIFIED));
            }
        }
    }

    @Test
    void verifyRefusesACertificateForAnotherName() throws Exception {
        assertVerifyRefuses(pki.issue("other.example.test").serverContext(), "mx1.example.test");
    }

    @Test
    void verifyRefusesACertificateFromAnUntrustedCa() throws Exception {
        assertVerifyRefuses(stranger.issue("mx1.example.test").serverContext(), "mx1.example.test");
    }

    @Test
    void verifyRefusesAnExpiredCertificate() throws Exception {
        // RFC 5280 §6.1.3 (a)(2): the validity period is part of path validation.
        assertVerifyRefuses(pki.issueExpired("mx1.example.test").serverContext(), "mx1.example.test");
    }

    private static void assertVerifyRefuses(SSLContext serverTls, String host) throws Exception {
        try (ScriptedServer server = new ScriptedServer(delivering(serverTls, new CopyOnWriteArrayList<>()))) {
            SmtpException e = catchThrowableOfType(() -> TestNet.open(host, server.address(),
                    base.withTlsPolicy(TlsPolicy.VERIFY)), SmtpException.class);
            assertThat(e).isNotNull();
            assertThat(e.isTransient()).as("the next MX host may do better; retry later").isTrue();
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.CERTIFICATE);
            assertThat(e.getMessage()).contains("server certificate not verified");
            Thread.sleep(100); // let the server see the alert
            assertThat(server.connections()).as("no plain-text retry").isEqualTo(1);
        }
    }

    @Test
    void mayDeliversOverAnUntrustedCertificateAndSaysSo() throws Exception {
        try (ScriptedServer server = new ScriptedServer(delivering(stranger.issue("mx1.example.test").serverContext(),
                new CopyOnWriteArrayList<>()))) {
            try (SmtpConnection c = TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.MAY)); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE).allDelivered()).isTrue();
                assertThat(c.tls()).hasValueSatisfying(t -> {
                    assertThat(t.verification()).isEqualTo(PeerVerification.UNTRUSTED);
                    assertThat(t.problem()).isNotBlank();
                });
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void encryptTakesAWrongNameButReportsItAsTrustedOnly() throws Exception {
        try (ScriptedServer server = new ScriptedServer(delivering(pki.issue("other.example.test").serverContext(),
                new CopyOnWriteArrayList<>()))) {
            try (SmtpConnection c = TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.ENCRYPT)); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE).allDelivered()).isTrue();
                assertThat(c.tls()).hasValueSatisfying(t -> assertThat(t.verification()).isEqualTo(PeerVerification.TRUSTED));
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void encryptRefusesPlainTextWhenStartTlsIsNotOffered() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.test\r\n250 8BITMIME\r\n");
            // The client must not go on to MAIL FROM: the next line is QUIT or nothing.
            String next = peer.readLine();
            if (next != null && !next.startsWith("QUIT")) {
                throw new AssertionError("client went on in plain text: " + next);
            }
        })) {
            SmtpException e = catchThrowableOfType(() -> TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.ENCRYPT)), SmtpException.class);
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TLS_UNAVAILABLE);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("TLS is required, but was not offered");
            Thread.sleep(100);
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void encryptRefusesPlainTextWhenStartTlsIsRefused() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.test\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("454 4.7.0 TLS not available\r\n");
            peer.readLine();
        })) {
            SmtpException e = catchThrowableOfType(() -> TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.ENCRYPT)), SmtpException.class);
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TLS_UNAVAILABLE);
            assertThat(e.getMessage()).contains("454 4.7.0");
        }
    }

    @Test
    void encryptDoesNotFallBackAfterAFailedHandshake() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.test\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 ready\r\n");
            peer.send("this is not a TLS server hello\r\n");
            peer.close();
        })) {
            SmtpException e = catchThrowableOfType(() -> TestNet.open("mx1.example.test", server.address(),
                    base.withTlsPolicy(TlsPolicy.ENCRYPT)), SmtpException.class);
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TLS);
            Thread.sleep(100);
            assertThat(server.connections()).as("MAY would reconnect in plain text; ENCRYPT must not").isEqualTo(1);
        }
    }

    @Test
    void aConfiguredPemCaFileIsTrustedBesideTheJdkStore(@TempDir Path dir) throws Exception {
        TlsClient client = TlsClient.trusting(TrustAnchors.jdkDefaultsPlus(pki.writeCaPem(dir.resolve("ca.pem"))));
        try (ScriptedServer server = new ScriptedServer(delivering(pki.issue("mx1.example.test").serverContext(),
                new CopyOnWriteArrayList<>()))) {
            try (SmtpConnection c = TestNet.open("mx1.example.test", server.address(),
                    base.withTlsClient(client).withTlsPolicy(TlsPolicy.VERIFY)); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.tls()).hasValueSatisfying(t -> assertThat(t.verification()).isEqualTo(PeerVerification.VERIFIED));
            }
        }
        assertThat(TlsClient.jdkDefaults().anchors().trustManager().getAcceptedIssuers())
                .as("the JDK store alone does not know the test CA").doesNotContain(pki.caCertificate());
    }

    @Test
    void policyNamesAreThoseOfPostfix() {
        assertThat(TlsPolicy.fromPostfixName("verify")).contains(TlsPolicy.VERIFY);
        assertThat(TlsPolicy.fromPostfixName(" Encrypt ")).contains(TlsPolicy.ENCRYPT);
        assertThat(TlsPolicy.fromPostfixName("dane")).contains(TlsPolicy.DANE);
        assertThat(TlsPolicy.fromPostfixName("dane-only")).contains(TlsPolicy.DANE_ONLY);
        assertThat(TlsPolicy.DANE_ONLY.postfixName()).isEqualTo("dane-only");
        assertThat(TlsPolicy.fromPostfixName("secure")).isEmpty();
        assertThat(TlsPolicy.MAY.atLeast(TlsPolicy.VERIFY)).isEqualTo(TlsPolicy.VERIFY);
        assertThat(TlsPolicy.VERIFY.atLeast(TlsPolicy.MAY)).isEqualTo(TlsPolicy.VERIFY);
    }
}
