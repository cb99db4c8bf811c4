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
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.shaping.BackoffRules;
import io.postbus.delivery.shaping.ShapingConfig;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.MutableClock;
import io.postbus.testkit.FakeMx;
import io.postbus.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traffic shaping on a real broker, delivering to a receiving MTA on a real socket (the test kit's FakeMx),
 * with a clock the test moves: a throttled or backed-off site waits, and no other site waits with
 * it (no head-of-line blocking), whether it shares the catch-all topic or has a topic of its own.
 */
class DeliveryWorkerShapingTest {
    private static final AvroCodec<DeliveryJob> JOBS = AvroCodec.of(DeliveryJob.class);
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final QueueIdGenerator IDS = new QueueIdGenerator(java.time.Clock.systemUTC(), 5);
    private static final String SHAPING = """
            # one message a minute for a small receiver on the shared topic, and for the gmail site
            slow.example   messages-per-minute=1
            gmail          messages-per-minute=1
            """;

    private static FakeMx sink;
    private static Topics topics;
    private static TransactionalStage stage;
    private static KafkaProducer<byte[], byte[]> producer;
    private static CommittedTopic events;
    private static SmtpDeliveryAgent agent;

    @BeforeAll
    static void start() throws Exception {
        // Gmail's rate-limit reply to the first RCPT of a@limited.example only; every later attempt is accepted.
        sink = FakeMx.start().rcpt("a@limited.example", FakeMx.RcptScript.failFirst(1,
                "421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail\n"
                + "421 4.7.28 originating from your IP address. To protect our users from spam, mail sent from\n"
                + "421 4.7.28 your IP address has been temporarily rate limited."));
        String bootstrap = TestKafka.bootstrapServers();
        topics = new Topics(TestKafka.uniquePrefix("delivery-shaping"));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("shaping-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.deliver("default"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.deliver("gmail"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1m"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1h"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
        KafkaSettings kafka = new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of());
        producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("shaping-test"));
        SiteShaper shaper = new SiteShaper(ShapingConfig.parse(SHAPING, "test shaping"), BackoffRules.builtIn(), CLOCK);
        StageContext ctx = new StageContext(kafka, topics, "node-5", CLOCK, new SimpleMeterRegistry());
        agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                new DeliverySettings("client.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(10)), shaper);
        stage = new DeliveryWorker(ctx, agent, new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m", "1h")),
                Duration.ofDays(5)).shaping(shaper).start();
        events = new CommittedTopic(bootstrap, topics.events());
    }

    @AfterAll
    static void stop() {
        WorkerTestParts.closeAll(producer, stage, events, sink, agent);
    }

    @Test
    void aThrottledSiteOnTheSharedTopicIsParkedWhileTheOthersBehindItAreDelivered() throws Exception {
        String first = IDS.next();
        String second = IDS.next();
        String other1 = IDS.next();
        String other2 = IDS.next();
        // Same topic, same partition: slow.example's second job sits right in front of the others.
        send("default", job(first, "a@slow.example", "default"));
        send("default", job(second, "b@slow.example", "default"));
        send("default", job(other1, "c@fast.example", "default"));
        send("default", job(other2, "d@fast.example", "default"));

        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(first));
        LifecycleEvent delayed = awaitEvent(e -> e.getType() == EventType.DELAYED && e.getQueueId().equals(second));
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(other1));
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(other2));
        assertThat(delayed.getAttempt()).as("waiting for a limit is not an attempt").isZero();
        assertThat(delayed.getTopic()).isEqualTo(topics.retry("1m"));
        assertThat(delayed.getDetail()).startsWith("MESSAGE_RATE").contains("slow.example", "1/m");
        assertThat(delayed.getNextAttemptAt()).isAfter(CLOCK.instant().plusSeconds(50));
        assertThat(delivered("b@slow.example")).isFalse();

        CLOCK.advance(Duration.ofSeconds(61));
        LifecycleEvent delivery = awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(second));
        assertThat(delivery.getAttempt()).as("its first attempt").isEqualTo(1);
        assertThat(delivered("b@slow.example")).isTrue();
    }

    @Test
    void aRateLimitReplyThrottlesItsSiteAndOnlyItsSite() throws Exception {
        String limited = IDS.next();
        String next = IDS.next();
        String other = IDS.next();
        send("default", job(limited, "a@limited.example", "default"));
        LifecycleEvent deferred = awaitEvent(e -> e.getType() == EventType.TRANSIENT_FAILURE && e.getQueueId().equals(limited));
        assertThat(deferred.getDetail()).as("the backoff rule that matched")
                .contains("limited.example: throttle 60/h for 1h", "built-in backoff-rules.txt:", "4.7.28");

        send("default", job(next, "b@limited.example", "default"));
        send("default", job(other, "c@open.example", "default"));
        LifecycleEvent delayed = awaitEvent(e -> e.getType() == EventType.DELAYED && e.getQueueId().equals(next));
        assertThat(delayed.getDetail()).startsWith("BACKOFF_THROTTLED");
        assertThat(delayed.getAttempt()).isZero();
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(other));
        assertThat(delivered("b@limited.example")).isFalse();

        // One message a minute now: after a minute one of the two goes, after another the other.
        CLOCK.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredCount("@limited.example") == 1);
        CLOCK.advance(Duration.ofSeconds(61));
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveredCount("@limited.example") == 2);
        assertThat(delivered("a@limited.example")).isTrue();
        assertThat(delivered("b@limited.example")).isTrue();
    }

    @Test
    void aThrottledSiteOnItsOwnTopicPausesOnlyThatTopic() throws Exception {
        String first = IDS.next();
        String second = IDS.next();
        String other = IDS.next();
        send("gmail", job(first, "a@gmail.example", "gmail"));
        send("gmail", job(second, "b@gmail.example", "gmail"));
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(first));
        send("default", job(other, "c@elsewhere.example", "default"));
        awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(other));
        Thread.sleep(1_000);
        assertThat(eventsOf(second)).as("kept in its own topic: no parking, no event").isEmpty();
        assertThat(delivered("b@gmail.example")).isFalse();

        CLOCK.advance(Duration.ofSeconds(61));
        LifecycleEvent delivery = awaitEvent(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(second));
        assertThat(delivery.getAttempt()).isEqualTo(1);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static DeliveryJob job(String queueId, String rcpt, String site) {
        return SinkJobs.job(queueId, rcpt, site, CLOCK.instant(), sink.port(), "shaping");
    }

    private static void send(String site, DeliveryJob job) throws Exception {
        producer.send(new ProducerRecord<>(topics.deliver(site), job.getDestination().getBytes(StandardCharsets.UTF_8),
                JOBS.encode(job))).get();
    }

    private static boolean delivered(String rcpt) {
        return sink.transactions().stream().anyMatch(t -> t.accepted() && t.recipients().contains(rcpt));
    }

    private static long deliveredCount(String domainSuffix) {
        return sink.transactions().stream()
                .filter(t -> t.accepted() && t.recipients().stream().anyMatch(r -> r.endsWith(domainSuffix))).count();
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
