package io.postbus.router.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.router.core.Router;
import io.postbus.router.core.RouterConfig;
import io.postbus.router.core.RoutingTable;
import io.postbus.router.core.SiteTable;
import io.postbus.schemas.AuthResults;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.SpamVerdict;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.TestKafka;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router on a real broker with zone-file DNS: the jobs of two domains hosted by one provider
 * carry the same key (the site) on mail.deliver.default, so they land on one partition and one
 * owner; a domain whose MX matches a configured pattern goes to that site's own topic.
 */
class QueueRouterSitesTest {
    private static final AvroCodec<ScoredMail> MAIL = AvroCodec.of(ScoredMail.class);
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);
    private static final String ZONE = """
            $TTL 300
            .                    SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300
            shop.example.        MX 10 mx1.hoster.example.
            shop.example.        MX 10 mx2.hoster.example.
            blog.example.        MX 10 mx2.hoster.example.
            blog.example.        MX 10 mx1.hoster.example.
            other.example.       MX 10 mx.other.example.
            workspace.example.   MX 1 aspmx.l.google.com.
            workspace.example.   MX 5 alt1.aspmx.l.google.com.
            """;

    private static Topics topics;
    private static TransactionalStage stage;
    private static KafkaProducer<byte[], byte[]> producer;
    private static String bootstrap;

    @BeforeAll
    static void start() {
        bootstrap = TestKafka.bootstrapServers();
        topics = new Topics(TestKafka.uniquePrefix("router-sites"));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("router-sites-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.scored(), 1, (short) 1, Map.of()),
                    new TopicSpec(QueueRouter.rerouteTopic(topics), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.deliver("default"), 8, (short) 1, Map.of()),
                    new TopicSpec(topics.deliver("google"), 4, (short) 1, Map.of()),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
        AddressingConfig addressing = AddressingConfig.builder("example.com").mydestination(List.of("example.com")).build();
        RouterConfig config = RouterConfig.builder(new AddressClassifier(addressing), Path.of("/var/mail"))
                .routing(new RoutingTable(null, SiteTable.parse(List.of("google:mx=*.google.com"))))
                .build();
        Router router = new Router(config, ZoneFileResolver.fromString(".", ZONE), Clock.systemUTC());
        StageContext ctx = new StageContext(new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of()), topics,
                "node-1", Clock.systemUTC(), new SimpleMeterRegistry());
        stage = new QueueRouter(ctx, router, new QueueRouter.Settings(Duration.ofMinutes(5), Duration.ofDays(5)),
                (mail, failed) -> List.of()).start();
        producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("router-sites-test"));
    }

    @AfterAll
    static void stop() {
        if (stage != null) {
            stage.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void domainsOfOneProviderShareAKeyAndAPatternSiteGetsItsOwnTopic() throws Exception {
        producer.send(new ProducerRecord<>(topics.scored(), "Q1".getBytes(StandardCharsets.UTF_8),
                MAIL.encode(scored("Q1", "a@shop.example", "b@blog.example", "c@other.example", "d@workspace.example")))).get();

        List<ConsumerRecord<byte[], byte[]>> shared = await().atMost(Duration.ofSeconds(60))
                .until(() -> committed(topics.deliver("default")), r -> r.size() >= 3);
        assertThat(shared).hasSize(3);
        assertThat(shared).extracting(r -> JOB.decode(r.value()).getDestination())
                .containsExactlyInAnyOrder("shop.example", "blog.example", "other.example");
        String hoster = "mx1.hoster.example_mx2.hoster.example";
        List<ConsumerRecord<byte[], byte[]>> hosted = shared.stream()
                .filter(r -> !JOB.decode(r.value()).getDestination().equals("other.example")).toList();
        assertThat(hosted).as("one job per destination, one key per site")
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly(hoster, hoster);
        assertThat(hosted).extracting(ConsumerRecord::partition).as("hence one partition, one owner").containsOnly(hosted.get(0).partition());
        assertThat(hosted).extracting(r -> JOB.decode(r.value()).getSite()).containsOnly(hoster);
        assertThat(hosted).extracting(r -> JOB.decode(r.value()).getRecipients().size()).as("only that destination's recipients")
                .containsExactly(1, 1);

        List<ConsumerRecord<byte[], byte[]>> google = await().atMost(Duration.ofSeconds(30))
                .until(() -> committed(topics.deliver("google")), r -> !r.isEmpty());
        assertThat(google).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("google");
            DeliveryJob job = JOB.decode(r.value());
            assertThat(job.getSite()).isEqualTo("google");
            assertThat(job.getDestination()).isEqualTo("workspace.example");
            assertThat(job.getRecipients()).extracting(Recipient::getAddress).containsExactly("d@workspace.example");
        });

        List<LifecycleEvent> routed = committed(topics.events()).stream().map(r -> Events.codec().decode(r.value()))
                .filter(e -> e.getType() == EventType.ROUTED).toList();
        assertThat(routed).extracting(LifecycleEvent::getDestination, LifecycleEvent::getSite, LifecycleEvent::getTopic)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("shop.example", hoster, topics.deliver("default")),
                        org.assertj.core.groups.Tuple.tuple("blog.example", hoster, topics.deliver("default")),
                        org.assertj.core.groups.Tuple.tuple("other.example", "mx.other.example", topics.deliver("default")),
                        org.assertj.core.groups.Tuple.tuple("workspace.example", "google", topics.deliver("google")));
        assertThat(routed).filteredOn(e -> e.getDestination().equals("workspace.example")).singleElement()
                .satisfies(e -> assertThat(e.getDetail()).endsWith("site google (delivery.sites mx pattern)"));
    }

    private static List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    private static ScoredMail scored(String queueId, String... rcpts) {
        Envelope env = Envelope.newBuilder()
                .setQueueId(queueId)
                .setReceivedAt(Instant.now())
                .setIngressNode("node-1")
                .setListener(Listener.SMTP)
                .setDirection(io.postbus.schemas.Direction.INBOUND)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.1").setPort(40000).setProtocol("ESMTP").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.com").build())
                .setRecipients(java.util.Arrays.stream(rcpts).map(a -> Recipient.newBuilder().setAddress(a).build()).toList())
                .build();
        return ScoredMail.newBuilder()
                .setEnvelope(env)
                .setAuth(AuthResults.newBuilder().setAuthservId("mx.example.com").build())
                .setSpam(SpamVerdict.newBuilder().setScore(0).setRequiredScore(5).setAction(SpamAction.NO_ACTION).build())
                .setMessage(ByteBuffer.wrap("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                .build();
    }
}
