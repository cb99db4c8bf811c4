package io.postbus.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.postbus.broker.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestKafkaTest {

    @Test
    void sharedBrokerServesProduceAndConsume() throws Exception {
        String bootstrap = TestKafka.bootstrapServers();
        assertThat(TestKafka.bootstrapServers()).isSameAs(bootstrap);
        if (!DockerProbe.anySignOfDocker()) {
            assertThat(TestKafka.backend()).isEqualTo("inproc");
        }
        String topic = TestKafka.uniquePrefix("shared") + "inbound";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(Set.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "id-1", "hello")).get();
        }
        assertThat(readAll(bootstrap, topic, 1)).containsExactly("hello");
    }

    @Test
    void prefixesAreUniqueAndValidTopicNames() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            assertThat(seen.add(TestKafka.uniquePrefix("dup"))).isTrue();
        }
        assertThat(TestKafka.uniquePrefix("Queue Router/ümlaut")).matches("t-queue-router-mlaut-\\d+\\.");
        assertThat(TestKafka.uniquePrefix("***")).matches("t-x-\\d+\\.");
        assertThat(TestKafka.uniquePrefix("x".repeat(300))).hasSizeLessThan(80);
    }

    @Test
    void dedicatedBrokerKeepsTopicsAcrossRestart(@TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = TestKafka.startDedicated(dir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(Set.of(new NewTopic("durable", 1, (short) 1))).all().get();
        }
        try (EmbeddedKafkaBroker broker = TestKafka.startDedicated(dir);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertThat(broker.bootstrapServers()).isNotEqualTo(TestKafka.bootstrapServers());
            assertThat(admin.listTopics().names().get()).contains("durable");
        }
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
