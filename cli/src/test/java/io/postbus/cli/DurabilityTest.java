package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A 250 is a promise": accept mail, stop the whole process (broker included) before anything is
 * delivered, start again on the same data directory — every accepted message is delivered once.
 */
class DurabilityTest {
    @TempDir
    Path dataDir;

    private Map<String, String> embedded(int sinkPort) {
        Map<String, String> s = TestPipelines.settings("durable", sinkPort);
        s.put("kafka.bootstrap.servers", "");          // the embedded default: our own broker ...
        s.put("data.dir", dataDir.toString());          // ... keeping its log here
        s.put("kafka.topic.prefix", "postbus.");
        return s;
    }

    @Test
    void acceptedMailSurvivesAFullRestartAndIsDeliveredExactlyOnce() throws Exception {
        List<String> queueIds = new ArrayList<>();
        try (SmtpSink sink = SmtpSink.start()) {
            PostbusConfig config = PostbusConfig.parse(embedded(sink.port()));

            // 1. Only the ingress runs: mail is accepted and stored, nothing can be delivered.
            try (Pipeline first = Pipeline.start(config, EnumSet.of(Component.INGRESS), Clock.systemUTC(), null)) {
                int port = first.smtpPorts().get(ListenerKind.SMTP);
                for (int i = 0; i < 3; i++) {
                    queueIds.add(Swaks.queueId(Swaks.send(port, "sender@example.net", "rcpt" + i + "@example.com", null)));
                }
            }
            assertThat(sink.count()).isZero();

            // 2. The whole pipeline on the same data directory.
            try (Pipeline second = Pipeline.start(config, Component.all(), Clock.systemUTC(), null)) {
                assertThat(sink.awaitCount(3, Duration.ofSeconds(90))).as("all accepted mail delivered after restart").isTrue();
                try (EventLog log = new EventLog(second.bootstrapServers(), config.topics().events())) {
                    log.until(events -> queueIds.stream().allMatch(id -> EventLog.has(id, EventType.DELIVERY).test(events)),
                            Duration.ofSeconds(30));
                    List<LifecycleEvent> events = log.settle(Duration.ofSeconds(3));
                    for (String id : queueIds) {
                        assertThat(EventLog.typesOf(events, id)).as(id)
                                .containsSubsequence(EventType.RECEPTION, EventType.DELIVERY)
                                .filteredOn(t -> t == EventType.DELIVERY).hasSize(1);
                    }
                }
            }
            assertThat(sink.count()).as("exactly once").isEqualTo(3);
            List<String> delivered = sink.messages().stream()
                    .map(m -> new String(m.data(), StandardCharsets.UTF_8))
                    .map(text -> queueIds.stream().filter(id -> text.contains(" id " + id)).findFirst().orElse("?"))
                    .toList();
            assertThat(delivered).containsExactlyInAnyOrderElementsOf(queueIds);
        }
    }
}
