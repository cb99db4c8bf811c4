package io.postbus.loadtest.delivery;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the outcomes the worker committed to mail.events ({@code read_committed}: an aborted
 * attempt's events never count) and tallies them by queue id prefix. Partitions are assigned, not
 * subscribed: no group to join, and reading can start before the first event exists.
 */
final class OutcomeReader implements AutoCloseable {

    /** The outcomes of the jobs whose queue ids start with one prefix. */
    static final class Tally {
        final String prefix;
        final Set<String> delivered = new HashSet<>();
        long duplicates;
        long deferred;
        long bounced;
        long lastDeliveryNanos = Long.MIN_VALUE;

        Tally(String prefix) {
            this.prefix = prefix;
        }

        void add(LifecycleEvent e, long now) {
            String id = e.getQueueId();
            if (!id.startsWith(prefix)) {
                return;
            }
            if (e.getType() == EventType.DELIVERY) {
                if (delivered.add(id)) {
                    lastDeliveryNanos = now;
                } else {
                    duplicates++;
                }
            } else if (e.getType() == EventType.TRANSIENT_FAILURE) {
                deferred++;
            } else if (e.getType() == EventType.BOUNCE || e.getType() == EventType.EXPIRATION) {
                bounced++;
            }
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;

    OutcomeReader(KafkaSettings kafka, Topics topics) {
        this.consumer = new KafkaConsumer<>(kafka.consumer("bench-outcomes", topics.prefix() + "bench-outcomes",
                2000, 300_000));
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topics.events(), Duration.ofSeconds(30))
                .forEach(p -> partitions.add(new TopicPartition(topics.events(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls once and adds what came to {@code tally}. */
    void poll(Tally tally, Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            tally.add(Events.codec().decode(r.value()), System.nanoTime());
        }
    }

    /**
     * Polls until {@code count} jobs of the tally are delivered, or every job is accounted for
     * (some deferred or bounced), or the deadline; {@code alive} throws when the worker died.
     */
    boolean await(Tally tally, int count, long deadlineNanos, Runnable alive) {
        while (tally.delivered.size() < count) {
            if (tally.delivered.size() + tally.deferred + tally.bounced >= count && (tally.deferred + tally.bounced) > 0) {
                return false;
            }
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            alive.run();
            poll(tally, Duration.ofMillis(20));
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
