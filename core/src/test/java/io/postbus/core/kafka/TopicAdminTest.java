package io.postbus.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.core.config.ConfigException;
import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Topics are created with their settings, and an existing topic that cannot carry our mail stops the start. */
class TopicAdminTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private Admin admin;
    private String prefix;

    @BeforeEach
    void setUp() {
        admin = Admin.create(KafkaSettings.of(TestKafka.bootstrapServers(), 1 << 20).admin("topic-admin-test"));
        prefix = TestKafka.uniquePrefix("topic-admin");
    }

    @AfterEach
    void tearDown() {
        admin.close(Duration.ofSeconds(5));
    }

    @Test
    void createsMissingTopicsWithTheirPartitionsAndConfigs() throws Exception {
        TopicSpec mail = new TopicSpec(prefix + "mail", 3, (short) 1,
                Map.of("max.message.bytes", "2000000", "retention.ms", "3600000"));
        TopicSpec control = new TopicSpec(prefix + "control", 1, (short) 1, Map.of("cleanup.policy", "compact"));

        new TopicAdmin(admin, TIMEOUT).ensure(List.of(mail, control));

        assertThat(admin.describeTopics(List.of(mail.name())).allTopicNames().get().get(mail.name()).partitions()).hasSize(3);
        Config mailConfig = config(mail.name());
        assertThat(mailConfig.get("max.message.bytes").value()).isEqualTo("2000000");
        assertThat(mailConfig.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(config(control.name()).get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void secondCallFindsEverythingInPlaceAndChangesNothing() throws Exception {
        TopicSpec spec = new TopicSpec(prefix + "twice", 2, (short) 1, Map.of("max.message.bytes", "1500000"));
        TopicAdmin topics = new TopicAdmin(admin, TIMEOUT);
        topics.ensure(List.of(spec));
        String topicId = admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name()).topicId().toString();

        topics.ensure(List.of(spec));

        var description = admin.describeTopics(List.of(spec.name())).allTopicNames().get().get(spec.name());
        assertThat(description.topicId().toString()).as("the same topic, not re-created").isEqualTo(topicId);
        assertThat(description.partitions()).hasSize(2);
        assertThat(config(spec.name()).get("max.message.bytes").value()).isEqualTo("1500000");
    }

    @Test
    void nodesStartingTogetherBothSucceedWhenOneWinsTheRaceToCreate() throws Exception {
        List<TopicSpec> specs = List.of(
                new TopicSpec(prefix + "race-a", 2, (short) 1, Map.of("max.message.bytes", "1500000")),
                new TopicSpec(prefix + "race-b", 2, (short) 1, Map.of()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Void>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Callable<Void> ensure = () -> {
                    try (Admin own = Admin.create(KafkaSettings.of(TestKafka.bootstrapServers(), 1 << 20).admin("racer"))) {
                        new TopicAdmin(own, TIMEOUT).ensure(specs);
                    }
                    return null;
                };
                runs.add(pool.submit(ensure));
            }
            for (Future<Void> run : runs) {
                run.get(30, TimeUnit.SECONDS); // throws if any node failed
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(admin.listTopics().names().get()).contains(prefix + "race-a", prefix + "race-b");
    }

    @Test
    void existingTopicWithTooSmallMaxMessageBytesIsAConfigErrorNamingTheTopic() throws Exception {
        String small = prefix + "small";
        admin.createTopics(List.of(new NewTopic(small, 1, (short) 1).configs(Map.of("max.message.bytes", "1000"))))
                .all().get(30, TimeUnit.SECONDS);
        TopicSpec wanted = new TopicSpec(small, 1, (short) 1, Map.of("max.message.bytes", "40000000"));

        assertThatThrownBy(() -> new TopicAdmin(admin, TIMEOUT).ensure(List.of(wanted)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.problems().get(0)).contains(small, "max.message.bytes=1000", "40000000");
                });
        assertThat(config(small).get("max.message.bytes").value()).as("not altered behind the operator's back").isEqualTo("1000");
    }

    @Test
    void everyMisconfiguredTopicIsReportedAtOnce() throws Exception {
        String small = prefix + "small";
        String notCompacted = prefix + "control";
        admin.createTopics(List.of(
                new NewTopic(small, 1, (short) 1).configs(Map.of("max.message.bytes", "1000")),
                new NewTopic(notCompacted, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> new TopicAdmin(admin, TIMEOUT).ensure(List.of(
                new TopicSpec(small, 1, (short) 1, Map.of("max.message.bytes", "2000000")),
                new TopicSpec(notCompacted, 1, (short) 1, Map.of("cleanup.policy", "compact")),
                new TopicSpec(prefix + "fine", 1, (short) 1, Map.of("max.message.bytes", "2000000")))))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(2);
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(small, "max.message.bytes"));
                    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(notCompacted, "cleanup.policy=compact"));
                    assertThat(e.getMessage()).contains(small, notCompacted);
                });
        // The missing topic was still created before the check.
        assertThat(admin.listTopics().names().get()).contains(prefix + "fine");
    }

    @Test
    void existingTopicWithFewerPartitionsIsAcceptedAndLeftAsItIs() throws Exception {
        String few = prefix + "few";
        admin.createTopics(List.of(new NewTopic(few, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);

        new TopicAdmin(admin, TIMEOUT).ensure(List.of(new TopicSpec(few, 4, (short) 1, Map.of())));

        assertThat(admin.describeTopics(List.of(few)).allTopicNames().get().get(few).partitions()).hasSize(1);
    }

    @Test
    void thePlanCreatesEveryPostbusTopicAndASecondStartAcceptsThem() throws Exception {
        Topics topics = new Topics(prefix);
        long maxBytes = TopicPlan.maxMessageBytesFor(35L << 20);
        TopicPlan plan = new TopicPlan(topics, 2, (short) 1, maxBytes, Duration.ofDays(7), Duration.ofDays(3),
                List.of("default", "gmail"), List.of("5m", "1h"));
        TopicAdmin topicAdmin = new TopicAdmin(admin, TIMEOUT);
        topicAdmin.ensure(plan.specs());
        topicAdmin.ensure(plan.specs());

        Set<String> names = admin.listTopics().names().get();
        assertThat(names).contains(topics.received(), topics.authenticated(), topics.scored(), topics.quarantine(),
                topics.dead(), topics.deliver("default"), topics.deliver("gmail"), topics.retry("5m"), topics.retry("1h"),
                topics.events(), topics.control(), topics.suppression());
        assertThat(config(topics.received()).get("max.message.bytes").value()).isEqualTo(Long.toString(maxBytes));
        assertThat(config(topics.dead()).get("max.message.bytes").value()).isEqualTo(Long.toString(maxBytes));
        assertThat(config(topics.suppression()).get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config(topics.events()).get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
        assertThat(maxBytes).isGreaterThan(35L << 20);
    }

    private Config config(String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
    }
}
