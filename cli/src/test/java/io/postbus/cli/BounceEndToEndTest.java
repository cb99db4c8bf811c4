package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SinkConfig;
import io.postbus.loadtest.sink.SinkPolicy;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A permanent failure becomes an RFC 3464 bounce that re-enters the pipeline as new mail (null
 * reverse-path) and is delivered to the original sender like any other message.
 */
class BounceEndToEndTest {
    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void a550BecomesADsnDeliveredToTheSenderWithTheRightFields() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withRcpt(r -> r.startsWith("nobody") ? "550 5.1.1 <" + r + ">: Recipient address rejected: User unknown" : null)));
        Map<String, String> s = TestPipelines.settings("bounce", sink.port());
        PostbusConfig config = PostbusConfig.parse(s);
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), null);

        Path data = tmp.resolve("m.eml");
        Files.writeString(data, "From: alice@example.net\r\nTo: nobody@example.com\r\nSubject: will bounce\r\nMessage-ID: <orig@example.net>\r\n\r\nhello\r\n");
        String queueId = Swaks.queueId(Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), "alice@example.net",
                "nobody@example.com", data));

        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, EventType.BOUNCE), Duration.ofSeconds(60));
            LifecycleEvent bounce = events.stream().filter(e -> e.getQueueId().equals(queueId) && e.getType() == EventType.BOUNCE)
                    .findFirst().orElseThrow();
            assertThat(bounce.getBounceClass().name()).isEqualTo("BAD_MAILBOX");
        }
        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).as("the DSN reaches the sender").isTrue();
        ReceivedMessage dsn = sink.messages().get(0);
        assertThat(dsn.mailFrom()).as("null reverse-path: never bounce a bounce").isEmpty();
        assertThat(dsn.recipients()).containsExactly("alice@example.net");
        String text = new String(dsn.data(), StandardCharsets.UTF_8);
        assertThat(text).contains("multipart/report", "report-type=delivery-status", "Auto-Submitted: auto-replied",
                "Final-Recipient: rfc822; nobody@example.com", "Action: failed", "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1", "Message-ID: <orig@example.net>");
    }
}
