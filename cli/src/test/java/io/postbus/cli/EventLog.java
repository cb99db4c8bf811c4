package io.postbus.cli;

import io.postbus.core.events.Events;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads mail.events from the start, as mailq or an investigator would: read_committed, decoded. */
final class EventLog implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<LifecycleEvent> seen = new ArrayList<>();

    EventLog(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "events-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        consumer.subscribe(List.of(topic));
    }

    /** Polls until {@code done} holds for the events seen so far, or the timeout; returns them all. */
    List<LifecycleEvent> until(Predicate<List<LifecycleEvent>> done, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (!done.test(seen) && Instant.now().isBefore(end)) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(Events.codec().decode(r.value())));
        }
        return List.copyOf(seen);
    }

    /** Keeps polling for {@code quiet} and returns everything seen (to check nothing more arrives). */
    List<LifecycleEvent> settle(Duration quiet) {
        return until(events -> false, quiet);
    }

    static Predicate<List<LifecycleEvent>> has(String queueId, EventType type) {
        return events -> events.stream().anyMatch(e -> e.getQueueId().equals(queueId) && e.getType() == type);
    }

    static List<EventType> typesOf(List<LifecycleEvent> events, String queueId) {
        return events.stream().filter(e -> e.getQueueId().equals(queueId)).map(LifecycleEvent::getType).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
