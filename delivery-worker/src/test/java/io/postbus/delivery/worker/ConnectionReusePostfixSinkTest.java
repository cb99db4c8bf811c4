package io.postbus.delivery.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.shaping.BackoffRules;
import io.postbus.delivery.shaping.ShapingConfig;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.TlsPolicy;
import io.postbus.testkit.PostfixSmtpSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection reuse against Postfix's smtp-sink(1), counted at the TCP level by a proxy in front of
 * it: several messages per connection with RSET between (RFC 5321 §4.1.1.5), up to the site's
 * messages-per-connection, and a fresh connection when the cached one has gone idle or was dropped.
 */
@EnabledIf("installed")
class ConnectionReusePostfixSinkTest {
    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(10))).withTlsPolicy(TlsPolicy.NONE);

    @TempDir
    Path dir;

    static boolean installed() {
        return PostfixSmtpSink.installed();
    }

    private static SiteShaper shaper(String file) {
        return new SiteShaper(ShapingConfig.parse(file, "test"), BackoffRules.none(), Clock.systemUTC());
    }

    private static DeliveryRequest request(int port, String rcpt) {
        byte[] message = ("Subject: reuse\r\nTo: " + rcpt + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
        return new DeliveryRequest(Transport.SMTP, "y.test", "[127.0.0.1]:" + port, "alice@x.test",
                List.of(new DeliveryRequest.Recipient(rcpt, null, null)), message, false, false, null, null, "y.test");
    }

    private static void assertDelivered(DeliveryReport r) {
        assertThat(r.results()).allSatisfy(x -> assertThat(x.outcome()).isEqualTo(DeliveryReport.Outcome.DELIVERED));
    }

    @Test
    void fiveMessagesTravelOverThreeConnectionsAtTwoMessagesEach() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir);
             CountingProxy proxy = new CountingProxy(sink.address());
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(ZoneFileResolver.fromString("invalid.", ""), CLIENT,
                     shaper("y.test messages-per-connection=2"), Duration.ofSeconds(30))) {
            for (int i = 0; i < 5; i++) {
                assertDelivered(agent.deliver(request(proxy.port(), "rcpt" + i + "@y.test")));
            }
            assertThat(sink.awaitDumps(5, Duration.ofSeconds(10))).hasSize(5);
            assertThat(proxy.connections()).isEqualTo(3);
            assertThat(agent.idleConnections()).as("the fifth message's connection waits for a sixth").isEqualTo(1);
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheCacheTimeAndTheNextMessageOpensAnother() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir);
             CountingProxy proxy = new CountingProxy(sink.address());
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(ZoneFileResolver.fromString("invalid.", ""), CLIENT,
                     shaper(""), Duration.ofMillis(300))) {
            assertDelivered(agent.deliver(request(proxy.port(), "a@y.test")));
            assertDelivered(agent.deliver(request(proxy.port(), "b@y.test")));
            assertThat(proxy.connections()).as("back to back: reused").isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> agent.idleConnections() == 0);
            assertDelivered(agent.deliver(request(proxy.port(), "c@y.test")));
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(sink.awaitDumps(3, Duration.ofSeconds(10))).hasSize(3);
        }
    }

    @Test
    void aCachedConnectionTheServerDroppedIsReplacedForTheSameMessage() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir);
             CountingProxy proxy = new CountingProxy(sink.address());
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(ZoneFileResolver.fromString("invalid.", ""), CLIENT,
                     shaper(""), Duration.ofSeconds(30))) {
            assertDelivered(agent.deliver(request(proxy.port(), "a@y.test")));
            proxy.dropAll();
            Thread.sleep(200);
            assertDelivered(agent.deliver(request(proxy.port(), "b@y.test")));
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(sink.awaitDumps(2, Duration.ofSeconds(10))).hasSize(2);
        }
    }
}
