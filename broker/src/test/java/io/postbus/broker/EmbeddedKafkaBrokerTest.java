package io.postbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real broker: formats, serves transactions, and keeps everything across a restart. */
class EmbeddedKafkaBrokerTest {
    private static final String TOPIC = "mail.inbound";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final String GROUP = "router";

    @Test
    void transactionalRecordAndCommittedOffsetSurviveRestart(@TempDir Path dir) throws Exception {
        String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build())) {
            clusterId = broker.clusterId();
            createTopic(broker.bootstrapServers(), TOPIC);
            try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "m1", "committed"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "m2", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }
            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(broker.bootstrapServers(), GROUP)) {
                consumer.assign(List.of(PARTITION));
                consumer.seekToBeginning(List.of(PARTITION));
                assertThat(pollValues(consumer, 1)).containsExactly("committed");
                consumer.commitSync();
            }
        }
        Path metaProperties = dir.resolve("meta.properties");
        String metaBefore = Files.readString(metaProperties);
        FileTime formattedAt = Files.getLastModifiedTime(metaProperties);

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build())) {
            assertThat(broker.clusterId()).isEqualTo(clusterId);
            assertThat(Files.readString(metaProperties)).isEqualTo(metaBefore);
            assertThat(Files.getLastModifiedTime(metaProperties)).isEqualTo(formattedAt);
            try (Admin admin = admin(broker.bootstrapServers())) {
                assertThat(admin.listTopics().names().get()).contains(TOPIC);
                assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                // Record, commit marker, aborted record, abort marker: the consumer stood at 4.
                assertThat(committed.get(PARTITION).offset()).isEqualTo(4);
            }
            try (KafkaConsumer<String, String> consumer = readCommittedConsumer(broker.bootstrapServers(), "auditor")) {
                consumer.assign(List.of(PARTITION));
                consumer.seekToBeginning(List.of(PARTITION));
                assertThat(pollValues(consumer, 1)).containsExactly("committed");
            }
            // The transaction coordinator's state survived too: the same transactional.id starts again.
            try (KafkaProducer<String, String> producer = transactionalProducer(broker.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(TOPIC, "m3", "after restart"));
                producer.commitTransaction();
            }
        }
    }

    @Test
    void twoBrokersRunSideBySide(@TempDir Path first, @TempDir Path second) throws Exception {
        try (EmbeddedKafkaBroker a = EmbeddedKafkaBroker.start(BrokerConfig.builder(first).build());
             EmbeddedKafkaBroker b = EmbeddedKafkaBroker.start(BrokerConfig.builder(second).build())) {
            assertThat(a.bootstrapServers()).isNotEqualTo(b.bootstrapServers());
            assertThat(a.clusterId()).isNotEqualTo(b.clusterId());
            createTopic(a.bootstrapServers(), "only.on.a");
            try (Admin adminA = admin(a.bootstrapServers()); Admin adminB = admin(b.bootstrapServers())) {
                assertThat(adminA.describeCluster().clusterId().get()).isEqualTo(a.clusterId());
                assertThat(adminB.describeCluster().clusterId().get()).isEqualTo(b.clusterId());
                assertThat(adminA.listTopics().names().get()).contains("only.on.a");
                assertThat(adminB.listTopics().names().get()).doesNotContain("only.on.a");
            }
        }
    }

    @Test
    void aSecondBrokerOnADirectoryInUseFailsAndLeavesTheFirstRunning(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build())) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Kafka data directory " + dir.toAbsolutePath().normalize() + " is in use by another broker");
            createTopic(first.bootstrapServers(), TOPIC);
        }
        // The lock goes with the broker: the directory can be opened again.
        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build())) {
            try (Admin admin = admin(again.bootstrapServers())) {
                assertThat(admin.listTopics().names().get()).contains(TOPIC);
            }
        }
    }

    @Test
    void failsClearlyWhenTheAskedPortIsTaken(@TempDir Path dir) throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).port(port).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is already in use")
                    .hasRootCauseInstanceOf(BindException.class);
        }
        // Nothing was written, so the directory is still free to be formatted by a later start.
        assertThat(dir.resolve("meta.properties")).doesNotExist();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build())) {
            createTopic(broker.bootstrapServers(), TOPIC);
        }
    }

    @Test
    void acceptsARecordAsLargeAsTheBiggestMail(@TempDir Path dir) throws Exception {
        byte[] mail = new byte[36 * 1024 * 1024];
        mail[mail.length - 1] = 42;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build())) {
            createTopic(broker.bootstrapServers(), TOPIC);
            // Clients have their own, lower limits; these are the ones a 35 MB mail needs.
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, SingleNodeDefaults.MESSAGE_MAX_BYTES,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * SingleNodeDefaults.MESSAGE_MAX_BYTES),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, mail)).get();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.FETCH_MAX_BYTES_CONFIG, SingleNodeDefaults.MESSAGE_MAX_BYTES),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(PARTITION));
                consumer.seekToBeginning(List.of(PARTITION));
                byte[] read = null;
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read == null && System.nanoTime() < until) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        read = r.value();
                    }
                }
                assertThat(read).hasSize(mail.length);
                assertThat(read[mail.length - 1]).isEqualTo((byte) 42);
            }
        }
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int atLeast) {
        List<String> values = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < atLeast && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
        }
        // One more short poll shows that nothing beyond the expected records is visible.
        consumer.poll(Duration.ofMillis(300)).forEach(r -> values.add(r.value()));
        return values;
    }

    private static void createTopic(String bootstrap, String topic) throws ExecutionException, InterruptedException {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ingress-1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> readCommittedConsumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }
}
