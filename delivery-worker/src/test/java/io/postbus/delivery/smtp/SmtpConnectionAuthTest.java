package io.postbus.delivery.smtp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Client SMTP AUTH (RFC 4954) against scripted relays: never outside TLS, the best offered
 * mechanism, SCRAM-SHA-256 with both proofs checked (RFC 5802 §3), a 535 as a transient failure.
 */
class SmtpConnectionAuthTest {

    private static final SaslCredentials USER = new SaslCredentials("user@isp.test", "s3cret pencil");
    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5))).withSasl(Optional.of(USER));
    private static final byte[] MESSAGE = "Subject: auth\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);

    private static SSLContext serverTls;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch hungUp = new CountDownLatch(1);

    @BeforeAll
    static void pki() {
        serverTls = TestPki.create("Relay CA").issue("relay.test").serverContext();
    }

    /** Greeting, EHLO, STARTTLS, EHLO again offering {@code auth}. */
    private void tlsThenOffer(ScriptedServer.Peer peer, String auth) throws Exception {
        peer.send("220 relay.test ESMTP\r\n");
        peer.expect("EHLO client.postbus.test");
        peer.send("250-relay.test\r\n250-" + auth + "\r\n250 STARTTLS\r\n");
        peer.expect("STARTTLS");
        peer.send("220 2.0.0 go ahead\r\n");
        peer.startTls(serverTls);
        peer.expect("EHLO client.postbus.test");
        peer.send("250-relay.test\r\n250-PIPELINING\r\n250 " + auth + "\r\n");
    }

    /** Records every line the client sends until it hangs up. */
    private void recordRest(ScriptedServer.Peer peer) throws Exception {
        for (String line = peer.readLine(); line != null; line = peer.readLine()) {
            seen.add(line);
            if (line.equals("QUIT")) {
                peer.send("221 bye\r\n");
            }
        }
        hungUp.countDown();
    }

    /** What the client sent after the scripted part, once it has hung up. */
    private List<String> linesAfterScript() throws InterruptedException {
        assertThat(hungUp.await(10, TimeUnit.SECONDS)).as("client hung up").isTrue();
        return seen;
    }

    private void acceptMessage(ScriptedServer.Peer peer) throws Exception {
        peer.expect("MAIL FROM:<a@x.test>");
        peer.expect("RCPT TO:<b@y.test>");
        peer.send("250 ok\r\n250 ok\r\n");
        peer.expect("DATA");
        peer.send("354 go\r\n");
        assertThat(peer.readData()).isEqualTo(MESSAGE);
        peer.send("250 2.0.0 queued\r\n");
        recordRest(peer);
    }

    @Test
    void noStartTlsOfferedMeansNoCredentialsSent() throws Exception {
        // Postfix noplaintext: a relay without STARTTLS never sees AUTH, and the attempt is transient.
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 relay.test ESMTP\r\n");
            peer.expect("EHLO client.postbus.test");
            peer.send("250-relay.test\r\n250 AUTH PLAIN LOGIN\r\n");
            recordRest(peer);
        })) {
            assertThatThrownBy(() -> TestNet.open("relay.test", server.address(), CLIENT))
                    .isInstanceOfSatisfying(TransientSmtpException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SmtpException.Kind.AUTH_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("not sending credentials without TLS")
                                .contains("did not offer STARTTLS");
                    });
            assertThat(linesAfterScript()).noneMatch(l -> l.startsWith("AUTH")).noneMatch(l -> l.contains(b64("\0user@isp.test")));
        }
    }

    @Test
    void tlsPolicyNoneWithCredentialsStillSendsNoAuth() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 relay.test ESMTP\r\n");
            peer.expect("EHLO client.postbus.test");
            peer.send("250-relay.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n");
            recordRest(peer);
        })) {
            assertThatThrownBy(() -> TestNet.open("relay.test", server.address(),
                    CLIENT.withTlsPolicy(TlsPolicy.NONE)))
                    .isInstanceOfSatisfying(TransientSmtpException.class, e ->
                            assertThat(e.kind()).isEqualTo(SmtpException.Kind.AUTH_UNAVAILABLE));
            assertThat(linesAfterScript()).noneMatch(l -> l.startsWith("AUTH"));
        }
    }

    @Test
    void plainInsideTlsWhenScramIsNotOffered() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            tlsThenOffer(peer, "AUTH LOGIN PLAIN");
            String auth = peer.expect("AUTH PLAIN ");
            // RFC 4616 §2: [authzid] NUL authcid NUL passwd
            assertThat(unb64(auth.substring("AUTH PLAIN ".length()))).isEqualTo("\0user@isp.test\0s3cret pencil");
            peer.send("235 2.7.0 Authentication successful\r\n");
            acceptMessage(peer);
        })) {
            assertDelivered(server);
        }
    }

    @Test
    void loginIsTheLastResort() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            tlsThenOffer(peer, "AUTH LOGIN CRAM-MD5");
            peer.expect("AUTH LOGIN");
            peer.send("334 VXNlcm5hbWU6\r\n");
            assertThat(unb64(peer.readLine())).isEqualTo("user@isp.test");
            peer.send("334 UGFzc3dvcmQ6\r\n");
            assertThat(unb64(peer.readLine())).isEqualTo("s3cret pencil");
            peer.send("235 2.7.0 ok\r\n");
            acceptMessage(peer);
        })) {
            assertDelivered(server);
        }
    }

    @Test
    void refusedCredentialsAreATransientFailureWithTheServersText() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            tlsThenOffer(peer, "AUTH PLAIN");
            peer.expect("AUTH PLAIN ");
            peer.send("535 5.7.8 Error: authentication failed: bad password\r\n");
            recordRest(peer);
        })) {
            assertThatThrownBy(() -> TestNet.open("relay.test", server.address(), CLIENT))
                    .isInstanceOfSatisfying(TransientSmtpException.class, e -> {
                        // Postfix smtp_sasl_auth_soft_bounce = yes: a wrong password defers, never bounces.
                        assertThat(e.kind()).isEqualTo(SmtpException.Kind.AUTH_FAILED);
                        assertThat(e.phase()).isEqualTo(SmtpPhase.AUTH);
                        assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(535));
                        assertThat(e.getMessage()).contains("SASL authentication failed")
                                .contains("535 5.7.8 Error: authentication failed: bad password");
                    });
            assertThat(linesAfterScript()).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    @Test
    void scramSha256ExchangeWithBothProofsChecked() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            tlsThenOffer(peer, "AUTH PLAIN LOGIN SCRAM-SHA-256");
            ScramServer scram = new ScramServer("s3cret pencil");
            String first = peer.expect("AUTH SCRAM-SHA-256 ");
            peer.send("334 " + b64(scram.serverFirst(unb64(first.substring("AUTH SCRAM-SHA-256 ".length())))) + "\r\n");
            String serverFinal = scram.serverFinal(unb64(peer.readLine()));
            peer.send("334 " + b64(serverFinal) + "\r\n");
            assertThat(peer.readLine()).as("RFC 4954 §4: an empty response to the last challenge").isEmpty();
            peer.send("235 2.7.0 ok\r\n");
            acceptMessage(peer);
        })) {
            assertDelivered(server);
        }
    }

    @Test
    void scramServerWithoutThePasswordIsCancelled() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            tlsThenOffer(peer, "AUTH SCRAM-SHA-256");
            ScramServer scram = new ScramServer("s3cret pencil");
            String first = peer.expect("AUTH SCRAM-SHA-256 ");
            peer.send("334 " + b64(scram.serverFirst(unb64(first.substring("AUTH SCRAM-SHA-256 ".length())))) + "\r\n");
            scram.serverFinal(unb64(peer.readLine()));
            peer.send("334 " + b64("v=" + Base64.getEncoder().encodeToString(new byte[32])) + "\r\n");
            peer.expect("*"); // RFC 4954 §4: the client cancels
            peer.send("501 5.7.0 cancelled\r\n");
            recordRest(peer);
        })) {
            assertThatThrownBy(() -> TestNet.open("relay.test", server.address(), CLIENT))
                    .isInstanceOfSatisfying(TransientSmtpException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SmtpException.Kind.AUTH_FAILED);
                        assertThat(e.getMessage()).contains("does not know the password");
                    });
            assertThat(linesAfterScript()).noneMatch(l -> l.startsWith("MAIL"));
        }
    }

    /** One message over an authenticated session, and the server script without complaint. */
    private static void assertDelivered(ScriptedServer server) throws Exception {
        try (SmtpConnection c = TestNet.open("relay.test", server.address(), CLIENT); TestNet.Quit quit = TestNet.quitting(c)) {
            assertThat(TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE).allDelivered()).isTrue();
        }
        server.close();
        assertThat(server.errors()).isEmpty();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    /** The server's side of RFC 5802 §3, written from the RFC, to check the client's proof. */
    private static final class ScramServer {
        private final byte[] salt = "postbus-salt".getBytes(StandardCharsets.US_ASCII);
        private final byte[] salted;
        private String clientFirstBare;
        private String serverFirst;

        ScramServer(String password) throws Exception {
            salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 4096, 256)).getEncoded();
        }

        String serverFirst(String clientFirst) {
            assertThat(clientFirst).startsWith("n,,n=user@isp.test,r=");
            clientFirstBare = clientFirst.substring(3);
            String nonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
            serverFirst = "r=" + nonce + "SRVnonce,s=" + Base64.getEncoder().encodeToString(salt) + ",i=4096";
            return serverFirst;
        }

        /** Checks the ClientProof and returns "v=ServerSignature". */
        String serverFinal(String clientFinal) throws Exception {
            int p = clientFinal.lastIndexOf(",p=");
            String withoutProof = clientFinal.substring(0, p);
            assertThat(withoutProof).startsWith("c=biws,r=").endsWith("SRVnonce");
            byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(hmac(salted, "Client Key"));
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ signature[i]);
            }
            assertThat(MessageDigest.getInstance("SHA-256").digest(clientKey)).as("client proof").isEqualTo(storedKey);
            return "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
        }

        private static byte[] hmac(byte[] key, String data) throws Exception {
            return hmac(key, data.getBytes(StandardCharsets.US_ASCII));
        }

        private static byte[] hmac(byte[] key, byte[] data) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        }
    }
}
