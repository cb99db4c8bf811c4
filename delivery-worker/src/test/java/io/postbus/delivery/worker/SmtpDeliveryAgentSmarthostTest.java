package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.smtp.ScriptedServer;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Relaying through a smarthost with credentials from a Postfix smtp_sasl_password_maps-format table. */
class SmtpDeliveryAgentSmarthostTest {

    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("worker.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)));
    private static final byte[] MESSAGE = "Subject: relay\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);
    private static SSLContext serverTls;

    @TempDir
    Path dir;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void pki() {
        serverTls = TestPki.create("Relay CA").issue("relay.test").serverContext();
    }

    private static ScriptedServer relay(String authReply) throws Exception {
        return new ScriptedServer(peer -> {
            peer.send("220 relay.test ESMTP\r\n");
            peer.expect("EHLO worker.postbus.test");
            peer.send("250-relay.test\r\n250 STARTTLS\r\n");
            peer.expect("STARTTLS");
            peer.send("220 go\r\n");
            peer.startTls(serverTls);
            peer.expect("EHLO worker.postbus.test");
            peer.send("250-relay.test\r\n250 AUTH PLAIN\r\n");
            String auth = peer.expect("AUTH PLAIN ");
            assertThat(new String(Base64.getDecoder().decode(auth.substring(11)), StandardCharsets.UTF_8))
                    .isEqualTo("\0relayuser\0pass:word");
            peer.send(authReply + "\r\n");
            if (!authReply.startsWith("235")) {
                return;
            }
            peer.expect("MAIL FROM:<a@x.test>");
            peer.send("250 ok\r\n");
            peer.expect("RCPT TO:<b@far.test>");
            peer.send("250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            assertThat(peer.readData()).isEqualTo(MESSAGE);
            peer.send("250 2.0.0 queued as R1\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        });
    }

    private SmtpDeliveryAgent agent(String passwordMap) throws Exception {
        Path file = Files.writeString(dir.resolve("sasl_passwd"), passwordMap);
        OutboundAuth auth = OutboundAuth.configure(List.of(file.toString()), Duration.ofSeconds(1), Clock.systemUTC(),
                problems::add);
        return new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT, auth, null, Duration.ZERO);
    }

    private static DeliveryRequest request(ScriptedServer relay) {
        return new DeliveryRequest(Transport.SMTP, "far.test", "[127.0.0.1]:" + relay.address().getPort(), "a@x.test",
                List.of(new DeliveryRequest.Recipient("b@far.test", null, null)), MESSAGE, false, false, null, null);
    }

    @Test
    void credentialsKeyedByTheNextHopAsRelayhostWritesIt() throws Exception {
        try (ScriptedServer relay = relay("235 2.7.0 ok")) {
            int port = relay.address().getPort();
            // The key is the next hop with brackets and port, as relayhost writes it; a colon in the password is kept.
            try (SmtpDeliveryAgent agent = agent("other.test  someone:else\n[127.0.0.1]:" + port
                    + "   relayuser:pass:word\n")) {
                DeliveryReport r = agent.deliver(request(relay));
                assertThat(r.results()).singleElement().satisfies(rr -> {
                    assertThat(rr.outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
                    assertThat(rr.reply().text()).contains("queued as R1");
                });
                assertThat(r.tlsProtocol()).startsWith("TLSv1.");
            }
            relay.close();
            assertThat(relay.errors()).isEmpty();
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void a535DefersWithTheServersText() throws Exception {
        try (ScriptedServer relay = relay("535 5.7.8 Error: authentication failed")) {
            try (SmtpDeliveryAgent agent = agent("[127.0.0.1]:" + relay.address().getPort() + " relayuser:pass:word\n")) {
                DeliveryReport r = agent.deliver(request(relay));
                // Postfix smtp_sasl_auth_soft_bounce = yes: deferred, class 5 turned to 4.
                assertThat(r.results()).singleElement().satisfies(rr -> {
                    assertThat(rr.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
                    assertThat(rr.reply().code()).isEqualTo(454);
                    assertThat(rr.reply().enhancedStatus()).isEqualTo("4.7.8");
                    assertThat(rr.reply().text()).contains("SASL authentication failed")
                            .contains("535 5.7.8 Error: authentication failed");
                });
            }
        }
    }

    @Test
    void aBrokenEntryDefersWithoutConnecting() throws Exception {
        try (ScriptedServer relay = relay("235 2.7.0 ok")) {
            try (SmtpDeliveryAgent agent = agent("[127.0.0.1]:" + relay.address().getPort() + " no-colon-here\n")) {
                DeliveryReport r = agent.deliver(request(relay));
                assertThat(r.results()).singleElement().satisfies(rr -> {
                    assertThat(rr.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
                    assertThat(rr.reply().enhancedStatus()).isEqualTo("4.3.5");
                    assertThat(rr.reply().text()).contains("SASL password map").doesNotContain("no-colon-here");
                });
            }
            assertThat(relay.connections()).isZero();
        }
    }
}
