package io.postbus.core.kafka;

import io.postbus.core.suppression.SuppressionList;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link SuppressionList} in step with the compacted {@code mail.suppression}: reads every
 * partition from the beginning (no consumer group: every process wants the whole list), then
 * follows it. read_committed, so an entry a delivery attempt wrote counts only once that attempt's
 * transaction is committed.
 */
public final class SuppressionReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionReader.class);

    private final SuppressionList list;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch caughtUp = new CountDownLatch(1);

    private SuppressionReader(KafkaSettings kafka, Topics topics, String clientId, SuppressionList list) {
        this.list = list;
        Map<String, Object> c = kafka.consumer(clientId, "unused", 500, 300_000);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(c);
        String topic = topics.suppression();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        this.thread = new Thread(() -> run(end), "suppression-reader");
        thread.setDaemon(true);
    }

    /** Starts following the topic into {@code list}; see {@link #awaitCaughtUp(Duration)}. */
    public static SuppressionReader start(KafkaSettings kafka, Topics topics, String clientId, SuppressionList list) {
        SuppressionReader r = new SuppressionReader(kafka, topics, clientId, list);
        r.thread.start();
        return r;
    }

    /**
     * Waits until everything committed when the reader started has been applied: a router should
     * not route before it knows the list, and {@code postbus suppression list} prints no more than this.
     */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public SuppressionList list() {
        return list;
    }

    private void run(Map<TopicPartition, Long> end) {
        try {
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(500))) {
                    apply(rec);
                }
                if (caughtUp.getCount() > 0) {
                    // The end offset counts transaction markers too: done when the position reaches it.
                    end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                    if (end.isEmpty()) {
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() was called
        } catch (RuntimeException e) {
            LOG.error("suppression reader stopped; the list no longer follows {}", consumer.assignment(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> rec) {
        if (rec.key() == null) {
            return;
        }
        try {
            SuppressionRecords.decode(rec).ifPresentOrElse(list::put, () -> list.remove(SuppressionRecords.address(rec)));
        } catch (RuntimeException bad) {
            // One bad record must not stop the list from following the rest.
            LOG.warn("ignoring unreadable suppression record at {}-{}@{}", rec.topic(), rec.partition(), rec.offset(), bad);
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
