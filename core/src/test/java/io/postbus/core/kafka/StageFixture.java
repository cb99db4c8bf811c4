package io.postbus.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.testkit.MutableClock;
import io.postbus.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One stage's world on a real broker: input, output and dead topics under a fresh prefix, a
 * producer for inputs, readers for what came out, and the stage instances, all closed together.
 */
final class StageFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    final String bootstrap;
    final String input;
    final String output;
    final String dead;
    final String group;
    final KafkaSettings kafka;
    private final String prefix;
    private final int partitions;
    private final Map<String, String> outputConfigs;
    final MutableClock clock = new MutableClock(T0);
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<TransactionalStage> stages = Collections.synchronizedList(new ArrayList<>());
    private final List<TopicReader> readers = new ArrayList<>();

    static StageFixture create(String hint, int partitions) {
        return create(TestKafka.bootstrapServers(), hint, partitions, Map.of(), Map.of());
    }

    /**
     * @param outputConfigs topic configs of the output topic only (e.g. a small max.message.bytes)
     * @param overrides     client properties every stage client gets (KafkaSettings overrides)
     */
    static StageFixture create(String bootstrap, String hint, int partitions, Map<String, String> outputConfigs,
                               Map<String, String> overrides) {
        return new StageFixture(bootstrap, TestKafka.uniquePrefix(hint), partitions, outputConfigs, overrides);
    }

    private StageFixture(String bootstrap, String prefix, int partitions, Map<String, String> outputConfigs,
                         Map<String, String> overrides) {
        this.bootstrap = bootstrap;
        this.partitions = partitions;
        this.outputConfigs = outputConfigs;
        this.prefix = prefix;
        this.input = prefix + "in";
        this.output = prefix + "out";
        this.dead = prefix + "dead";
        this.group = prefix + "stage";
        this.kafka = new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", overrides);
        this.admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("fixture"));
        new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                new TopicSpec(input, partitions, (short) 1, Map.of()),
                new TopicSpec(output, partitions, (short) 1, outputConfigs),
                new TopicSpec(dead, 1, (short) 1, Map.of())));
        this.producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("fixture"));
    }

    /** The same topics and group through another bootstrap (a restarted broker on a new port). */
    StageFixture reconnect(String newBootstrap, Map<String, String> overrides) {
        return new StageFixture(newBootstrap, prefix, partitions, outputConfigs, overrides);
    }

    StageSpec spec(String instanceId, int maxPollRecords) {
        return spec(instanceId, maxPollRecords, Duration.ofSeconds(30));
    }

    StageSpec spec(String instanceId, int maxPollRecords, Duration maxPollInterval) {
        return new StageSpec("echo", group, instanceId, List.of(input), null, maxPollRecords, maxPollInterval);
    }

    TransactionalStage start(StageSpec spec, StageProcessor processor) {
        return start(spec, kafka, processor);
    }

    TransactionalStage start(StageSpec spec, KafkaSettings settings, StageProcessor processor) {
        TransactionalStage stage = new TransactionalStage(spec, settings, processor, dead, clock, metrics);
        stages.add(stage);
        return stage.start();
    }

    TransactionalStage startPlanned(StageSpec spec, int concurrency, PlannedProcessor processor) {
        return startPlanned(spec, kafka, concurrency, processor);
    }

    TransactionalStage startPlanned(StageSpec spec, KafkaSettings settings, int concurrency, PlannedProcessor processor) {
        TransactionalStage stage = new TransactionalStage(spec, settings, processor, concurrency, dead, clock, metrics);
        stages.add(stage);
        return stage.start();
    }

    /**
     * The processor most tests use: one output per input, value {@code out:<input value>}, same key,
     * same partition number (so per-partition order can be checked on the output).
     */
    ProducerRecord<byte[], byte[]> echo(ConsumerRecord<byte[], byte[]> in) {
        return new ProducerRecord<>(output, in.partition(), in.key(), bytes("out:" + TopicReader.str(in.value())));
    }

    /** Produces {@code value} to the given input partition and waits for the acknowledgement. */
    void send(int partition, String... values) {
        List<Future<?>> acks = new ArrayList<>();
        for (String v : values) {
            acks.add(producer.send(new ProducerRecord<>(input, partition, bytes(v), bytes(v))));
        }
        producer.flush();
        for (var ack : acks) {
            try {
                ack.get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IllegalStateException("input not acknowledged", e);
            }
        }
    }

    void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("input not acknowledged", e);
        }
    }

    TopicReader committed(String topic) {
        TopicReader r = new TopicReader(bootstrap, topic, true);
        readers.add(r);
        return r;
    }

    TopicReader uncommitted(String topic) {
        TopicReader r = new TopicReader(bootstrap, topic, false);
        readers.add(r);
        return r;
    }

    /** The group's committed input offsets, summed over partitions: how many inputs are consumed for good. */
    long committedInputOffsets() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(input) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records written to a topic, control markers of transactions included. */
    long endOffsets(String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(i -> i.offset()).sum();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until what read_committed readers see of {@code out} and the group's committed offsets
     * agree and stay so for a moment (transaction markers land just after commitTransaction returns),
     * and returns that count. For stages that are stopped or stuck, one output per input.
     */
    int settledCount(TopicReader out) {
        int[] seen = new int[1];
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    seen[0] = out.records().size();
                    return seen[0] == committedInputOffsets();
                });
        return seen[0];
    }

    double counter(String outcome) {
        return metrics.counter("postbus.stage.records", "stage", "echo", "outcome", outcome).count();
    }

    /** Asserts each expected value is present exactly once and nothing else is. */
    static void assertExactlyOnce(List<String> actual, List<String> expected) {
        Map<String, Long> counts = actual.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        Map<String, Long> duplicates = counts.entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(duplicates).as("values present more than once").isEmpty();
        assertThat(Set.copyOf(actual)).as("values present").isEqualTo(Set.copyOf(expected));
    }

    static List<String> numbered(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    static List<String> echoed(List<String> inputs) {
        return inputs.stream().map(v -> "out:" + v).toList();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        HoldingInterceptor.openAll();
        synchronized (stages) {
            stages.forEach(TransactionalStage::close);
        }
        readers.forEach(TopicReader::close);
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
