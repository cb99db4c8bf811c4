package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection reuse against Postfix's smtp-sink(1), counted at the TCP level by a proxy in front of
 * it: several messages per connection with RSET between (RFC 5321 §4.1.1.5), up to the site's
 * messages-per-connection, and a fresh connection when the cached one has gone idle or was dropped.
 * Concurrent deliveries to one site keep up to its max-connections idle, not just one.
 */
class ConnectionReusePostfixSinkTest {
    private static final SmtpClientConfig CLIENT = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(10))).withTlsPolicy(TlsPolicy.NONE);

    @TempDir
    Path dir;

    /** A missing tool fails the test (the README's test command installs it); it never skips it. */
    @org.junit.jupiter.api.BeforeAll
    static void requireTools() {
        io.postbus.testkit.ExternalTool.require("smtp-sink");
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
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT,
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
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT,
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
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT,
                     shaper(""), Duration.ofSeconds(30))) {
            assertDelivered(agent.deliver(request(proxy.port(), "a@y.test")));
            proxy.dropAll();
            Thread.sleep(200);
            assertDelivered(agent.deliver(request(proxy.port(), "b@y.test")));
            assertThat(proxy.connections()).isEqualTo(2);
            assertThat(sink.awaitDumps(2, Duration.ofSeconds(10))).hasSize(2);
        }
    }

    @Test
    void tenConcurrentDeliveriesLeaveTenIdleConnectionsThatTheNextTenReuse() throws Exception {
        // -w 1: smtp-sink waits a second before answering DATA, so the ten deliveries overlap.
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-w", "1");
             CountingProxy proxy = new CountingProxy(sink.address());
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT,
                     shaper(""), Duration.ofSeconds(30))) {
            deliverConcurrently(agent, proxy.port(), 10, "first");
            assertThat(proxy.connections()).isEqualTo(10);
            assertThat(agent.idleConnections()).as("max-connections 20 (default): all ten kept").isEqualTo(10);

            deliverConcurrently(agent, proxy.port(), 10, "second");
            assertThat(proxy.connections()).as("the second wave opens no connection").isEqualTo(10);
            assertThat(agent.idleConnections()).isEqualTo(10);
            assertThat(sink.awaitDumps(20, Duration.ofSeconds(20))).hasSize(20);
        }
    }

    @Test
    void idleConnectionsBeyondTheSitesMaxConnectionsAreClosed() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-w", "1");
             CountingProxy proxy = new CountingProxy(sink.address());
             SmtpDeliveryAgent agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""), CLIENT,
                     shaper("y.test max-connections=4"), Duration.ofSeconds(30))) {
            // The agent itself does not admit (the worker's shaper does): six connections, four kept.
            deliverConcurrently(agent, proxy.port(), 6, "over");
            assertThat(proxy.connections()).isEqualTo(6);
            assertThat(agent.idleConnections()).isEqualTo(4);
            deliverConcurrently(agent, proxy.port(), 4, "within");
            assertThat(proxy.connections()).as("four reused").isEqualTo(6);
        }
    }

    private static void deliverConcurrently(SmtpDeliveryAgent agent, int port, int n, String wave) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<DeliveryReport>> reports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String rcpt = wave + i + "@y.test";
                reports.add(pool.submit(() -> agent.deliver(request(port, rcpt))));
            }
            for (Future<DeliveryReport> r : reports) {
                assertDelivered(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
