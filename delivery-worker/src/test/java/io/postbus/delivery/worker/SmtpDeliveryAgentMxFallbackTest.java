package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.smtp.ScriptedServer;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TlsPolicy;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MX fallback through the SMTP agent (RFC 5321 §5.1): names from a zone file, servers on
 * 127.0.0.1 and 127.0.0.2 sharing one port (the next hop names it, as {@code example.test:port}),
 * and 127.0.0.3, where nothing listens on it. Which server saw what is
 * counted at the servers.
 */
class SmtpDeliveryAgentMxFallbackTest {
    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5))).withTlsPolicy(TlsPolicy.NONE);
    private static final byte[] MESSAGE = "Subject: mx\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);

    private final List<ScriptedServer> servers = new ArrayList<>();
    /** "server name: RCPT TO:<...>" for each recipient a server accepted a message for. */
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private int port;

    @AfterEach
    void stop() throws Exception {
        for (ScriptedServer s : servers) {
            assertThat(s.errors()).as("script failures").isEmpty();
            s.close();
        }
    }

    /** A server on {@code 127.0.0.<last>} at the shared port (the first one picks it). */
    private ScriptedServer server(int last, ScriptedServer.Script... scripts) throws Exception {
        ScriptedServer s = new ScriptedServer(InetAddress.getByName("127.0.0." + last), port, scripts);
        port = s.address().getPort();
        servers.add(s);
        return s;
    }

    private SmtpDeliveryAgent agent(String zone) {
        // No connection cache: every attempt connects afresh, so connection counts are attempts.
        return new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("example.test.", "$TTL 300\n@ SOA ns hostmaster 1 1 1 1 1\n"
                + zone), CLIENT, null, Duration.ZERO);
    }

    private DeliveryReport deliver(SmtpDeliveryAgent agent, String... rcpts) {
        return agent.deliver(new DeliveryRequest(Transport.SMTP, "example.test", "example.test:" + port, "a@x.test",
                java.util.Arrays.stream(rcpts).map(r -> new DeliveryRequest.Recipient(r, null, null)).toList(), MESSAGE,
                false, false, null, null));
    }

    /** Takes the message for every recipient, noting them under {@code name}. */
    private ScriptedServer.Script accepting(String name) {
        return peer -> {
            peer.send("220 " + name + " ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250 " + name + "\r\n");
            peer.expect("MAIL FROM:");
            peer.send("250 2.1.0 ok\r\n");
            List<String> rcpts = new ArrayList<>();
            String line;
            while ((line = peer.readLine()).startsWith("RCPT TO:")) {
                rcpts.add(line);
                peer.send("250 2.1.5 ok\r\n");
            }
            assertThat(line).isEqualTo("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued by " + name + "\r\n");
            rcpts.forEach(r -> delivered.add(name + ": " + r));
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        };
    }

    private static ScriptedServer.Script greeting(String reply) {
        return peer -> {
            peer.send(reply + "\r\n");
            peer.readLine(); // QUIT, or the client just hangs up
        };
    }

    @Test
    void theLowestPreferenceIsTriedFirstAndTheOthersNotAtAll() throws Exception {
        ScriptedServer primary = server(1, accepting("mx10"));
        ScriptedServer backup = server(2, accepting("mx20"));
        // Listed backup first: the order in the zone must not matter, only the preference.
        DeliveryReport r = deliver(agent("@ MX 20 mx20\n@ MX 10 mx10\nmx10 A 127.0.0.1\nmx20 A 127.0.0.2\n"), "b@example.test");
        assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
        assertThat(r.remoteHost()).isEqualTo("mx10.example.test");
        assertThat(primary.connections()).isEqualTo(1);
        assertThat(backup.connections()).isZero();
    }

    @Test
    void aRefusedConnectionAndA4xxGreetingEachSendUsToTheNextHost() throws Exception {
        ScriptedServer busy = server(2, greeting("421 4.3.2 mx20 too busy"));
        ScriptedServer last = server(1, accepting("mx30"));
        DeliveryReport r = deliver(agent("@ MX 10 mx10\n@ MX 20 mx20\n@ MX 30 mx30\n"
                + "mx10 A 127.0.0.3\nmx20 A 127.0.0.2\nmx30 A 127.0.0.1\n"), "b@example.test");
        assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
        assertThat(r.remoteHost()).isEqualTo("mx30.example.test");
        assertThat(r.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(busy.connections()).isEqualTo(1);
        assertThat(last.connections()).isEqualTo(1);
    }

    @Test
    void a421MidSessionSendsTheOpenRecipientsOnAndKeepsTheAnsweredOnesReplies() throws Exception {
        server(1, peer -> {
            peer.send("220 mx10 ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250 mx10\r\n");
            peer.expect("MAIL FROM:");
            peer.send("250 2.1.0 ok\r\n");
            peer.expect("RCPT TO:<nobody@example.test>");
            peer.send("550 5.1.1 <nobody@example.test> no such user\r\n");
            peer.expect("RCPT TO:<b@example.test>");
            peer.send("421 4.3.2 mx10 shutting down\r\n");
            peer.close();
        });
        server(2, accepting("mx20"));
        DeliveryReport r = deliver(agent("@ MX 10 mx10\n@ MX 20 mx20\nmx10 A 127.0.0.1\nmx20 A 127.0.0.2\n"),
                "nobody@example.test", "b@example.test", "c@example.test");
        assertThat(r.results()).extracting(DeliveryReport.RecipientResult::recipient, DeliveryReport.RecipientResult::outcome)
                .containsExactly(tuple("nobody@example.test", DeliveryReport.Outcome.BOUNCED),
                        tuple("b@example.test", DeliveryReport.Outcome.DELIVERED),
                        tuple("c@example.test", DeliveryReport.Outcome.DELIVERED));
        assertThat(r.results().get(0).reply().text()).contains("no such user");
        assertThat(r.results().get(1).reply().text()).contains("queued by mx20");
        assertThat(delivered).as("mx20 was not asked about the recipient mx10 had refused for good")
                .containsExactly("mx20: RCPT TO:<b@example.test>", "mx20: RCPT TO:<c@example.test>");
    }

    @Test
    void equalPreferencesAreBothUsedOverManyAttempts() throws Exception {
        ScriptedServer one = server(1, accepting("mxa"));
        ScriptedServer two = server(2, accepting("mxb"));
        SmtpDeliveryAgent agent = agent("@ MX 10 mxa\n@ MX 10 mxb\nmxa A 127.0.0.1\nmxb A 127.0.0.2\n");
        for (int i = 0; i < 30; i++) {
            assertThat(deliver(agent, "r" + i + "@example.test").results().get(0).outcome())
                    .isEqualTo(DeliveryReport.Outcome.DELIVERED);
        }
        // Randomized (§5.1): all 30 to one of them has probability 2^-29.
        assertThat(one.connections() + two.connections()).isEqualTo(30);
        assertThat(one.connections()).isPositive();
        assertThat(two.connections()).isPositive();
    }

    @Test
    void everyHostFailingDefersWithTheLastHostsReply() throws Exception {
        ScriptedServer first = server(1, greeting("421 4.7.0 mx10 try later"));
        ScriptedServer second = server(2, greeting("450 4.3.2 mx20 not now"));
        DeliveryReport r = deliver(agent("@ MX 10 mx10\n@ MX 20 mx20\n@ MX 30 mx30\n"
                + "mx10 A 127.0.0.1\nmx20 A 127.0.0.2\nmx30 A 127.0.0.3\n"), "b@example.test");
        // The last host tried decides, as in Postfix: here mx30, which refused the connection.
        DeliveryReport.RecipientResult result = r.results().get(0);
        assertThat(result.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
        assertThat(result.reply().enhancedStatus()).isEqualTo("4.4.1");
        assertThat(first.connections()).isEqualTo(1);
        assertThat(second.connections()).isEqualTo(1);

        DeliveryReport twoHosts = deliver(agent("@ MX 10 mx10\n@ MX 20 mx20\nmx10 A 127.0.0.1\nmx20 A 127.0.0.2\n"),
                "b@example.test");
        assertThat(twoHosts.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
        assertThat(twoHosts.results().get(0).reply().code()).isEqualTo(450);
        assertThat(twoHosts.results().get(0).reply().text()).contains("mx20 not now");
        assertThat(twoHosts.remoteHost()).isEqualTo("mx20.example.test");
    }

    @Test
    void rfc7505NullMxBouncesWith5110WithoutConnectingEvenWithAnAddressRecord() throws Exception {
        ScriptedServer listening = server(1, accepting("apex"));
        DeliveryReport r = deliver(agent("@ MX 0 .\n@ A 127.0.0.1\n"), "b@example.test");
        DeliveryReport.RecipientResult result = r.results().get(0);
        assertThat(result.outcome()).isEqualTo(DeliveryReport.Outcome.BOUNCED);
        assertThat(result.reply().code()).isEqualTo(556);
        assertThat(result.reply().enhancedStatus()).isEqualTo("5.1.10");
        assertThat(listening.connections()).isZero();
    }

    @Test
    void withoutMxRecordsTheDomainsOwnAddressIsTheImplicitMx() throws Exception {
        ScriptedServer apex = server(1, accepting("apex"));
        DeliveryReport r = deliver(agent("@ A 127.0.0.1\n"), "b@example.test");
        assertThat(r.results().get(0).outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED);
        assertThat(r.remoteHost()).isEqualTo("example.test");
        assertThat(apex.connections()).isEqualTo(1);
    }
}
