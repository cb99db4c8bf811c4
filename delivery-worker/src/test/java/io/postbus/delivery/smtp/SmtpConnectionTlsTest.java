package io.postbus.delivery.smtp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STARTTLS under {@link TlsPolicy#MAY} (RFC 3207): a self-signed certificate is accepted, a
 * failed handshake falls back to a fresh plain-text connection, a refused STARTTLS carries on.
 */
class SmtpConnectionTlsTest {

    private static final SmtpClientConfig MAY = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)));
    private static final byte[] MESSAGE = "Subject: tls\r\n\r\nsecret\r\n".getBytes(StandardCharsets.US_ASCII);

    private static SSLContext serverTls;

    /** A self-signed certificate made by the JDK's keytool, so no key material lives in the repo. */
    @BeforeAll
    static void makeCertificate(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("mx.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=mx.test",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
    }

    @Test
    void selfSignedServerGetsAnEncryptedSession() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO client.postbus.test");
            peer.send("250-mx.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 ready\r\n");
            peer.startTls(serverTls);
            peer.expect("EHLO client.postbus.test"); // RFC 3207 §4.2: EHLO again inside TLS
            peer.send("250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
            peer.expect("MAIL FROM:<a@x.test>");
            peer.expect("RCPT TO:<b@y.test>");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            assertThat(peer.readData()).isEqualTo(MESSAGE);
            peer.send("250 2.0.0 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), MAY); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.capabilities().eightBitMime()).as("capabilities from after TLS").isTrue();
                assertThat(c.capabilities().startTls()).isFalse();
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE);
                assertThat(r.allDelivered()).isTrue();
                assertThat(r.tls()).hasValueSatisfying(tls -> {
                    assertThat(tls.protocol()).startsWith("TLSv1.");
                    assertThat(tls.cipherSuite()).startsWith("TLS_");
                });
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void failedHandshakeReconnectsOnceInPlainText() throws Exception {
        try (ScriptedServer server = new ScriptedServer(
                peer -> {
                    peer.send("220 mx.test ESMTP\r\n");
                    peer.expect("EHLO");
                    peer.send("250-mx.test\r\n250 STARTTLS\r\n");
                    peer.expect("STARTTLS");
                    peer.send("220 2.0.0 ready\r\n");
                    peer.send("this is not a TLS server hello\r\n"); // broken TLS
                    peer.close();
                },
                peer -> {
                    peer.send("220 mx.test ESMTP\r\n");
                    peer.expect("EHLO");
                    peer.send("250-mx.test\r\n250 STARTTLS\r\n");
                    peer.expect("MAIL FROM:<a@x.test>"); // no second STARTTLS
                    peer.send("250 ok\r\n");
                    peer.expect("RCPT TO:<b@y.test>");
                    peer.send("250 ok\r\n");
                    peer.expect("DATA");
                    peer.send("354 go\r\n");
                    peer.readData();
                    peer.send("250 queued\r\n");
                    peer.expect("QUIT");
                    peer.send("221 bye\r\n");
                })) {
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), MAY); TestNet.Quit quit = TestNet.quitting(c)) {
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE);
                assertThat(r.allDelivered()).isTrue();
                assertThat(r.tls()).isEmpty();
            }
            assertThat(server.connections()).isEqualTo(2);
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void refusedStartTlsCarriesOnInPlainText() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.test\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("454 4.7.0 TLS not available due to local problem\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), MAY); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.tls()).isEmpty();
                assertThat(c.isUsable()).isTrue();
            }
            assertThat(server.connections()).isEqualTo(1);
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void policyNoneNeverAsks() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.test\r\n250 STARTTLS\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = TestNet.open("mx.test", server.address(),
                    MAY.withTlsPolicy(TlsPolicy.NONE)); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.tls()).isEmpty();
            }
            assertThat(server.errors()).isEmpty();
        }
    }
}
