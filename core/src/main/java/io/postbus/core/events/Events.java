package io.postbus.core.events;

import io.postbus.core.kafka.Topics;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Stage;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Makes lifecycle events for one stage on one node and the records that carry them to
 * {@code mail.events}, keyed by queue id so one message's events stay in order.
 */
public final class Events {
    private static final AvroCodec<LifecycleEvent> CODEC = AvroCodec.of(LifecycleEvent.class);
    private final Topics topics;
    private final Stage stage;
    private final String node;
    private final Clock clock;

    public Events(Topics topics, Stage stage, String node, Clock clock) {
        this.topics = topics;
        this.stage = stage;
        this.node = node;
        this.clock = clock;
    }

    /** A builder with the common fields filled in; the caller adds what this event type carries. */
    public LifecycleEvent.Builder event(EventType type, String queueId) {
        return LifecycleEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setQueueId(queueId)
                .setType(type)
                .setAt(clock.instant())
                .setStage(stage)
                .setNode(node);
    }

    public ProducerRecord<byte[], byte[]> record(LifecycleEvent event) {
        return new ProducerRecord<>(topics.events(), event.getQueueId().getBytes(StandardCharsets.UTF_8), CODEC.encode(event));
    }

    public static AvroCodec<LifecycleEvent> codec() {
        return CODEC;
    }
}
