package io.postbus.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.testkit.FreePort;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker outage is waited out: a stage that cannot reach Kafka keeps trying instead of dying. */
class TransactionalStageOutageTest {
    @TempDir
    Path dir;

    @Test
    void aStageStartedDuringAnOutageWorksOnceTheBrokerIsBack() throws Exception {
        BrokerConfig config = BrokerConfig.builder(dir).port(FreePort.pick()).build();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config);
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("in", 1, (short) 1), new NewTopic("out", 1, (short) 1),
                    new NewTopic("dead", 1, (short) 1))).all().get();
        }
        broker.close();

        Map<String, String> shortWaits = Map.of("max.block.ms", "2000", "request.timeout.ms", "2000",
                "delivery.timeout.ms", "4000", "default.api.timeout.ms", "2000");
        KafkaSettings kafka = new KafkaSettings(bootstrap, "outage", 1 << 20, "none", shortWaits);
        StageSpec spec = StageSpec.of("copier", "copier-group", "node-1", "in");
        try (TransactionalStage stage = new TransactionalStage(spec, kafka,
                rec -> StageResult.emit(new ProducerRecord<>("out", rec.key(), rec.value())), "dead",
                Clock.systemUTC(), new SimpleMeterRegistry()).start()) {
            Thread.sleep(5_000); // longer than max.block.ms: initTransactions has timed out at least once
            assertThat(stage.isRunning()).as("still waiting out the outage").isTrue();

            broker = EmbeddedKafkaBroker.start(config);
            try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                    "key.serializer", ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()))) {
                p.send(new ProducerRecord<>("in", "k".getBytes(StandardCharsets.UTF_8), "survived".getBytes(StandardCharsets.UTF_8))).get();
            }
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    "key.deserializer", ByteArrayDeserializer.class.getName(), "value.deserializer", ByteArrayDeserializer.class.getName()))) {
                c.subscribe(List.of("out"));
                StringBuilder seen = new StringBuilder();
                await().atMost(Duration.ofSeconds(90)).until(() -> {
                    c.poll(Duration.ofMillis(200)).forEach(r -> seen.append(new String(r.value(), StandardCharsets.UTF_8)));
                    return seen.toString().contains("survived");
                });
            }
        } finally {
            broker.close();
        }
    }
}
