package io.postbus.core.kafka;

import io.postbus.core.control.ControlState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ControlState} up to date from the compacted mail.control topic: every partition is
 * read from the beginning (no consumer group: every process wants every command), committed records
 * only, then followed. Stages read the state from their own threads.
 */
public final class ControlReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlReader.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaSettings kafka;
    private final String topic;
    private final String clientId;
    private final ControlState state = new ControlState();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public ControlReader(KafkaSettings kafka, Topics topics, String node) {
        this.kafka = kafka;
        this.topic = topics.control();
        this.clientId = "control-reader-" + node;
        this.thread = new Thread(this::run, "control-reader");
        this.thread.setDaemon(true);
    }

    public ControlReader start() {
        thread.start();
        return this;
    }

    /** The live state (thread-safe). */
    public ControlState state() {
        return state;
    }

    /**
     * Waits until every command that was on the topic at start has been applied: a stage that
     * starts before would deliver a message the operator has deleted. True when caught up in time.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Map<String, Object> config = new HashMap<>(kafka.consumer(clientId, "unused", 500, 300_000));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG); // assigned, never committed
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config)) {
            consumer = c;
            List<TopicPartition> partitions = partitions(c);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
                    apply(r);
                }
                if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    log.info("control state loaded: {} standing commands", state.size());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close()
        } catch (RuntimeException e) {
            log.error("control reader stopped: operator commands are no longer followed", e);
        }
    }

    /** The topic's partitions, waiting while it does not exist yet (the pipeline creates it). */
    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        while (running) {
            var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            log.warn("control topic {} not found yet; waiting", topic);
        }
        return List.of();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            state.remove(key);
            return;
        }
        try {
            ControlRecords.order(r.value()).ifPresentOrElse(state::apply,
                    () -> log.warn("control command at {}-{}@{} not understood; skipped", r.topic(), r.partition(), r.offset()));
        } catch (RuntimeException e) {
            log.warn("control command at {}-{}@{} unreadable; skipped: {}", r.topic(), r.partition(), r.offset(), e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
