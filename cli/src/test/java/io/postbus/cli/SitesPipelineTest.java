package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sites on the real pipeline with zone-file DNS: one message to five domains is routed as five jobs
 * whose Routed events name the site each went to — the shared MX hosts of two hosted domains, a
 * configured mx= pattern with its own topic, a configured domain, a next hop, and a domain whose MX
 * lookup fails (routed all the same, its site named after the domain).
 */
class SitesPipelineTest {
    private static final String ZONE = """
            $TTL 300
            .                     SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300
            shop.test.            MX 10 mx1.hoster.test.
            shop.test.            MX 10 mx2.hoster.test.
            blog.test.            MX 10 mx2.hoster.test.
            blog.test.            MX 10 mx1.hoster.test.
            corp.test.            MX 1 aspmx.l.google.com.
            corp.test.            MX 5 alt1.aspmx.l.google.com.
            broken.test.          MX 10 mx.broken.test.
            """;

    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline pipeline;
    private PostbusConfig config;

    @BeforeEach
    void start() throws Exception {
        sink = SmtpSink.start();
        Path transport = tmp.resolve("transport");
        Files.writeString(transport, "relay.test   smtp:[127.0.0.1]:" + sink.port() + "\n");
        Map<String, String> s = TestPipelines.settings("sites", sink.port());
        s.put("relayhost", "");
        s.put("myorigin", "postbus.test");
        s.put("mydestination", "postbus.test");
        s.put("relay.domains", "relay.test");
        s.put("transport.maps", transport.toString());
        s.put("delivery.sites", "google:mx=*.google.com bulk:bulk.test");
        config = PostbusConfig.parse(s);
        ZoneFileResolver dns = ZoneFileResolver.fromString(".", ZONE)
                .withFailure("broken.test", io.postbus.core.dns.DnsResult.Failure.Kind.SERVFAIL);
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), dns);
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        sink.close();
    }

    @Test
    void routedEventsNameEachDestinationsSite() throws Exception {
        String queueId = Swaks.queueId(Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), "news@postbus.test",
                "a@shop.test,b@blog.test,c@corp.test,d@bulk.test,e@relay.test,f@broken.test", null));

        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(e -> e.stream().filter(ev -> ev.getQueueId().equals(queueId)
                    && ev.getType() == EventType.ROUTED).count() >= 6, Duration.ofSeconds(60));
            List<LifecycleEvent> routed = events.stream()
                    .filter(e -> e.getQueueId().equals(queueId) && e.getType() == EventType.ROUTED).toList();
            String prefix = config.topics().prefix();
            String hoster = "mx1.hoster.test_mx2.hoster.test";
            assertThat(routed).extracting(LifecycleEvent::getDestination, LifecycleEvent::getSite, LifecycleEvent::getTopic)
                    .containsExactlyInAnyOrder(
                            tuple("shop.test", hoster, prefix + "mail.deliver.default"),
                            tuple("blog.test", hoster, prefix + "mail.deliver.default"),
                            tuple("corp.test", "google", prefix + "mail.deliver.google"),
                            tuple("bulk.test", "bulk", prefix + "mail.deliver.bulk"),
                            tuple("[127.0.0.1]:" + sink.port(), "127.0.0.1_" + sink.port(), prefix + "mail.deliver.default"),
                            tuple("broken.test", "broken.test", prefix + "mail.deliver.default"));
            assertThat(routed).filteredOn(e -> e.getDestination().equals("broken.test")).singleElement()
                    .satisfies(e -> assertThat(e.getDetail()).endsWith("site broken.test (MX lookup failed)"));

            // The next-hop job is delivered as before: the site changes the key, not the route.
            List<LifecycleEvent> delivered = log.until(e -> EventLog.has(queueId, EventType.DELIVERY).test(e),
                    Duration.ofSeconds(60)).stream()
                    .filter(e -> e.getQueueId().equals(queueId) && e.getType() == EventType.DELIVERY).toList();
            assertThat(delivered).singleElement().satisfies(e -> {
                assertThat(e.getRecipients()).containsExactly("e@relay.test");
                assertThat(e.getSite()).isEqualTo("127.0.0.1_" + sink.port());
            });
        }
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.recipients()).containsExactly("e@relay.test"));
    }
}
