package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.shaping.BackoffRules;
import io.postbus.delivery.shaping.ShapingConfig;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.smtp.ScriptedServer;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TlsPolicy;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-site source addresses and HELO names (shaping file source-address=, helo-name=): the server
 * on 127.0.0.1 sees each connection come from the bound loopback address (Linux answers for all of
 * 127/8) and hears the site's HELO name.
 */
class SmtpDeliveryAgentEgressTest {

    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("worker.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5))).withTlsPolicy(TlsPolicy.NONE);
    private static final byte[] MESSAGE = "Subject: egress\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Per recipient domain, the client address and the EHLO name of the connection that brought it. */
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    private ScriptedServer sink() throws Exception {
        return new ScriptedServer(peer -> {
            peer.send("220 sink.test ESMTP\r\n");
            String helo = "";
            for (String line = peer.readLine(); line != null; line = peer.readLine()) {
                if (line.startsWith("EHLO ")) {
                    helo = line.substring(5);
                    peer.send("250 sink.test\r\n");
                } else if (line.startsWith("RCPT TO:<")) {
                    String domain = line.substring(line.indexOf('@') + 1, line.length() - 1);
                    seen.put(domain, peer.remoteAddress().getAddress().getHostAddress() + " " + helo);
                    peer.send("250 ok\r\n");
                } else if (line.equals("DATA")) {
                    peer.send("354 go\r\n");
                    peer.readData();
                    peer.send("250 2.0.0 queued\r\n");
                } else if (line.equals("QUIT")) {
                    peer.send("221 bye\r\n");
                    return;
                } else {
                    peer.send("250 ok\r\n");
                }
            }
        });
    }

    private static SmtpDeliveryAgent agent(String shaping) {
        SiteShaper shaper = new SiteShaper(ShapingConfig.parse(shaping, "shaping"), BackoffRules.builtIn(),
                Clock.systemUTC());
        return new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT, shaper, Duration.ZERO);
    }

    private static DeliveryRequest request(ScriptedServer server, String domain, String group) {
        return new DeliveryRequest(Transport.SMTP, domain, "[127.0.0.1]:" + server.address().getPort(), "a@x.test",
                List.of(new DeliveryRequest.Recipient("rcpt@" + domain, null, null)), MESSAGE, false, false, null, null,
                group);
    }

    @Test
    void aSiteLeavesFromItsAddressWithItsHeloName() throws Exception {
        try (ScriptedServer server = sink();
             SmtpDeliveryAgent agent = agent("""
                     default  source-address=127.0.0.3
                     bulk     source-address=127.0.0.2 helo-name=mta1.example.test
                     """)) {
            DeliveryReport bulk = agent.deliver(request(server, "bulk.test", "bulk"));
            DeliveryReport other = agent.deliver(request(server, "other.test", "other.test"));
            assertThat(bulk.results()).allMatch(r -> r.outcome() == DeliveryReport.Outcome.DELIVERED);
            assertThat(other.results()).allMatch(r -> r.outcome() == DeliveryReport.Outcome.DELIVERED);
            assertThat(seen).containsEntry("bulk.test", "127.0.0.2 mta1.example.test")
                    .as("the default entry's address, the worker's name")
                    .containsEntry("other.test", "127.0.0.3 worker.postbus.test");
            // The reports (and so the Delivery events) say which address and name each message left with.
            assertThat(bulk.localAddress()).isEqualTo("127.0.0.2");
            assertThat(bulk.heloName()).isEqualTo("mta1.example.test");
            assertThat(other.localAddress()).isEqualTo("127.0.0.3");
            assertThat(other.heloName()).isEqualTo("worker.postbus.test");
        }
    }

    @Test
    void aPoolSpreadsDestinationsOverItsAddresses() throws Exception {
        try (ScriptedServer server = sink();
             SmtpDeliveryAgent agent = agent("bulk source-address=127.0.0.2,127.0.0.3 helo-name=pool.example.test\n")) {
            for (int i = 0; i < 12; i++) {
                assertThat(agent.deliver(request(server, "d" + i + ".test", "bulk")).results())
                        .allMatch(r -> r.outcome() == DeliveryReport.Outcome.DELIVERED);
            }
            assertThat(seen).hasSize(12);
            assertThat(seen.values()).containsOnly("127.0.0.2 pool.example.test", "127.0.0.3 pool.example.test")
                    .contains("127.0.0.2 pool.example.test", "127.0.0.3 pool.example.test");
        }
    }

    @Test
    void anAddressOfTheWrongFamilyIsNotBound() throws Exception {
        try (ScriptedServer server = sink();
             SmtpDeliveryAgent agent = agent("v6 source-address=::1 helo-name=v6.example.test\n")) {
            assertThat(agent.deliver(request(server, "v4.test", "v6")).results())
                    .allMatch(r -> r.outcome() == DeliveryReport.Outcome.DELIVERED);
            // An IPv4 destination: the IPv6 source is skipped and the kernel picks (on loopback, 127.0.0.1).
            assertThat(seen).containsEntry("v4.test", "127.0.0.1 v6.example.test");
        }
    }

    @Test
    void anAddressThisHostDoesNotHaveDefers() throws Exception {
        try (ScriptedServer server = sink();
             SmtpDeliveryAgent agent = agent("bad source-address=192.0.2.77\n")) {
            DeliveryReport r = agent.deliver(request(server, "bad.test", "bad"));
            assertThat(r.results()).singleElement().satisfies(rr -> {
                assertThat(rr.outcome()).isEqualTo(DeliveryReport.Outcome.DEFERRED);
                assertThat(rr.reply().enhancedStatus()).isEqualTo("4.4.1");
                assertThat(rr.reply().text()).contains("cannot bind source address 192.0.2.77");
            });
            assertThat(server.connections()).isZero();
        }
    }
}
