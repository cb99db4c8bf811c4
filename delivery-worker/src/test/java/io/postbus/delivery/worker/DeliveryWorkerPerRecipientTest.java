package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.smtp.ScriptedServer;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One message, three recipients, one SMTP transaction answered 250, 450 and 550 at RCPT (RFC 5321
 * §3.3: each RCPT gets its own reply): the worker on a real broker commits a Delivery, a retry job
 * with the deferred recipient alone, and a Bounce, all from the one connection.
 */
class DeliveryWorkerPerRecipientTest {
    private static final AvroCodec<DeliveryJob> JOBS = AvroCodec.of(DeliveryJob.class);
    private static final Clock CLOCK = Clock.systemUTC();
    private static final QueueIdGenerator IDS = new QueueIdGenerator(CLOCK, 5);

    private static ScriptedServer server;
    private static Topics topics;
    private static TransactionalStage stage;
    private static KafkaProducer<byte[], byte[]> producer;
    private static CommittedTopic events;
    private static CommittedTopic retries;

    @BeforeAll
    static void start() throws Exception {
        server = new ScriptedServer(peer -> {
            peer.send("220 mx.example.net ESMTP\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.example.net\r\n250 ENHANCEDSTATUSCODES\r\n");
            peer.expect("MAIL FROM:<alice@example.org>");
            peer.send("250 2.1.0 ok\r\n");
            peer.expect("RCPT TO:<ok@example.net>");
            peer.send("250 2.1.5 ok\r\n");
            peer.expect("RCPT TO:<busy@example.net>");
            peer.send("450 4.2.1 <busy@example.net>: mailbox busy, try again later\r\n");
            peer.expect("RCPT TO:<nobody@example.net>");
            peer.send("550 5.1.1 <nobody@example.net>: User unknown\r\n");
            peer.expect("DATA");
            peer.send("354 go ahead\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued as 4ABC\r\n");
            peer.expect("QUIT");
            peer.send("221 2.0.0 bye\r\n");
        });
        String bootstrap = TestKafka.bootstrapServers();
        topics = new Topics(TestKafka.uniquePrefix("delivery-rcpt"));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("rcpt-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.deliver("default"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1m"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.received(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
        StageContext ctx = new StageContext(new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of()), topics,
                "node-5", CLOCK, new SimpleMeterRegistry());
        var agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                new DeliverySettings("client.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        stage = new DeliveryWorker(ctx, agent, new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m")),
                Duration.ofDays(5), BounceClassifier.builtIn(), DsnSettings.defaults("mail.postbus.test"), IDS::next).start();
        producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("rcpt-test"));
        events = new CommittedTopic(bootstrap, topics.events());
        retries = new CommittedTopic(bootstrap, topics.retry("1m"));
    }

    @AfterAll
    static void stop() {
        WorkerTestParts.closeAll(producer, stage, events, retries, server);
    }

    @Test
    void acceptedDeferredAndRefusedRecipientsOfOneTransactionEachGetTheirOwnOutcome() throws Exception {
        String queueId = IDS.next();
        DeliveryJob one = SinkJobs.job(queueId, "ok@example.net", "default", CLOCK.instant(), server.address().getPort(),
                "Three recipients");
        List<Recipient> rcpts = List.of(rcpt("ok@example.net"), rcpt("busy@example.net"), rcpt("nobody@example.net"));
        DeliveryJob job = DeliveryJob.newBuilder(one).setRecipients(rcpts)
                .setEnvelope(io.postbus.schemas.Envelope.newBuilder(one.getEnvelope()).setRecipients(rcpts).build()).build();
        producer.send(new ProducerRecord<>(topics.deliver("default"), "example.net".getBytes(StandardCharsets.UTF_8),
                JOBS.encode(job))).get();

        LifecycleEvent delivery = SinkJobs.awaitEvent(events, e -> e.getType() == EventType.DELIVERY
                && e.getQueueId().equals(queueId));
        assertThat(delivery.getRecipients()).containsExactly("ok@example.net");
        assertThat(delivery.getReply().getText()).contains("queued as 4ABC");

        LifecycleEvent deferred = SinkJobs.awaitEvent(events, e -> e.getType() == EventType.TRANSIENT_FAILURE
                && e.getQueueId().equals(queueId));
        assertThat(deferred.getRecipients()).containsExactly("busy@example.net");
        assertThat(deferred.getReply().getCode()).isEqualTo(450);
        assertThat(deferred.getTopic()).isEqualTo(topics.retry("1m"));

        LifecycleEvent bounce = SinkJobs.awaitEvent(events, e -> e.getType() == EventType.BOUNCE
                && e.getQueueId().equals(queueId));
        assertThat(bounce.getRecipients()).containsExactly("nobody@example.net");
        assertThat(bounce.getReply().getCode()).isEqualTo(550);
        assertThat(bounce.getReply().getEnhancedStatus()).isEqualTo("5.1.1");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> retryJobs(queueId).size() >= 1);
        assertThat(retryJobs(queueId)).singleElement().satisfies(retry -> {
            assertThat(retry.getRecipients()).extracting(Recipient::getAddress).containsExactly("busy@example.net");
            assertThat(retry.getAttempt()).isEqualTo(1);
            assertThat(retry.getLastError().getReply().getCode()).isEqualTo(450);
        });
        assertThat(SinkJobs.decoded(events).stream().filter(e -> e.getQueueId().equals(queueId)
                && (e.getType() == EventType.DELIVERY || e.getType() == EventType.TRANSIENT_FAILURE
                || e.getType() == EventType.BOUNCE))).as("one event per outcome").hasSize(3);
        assertThat(server.connections()).as("all three answers from one connection").isEqualTo(1);
        assertThat(server.errors()).isEmpty();
    }

    private static Recipient rcpt(String address) {
        return Recipient.newBuilder().setAddress(address).build();
    }

    private static List<DeliveryJob> retryJobs(String queueId) {
        return retries.records().stream().map(r -> JOBS.decode(r.value()))
                .filter(j -> j.getEnvelope().getQueueId().equals(queueId)).toList();
    }
}
