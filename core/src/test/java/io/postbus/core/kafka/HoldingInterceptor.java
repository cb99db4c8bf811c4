package io.postbus.core.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Kafka's own producer hook, used to freeze a stage inside an open transaction: {@code send} of a
 * record carrying the {@link #HOLD} header blocks (on the stage thread) until the test opens that
 * gate. Records sent before it in the same transaction are on the broker by then, uncommitted.
 *
 * <p>KafkaSettings applies overrides to every client, so this also has to be a (pass-through)
 * consumer interceptor.
 */
public final class HoldingInterceptor implements ProducerInterceptor<byte[], byte[]>, ConsumerInterceptor<byte[], byte[]> {
    static final String HOLD = "test.hold";
    private static final Map<String, Gate> GATES = new ConcurrentHashMap<>();

    /** A gate the stage thread waits at; {@link #arrived} counts down when a send reaches it. */
    static final class Gate {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
    }

    static Gate gate(String name) {
        return GATES.computeIfAbsent(name, n -> new Gate());
    }

    /** Lets every waiting stage go on, so a failed test cannot leave a stage hanging at a gate. */
    static void openAll() {
        GATES.values().forEach(g -> g.open.countDown());
    }

    static Map<String, String> config() {
        return Map.of("interceptor.classes", HoldingInterceptor.class.getName());
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        Header hold = record.headers().lastHeader(HOLD);
        if (hold != null) {
            Gate gate = gate(new String(hold.value(), StandardCharsets.UTF_8));
            gate.arrived.countDown();
            try {
                if (!gate.open.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("test gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
