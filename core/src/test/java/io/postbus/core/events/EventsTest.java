package io.postbus.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.kafka.Topics;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Stage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class EventsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00.123456Z");
    private final Events events = new Events(new Topics("postbus."), Stage.DELIVERY, "node-7", Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void commonFieldsAreFilledFromTheStageNodeAndClock() {
        LifecycleEvent e = events.event(EventType.DELIVERY, "4SVLCh0sf8z7").setRecipients(List.of("bob@example.org")).build();

        assertThat(e.getQueueId()).isEqualTo("4SVLCh0sf8z7");
        assertThat(e.getType()).isEqualTo(EventType.DELIVERY);
        assertThat(e.getStage()).isEqualTo(Stage.DELIVERY);
        assertThat(e.getNode()).isEqualTo("node-7");
        assertThat(e.getAt()).isEqualTo(NOW.truncatedTo(ChronoUnit.MILLIS));
        assertThat(UUID.fromString(e.getEventId())).isNotNull();
        assertThat(events.event(EventType.DELIVERY, "x").build().getEventId()).as("each event its own id").isNotEqualTo(e.getEventId());
    }

    @Test
    void recordGoesToTheEventsTopicKeyedByQueueIdAndDecodesBack() {
        LifecycleEvent e = events.event(EventType.BOUNCE, "4SVLCh0sf8z7").setDetail("550 5.1.1 no such user").build();

        ProducerRecord<byte[], byte[]> r = events.record(e);

        assertThat(r.topic()).isEqualTo("postbus.mail.events");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("4SVLCh0sf8z7");
        assertThat(r.partition()).as("the key, not a fixed partition, decides").isNull();
        LifecycleEvent back = Events.codec().decode(r.value());
        assertThat(back).isEqualTo(e);
        assertThat(back.getDetail()).isEqualTo("550 5.1.1 no such user");
    }
}
