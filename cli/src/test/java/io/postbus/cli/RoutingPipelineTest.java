package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.BounceClass;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Stage;
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
 * Postfix routing on the real pipeline: swaks → ingress → auth → spam → router → delivery → the
 * sink, asserting on what arrives and on mail.events. Every external domain is routed to the sink
 * by transport.maps, so nothing depends on DNS.
 */
class RoutingPipelineTest {
    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline pipeline;
    private PostbusConfig config;
    private Path virtual;

    @BeforeEach
    void start() throws Exception {
        sink = SmtpSink.start();
        String hop = "smtp:[127.0.0.1]:" + sink.port();
        Path transport = write("transport", String.join("\n",
                "relay.test   " + hop,
                ".ext.test    " + hop,
                "gone.test    error:5.1.1 this domain is gone", ""));
        virtual = write("virtual", String.join("\n",
                "team@valias.test    a@one.ext.test, b@two.ext.test",
                "loop1@valias.test   loop2@valias.test",
                "loop2@valias.test   loop1@valias.test", ""));
        Path aliases = write("aliases", "ring1: ring2\nring2: ring1\n");
        Path senderCanonical = write("sender_canonical", "alice@client.test  alice.smith@corp.test\n");

        Map<String, String> s = TestPipelines.settings("routing", sink.port());
        s.put("relayhost", "");
        s.put("myorigin", "postbus.test");
        s.put("mydestination", "postbus.test");
        s.put("relay.domains", "relay.test");
        s.put("virtual.alias.domains", "valias.test");
        s.put("virtual.alias.maps", virtual.toString());
        s.put("alias.maps", aliases.toString());
        s.put("transport.maps", transport.toString());
        s.put("sender.canonical.maps", senderCanonical.toString());
        s.put("lookup.table.reload.interval", "1s");
        s.put("minimal.backoff.time", "2s");
        config = PostbusConfig.parse(s);
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), null);
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        sink.close();
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private String send(String from, String to) {
        return Swaks.queueId(Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), from, to, null));
    }

    @Test
    void relayDomainGoesToTheTransportMapNextHopWithTheSenderRewritten() throws Exception {
        String queueId = send("alice@client.test", "bob@relay.test");

        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).isTrue();
        ReceivedMessage got = sink.messages().get(0);
        assertThat(got.recipients()).containsExactly("bob@relay.test");
        assertThat(got.mailFrom()).as("sender.canonical.maps").isEqualTo("alice.smith@corp.test");
        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, EventType.DELIVERY), Duration.ofSeconds(30));
            LifecycleEvent routed = only(events, queueId, EventType.ROUTED);
            assertThat(routed.getDestination()).isEqualTo("[127.0.0.1]:" + sink.port());
            assertThat(routed.getSender()).isEqualTo("alice.smith@corp.test");
            assertThat(only(events, queueId, EventType.DELIVERY).getRecipients()).containsExactly("bob@relay.test");
        }
    }

    @Test
    void aVirtualAliasReachesBothOfItsExternalAddresses() throws Exception {
        String queueId = send("news@client.test", "team@valias.test");

        // Both targets share the transport map's next hop: one job, one SMTP transaction.
        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).isTrue();
        assertThat(sink.messages().get(0).recipients()).containsExactlyInAnyOrder("a@one.ext.test", "b@two.ext.test");
        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, EventType.DELIVERY), Duration.ofSeconds(30));
            assertThat(only(events, queueId, EventType.ROUTED).getRecipients()).containsExactly("a@one.ext.test", "b@two.ext.test");
            assertThat(only(events, queueId, EventType.DELIVERY).getRecipients())
                    .containsExactlyInAnyOrder("a@one.ext.test", "b@two.ext.test");
        }
    }

    @Test
    void aVirtualAliasLoopIsDeferredWith460AndDeliveredOnceTheTableIsFixed() throws Exception {
        String queueId = send("news@client.test", "loop1@valias.test");

        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, EventType.TRANSIENT_FAILURE), Duration.ofSeconds(60));
            LifecycleEvent deferred = only(events, queueId, EventType.TRANSIENT_FAILURE);
            assertThat(deferred.getStage()).isEqualTo(Stage.ROUTER);
            assertThat(deferred.getRecipients()).containsExactly("loop1@valias.test");
            assertThat(deferred.getReply().getEnhancedStatus()).isEqualTo("4.6.0");
            assertThat(deferred.getReply().getText()).contains("alias loop");
            assertThat(deferred.getTopic()).isEqualTo(config.topics().prefix() + "mail.reroute");
            assertThat(sink.count()).isZero();

            Files.writeString(virtual, "loop1@valias.test   fixed@one.ext.test\n");
            events = log.until(EventLog.has(queueId, EventType.DELIVERY), Duration.ofSeconds(60));
            assertThat(only(events, queueId, EventType.DELIVERY).getRecipients()).containsExactly("fixed@one.ext.test");
            assertThat(EventLog.typesOf(events, queueId)).containsSubsequence(EventType.TRANSIENT_FAILURE, EventType.ROUTED,
                    EventType.DELIVERY).doesNotContain(EventType.BOUNCE);
        }
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.recipients()).containsExactly("fixed@one.ext.test"));
    }

    @Test
    void anErrorTransportAndALocalAliasLoopBounceAtRouting() throws Exception {
        String gone = send("news@client.test", "u@gone.test");
        String ring = send("news@client.test", "ring1@postbus.test");

        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(e -> EventLog.has(gone, EventType.BOUNCE).test(e)
                    && EventLog.has(ring, EventType.BOUNCE).test(e), Duration.ofSeconds(60));
            LifecycleEvent error = only(events, gone, EventType.BOUNCE);
            assertThat(error.getStage()).isEqualTo(Stage.ROUTER);
            assertThat(error.getRecipients()).containsExactly("u@gone.test");
            assertThat(error.getReply().getEnhancedStatus()).isEqualTo("5.1.1");
            assertThat(error.getReply().getText()).isEqualTo("this domain is gone");
            assertThat(error.getBounceClass()).isEqualTo(BounceClass.BAD_MAILBOX);

            LifecycleEvent loop = only(events, ring, EventType.BOUNCE);
            assertThat(loop.getRecipients()).containsExactly("ring1@postbus.test");
            assertThat(loop.getReply().getEnhancedStatus()).isEqualTo("5.4.6");
            assertThat(loop.getBounceClass()).isEqualTo(BounceClass.ROUTING_LOOP);

            // The bounce message (RFC 3464) is queued in the same transaction as the Bounce event.
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getType()).isEqualTo(EventType.RECEPTION);
                assertThat(e.getSender()).isEmpty();
                assertThat(e.getRecipients()).containsExactly("news@client.test");
                assertThat(e.getDetail()).isEqualTo("failure notification for " + gone + " (1 recipient)");
            });

            List<LifecycleEvent> later = log.settle(Duration.ofSeconds(2));
            assertThat(EventLog.typesOf(later, gone)).doesNotContain(EventType.ROUTED, EventType.DELIVERY);
        }
        assertThat(sink.count()).isZero();
    }

    private static LifecycleEvent only(List<LifecycleEvent> events, String queueId, EventType type) {
        List<LifecycleEvent> found = events.stream().filter(e -> e.getQueueId().equals(queueId) && e.getType() == type).toList();
        assertThat(found).as("%s events of %s", type, queueId).hasSize(1);
        return found.get(0);
    }
}
