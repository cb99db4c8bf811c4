package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.shaping.BackoffRules;
import io.postbus.delivery.shaping.ShapingConfig;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.FakeMx;
import io.postbus.testkit.TestKafka;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * ADR 0009 and 0010 together: a site allows fewer connections than a batch has jobs for it. The
 * jobs beyond the site's slots wait, within the batch, for a slot of their own batch to free: they
 * are delivered in that batch, never over more connections at once than the site allows, and none
 * is parked in a retry tier (which cost a Kafka round trip per job and a second pass over it).
 */
class DeliveryWorkerSlotWaitTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final QueueIdGenerator IDS = new QueueIdGenerator(CLOCK, 7);
    private static final int SITE_CONNECTIONS = 2;
    /** The site's slots and the jobs that may wait for them: BATCH_PER_CONNECTION per slot. */
    private static final int JOBS_IN_BATCH = SITE_CONNECTIONS * DeliveryWorker.BATCH_PER_CONNECTION;

    @Test
    void jobsBeyondASitesConnectionSlotsWaitForASlotInsteadOfBeingParked() throws Exception {
        // Each transaction takes a while, so the batch's attempts overlap and the slots stay full.
        try (FakeMx sink = FakeMx.start().stall(FakeMx.Command.DATA_END, Duration.ofMillis(100))) {
            deliverOneBatch(sink);
        }
    }

    private static void deliverOneBatch(FakeMx sink) throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        Topics topics = new Topics(TestKafka.uniquePrefix("delivery-slots"));
        SinkJobs.ensureOneSiteTopics(bootstrap, topics);
        List<String> recipients = new ArrayList<>();
        List<DeliveryJob> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS_IN_BATCH; i++) {
            String rcpt = "user" + i + "@example.net";
            recipients.add(rcpt);
            jobs.add(SinkJobs.job(IDS.next(), rcpt, "default", CLOCK.instant(), sink.port(), "slots"));
        }
        SinkJobs.sendToDefaultSite(bootstrap, topics, jobs);
        SiteShaper shaper = new SiteShaper(ShapingConfig.parse("default max-connections=" + SITE_CONNECTIONS + "\n", "test shaping"),
                BackoffRules.builtIn(), CLOCK);
        StageContext ctx = new StageContext(new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of()), topics,
                "node-7", CLOCK, new SimpleMeterRegistry());
        try (CommittedTopic events = new CommittedTopic(bootstrap, topics.events());
             SmtpDeliveryAgent smtp = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                     new DeliverySettings("client.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(30)), shaper)) {
            ConcurrencyMeter meter = new ConcurrencyMeter(smtp);
            try (TransactionalStage stage = new DeliveryWorker(ctx, meter,
                    new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m")), Duration.ofDays(5))
                    .shaping(shaper).concurrency(6).start()) {
                assertOneBatchDelivered(events, recipients, meter);
            }
        }
    }

    private static void assertOneBatchDelivered(CommittedTopic events, List<String> recipients, ConcurrencyMeter meter) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> SinkJobs.decoded(events).size() >= JOBS_IN_BATCH);
        List<LifecycleEvent> outcomes = SinkJobs.decoded(events);
        assertThat(outcomes).as("every job delivered, none parked (DELAYED) for the busy slots")
                .allMatch(e -> e.getType() == EventType.DELIVERY).hasSize(JOBS_IN_BATCH);
        assertThat(outcomes.stream().flatMap(e -> e.getRecipients().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(recipients);
        assertThat(meter.mostAtOnce()).as("attempts at once, bounded by the site's max-connections")
                .isBetween(1, SITE_CONNECTIONS);
    }

    /** The real agent, counting the attempts under way at the same time. */
    private static final class ConcurrencyMeter implements DeliveryAgent {
        private final DeliveryAgent agent;
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        ConcurrencyMeter(DeliveryAgent agent) {
            this.agent = agent;
        }

        @Override
        public DeliveryReport deliver(DeliveryRequest request) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                return agent.deliver(request);
            } finally {
                now.decrementAndGet();
            }
        }

        int mostAtOnce() {
            return most.get();
        }
    }
}
