package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlOrder;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.kafka.ControlReader;
import io.postbus.core.kafka.ControlRecords;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.FakeMx;
import io.postbus.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operator commands on mail.control (postsuper -h/-H/-d/-r, site suspension) obeyed by the delivery
 * worker on a real broker, delivering to a receiving MTA on a real socket (the test kit's FakeMx).
 */
class DeliveryWorkerControlTest {
    private static final AvroCodec<DeliveryJob> JOBS = AvroCodec.of(DeliveryJob.class);
    private static final Clock CLOCK = Clock.systemUTC();
    private static final QueueIdGenerator IDS = new QueueIdGenerator(CLOCK, 4);

    private static FakeMx sink;
    private static Topics topics;
    private static ControlReader control;
    private static TransactionalStage stage;
    private static KafkaProducer<byte[], byte[]> producer;
    private static CommittedTopic events;

    @BeforeAll
    static void start() throws Exception {
        sink = FakeMx.start();
        String bootstrap = TestKafka.bootstrapServers();
        topics = new Topics(TestKafka.uniquePrefix("delivery-control"));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("control-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.deliver("default"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.deliver("gmail"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1m"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1h"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.control(), 1, (short) 1, Map.of("cleanup.policy", "compact")),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
        KafkaSettings kafka = new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of());
        producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("control-test"));
        // A command already on the topic before the worker starts is obeyed from the first job on.
        command(ControlAction.SUSPEND, ControlTarget.site("gmail"));
        control = new ControlReader(kafka, topics, "node-4").start();
        assertThat(control.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
        assertThat(control.state().standing(ControlTarget.site("gmail"))).isPresent();

        StageContext ctx = new StageContext(kafka, topics, "node-4", CLOCK, new SimpleMeterRegistry());
        var agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                new DeliverySettings("client.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        stage = new DeliveryWorker(ctx, agent, new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m", "1h")),
                Duration.ofDays(5)).obeying(control.state(), Duration.ofMillis(500)).start();
        events = new CommittedTopic(bootstrap, topics.events());
    }

    @AfterAll
    static void stop() {
        WorkerTestParts.closeAll(producer, stage, control, events, sink);
    }

    @Test
    void aHeldJobIsNotDeliveredUntilReleasedAndRequeued() throws Exception {
        String queueId = IDS.next();
        command(ControlAction.HOLD, ControlTarget.queueId(queueId));
        send("default", job(queueId, "held@example.net", "default"));

        LifecycleEvent held = awaitEvent(e -> e.getType() == EventType.HELD && e.getQueueId().equals(queueId));
        assertThat(held.getTopic()).as("parked in the longest tier").isEqualTo(topics.retry("1h"));
        assertThat(held.getAttempt()).as("no attempt was made").isZero();
        assertThat(held.getNextAttemptAt()).isAfter(CLOCK.instant().plus(Duration.ofMinutes(50)));

        command(ControlAction.RELEASE, ControlTarget.queueId(queueId));
        Thread.sleep(2_000); // four rechecks: released, but still waiting out its tier
        assertThat(delivered("held@example.net")).isFalse();
        assertThat(eventsOf(queueId)).extracting(LifecycleEvent::getType).containsExactly(EventType.HELD);

        command(ControlAction.REQUEUE, ControlTarget.queueId(queueId));
        LifecycleEvent delivery = awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(queueId));
        assertThat(delivery.getAttempt()).as("the requeued job's first attempt").isEqualTo(1);
        assertThat(delivered("held@example.net")).isTrue();
    }

    @Test
    void aDeletedJobIsDroppedWithADeletedEvent() throws Exception {
        String queueId = IDS.next();
        command(ControlAction.DELETE, ControlTarget.queueId(queueId));
        String other = IDS.next();
        send("default", job(queueId, "deleted@example.net", "default"));
        send("default", job(other, "kept@example.net", "default"));

        LifecycleEvent deleted = awaitEvent(e -> e.getType() == EventType.DELETED && e.getQueueId().equals(queueId));
        assertThat(deleted.getRecipients()).containsExactly("deleted@example.net");
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(other));
        assertThat(eventsOf(queueId)).extracting(LifecycleEvent::getType).containsExactly(EventType.DELETED);
        assertThat(delivered("deleted@example.net")).isFalse();
        assertThat(delivered("kept@example.net")).isTrue();
    }

    @Test
    void aSuspendedSiteKeepsItsJobWhileAnotherSiteIsDelivered() throws Exception {
        String waiting = IDS.next();
        String flowing = IDS.next();
        send("gmail", job(waiting, "waiting@gmail.example", "gmail"));
        send("default", job(flowing, "flowing@example.net", "default"));

        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(flowing));
        Thread.sleep(1_500);
        assertThat(eventsOf(waiting)).as("kept in its topic: no attempt, no event").isEmpty();
        assertThat(delivered("waiting@gmail.example")).isFalse();

        command(ControlAction.RESUME, ControlTarget.site("gmail"));
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(waiting));
        assertThat(delivered("waiting@gmail.example")).isTrue();
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void command(ControlAction action, ControlTarget target) throws Exception {
        Instant now = CLOCK.instant();
        ControlOrder order = new ControlOrder(UUID.randomUUID().toString(), action, target, now, null, "test");
        producer.send(ControlRecords.record(topics, order, "tester@localhost")).get();
        if (control != null) {
            await().atMost(Duration.ofSeconds(30)).until(() -> control.state().standing(target).filter(o -> o.commandId().equals(order.commandId())).isPresent());
        }
    }

    private static DeliveryJob job(String queueId, String rcpt, String site) {
        return SinkJobs.job(queueId, rcpt, site, CLOCK.instant(), sink.port(), "control");
    }

    private static void send(String site, DeliveryJob job) throws Exception {
        producer.send(new ProducerRecord<>(topics.deliver(site), job.getDestination().getBytes(StandardCharsets.UTF_8),
                JOBS.encode(job))).get();
    }

    private static boolean delivered(String rcpt) {
        return sink.transactions().stream().anyMatch(t -> t.accepted() && t.recipients().contains(rcpt));
    }

    private static LifecycleEvent awaitEvent(Predicate<LifecycleEvent> which) {
        return SinkJobs.awaitEvent(events, which);
    }

    private static List<LifecycleEvent> eventsOf(String queueId) {
        return decodedEvents().stream().filter(e -> e.getQueueId().equals(queueId)).toList();
    }

    private static List<LifecycleEvent> decodedEvents() {
        return SinkJobs.decoded(events);
    }
}
