package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.ToolResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end: the real swaks client → ingress → Kafka → auth → spam → router
 * → delivery → a receiving SMTP server, asserting on the bytes that arrive and on mail.events.
 */
class EndToEndTest {
    @TempDir
    Path tmp;

    private SmtpSink sink;
    private Pipeline pipeline;
    private PostbusConfig config;

    @BeforeEach
    void start() {
        sink = SmtpSink.start();
        config = PostbusConfig.parse(TestPipelines.settings("e2e", sink.port()));
        pipeline = Pipeline.start(config, Component.all(), Clock.systemUTC(), null);
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        sink.close();
    }

    @Test
    void swaksMessageArrivesByteIdenticalBehindOurReceivedHeader() throws Exception {
        // 8-bit text, a dot-stuffed line and a long line: all must arrive exactly as sent.
        byte[] original = ("From: Alice <alice@example.net>\r\n"
                + "To: Bob <bob@example.com>\r\n"
                + "Subject: walking skeleton\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Grüße aus Köln — ünïcödé\r\n"
                + ".a line that starts with a dot\r\n"
                + "x".repeat(990) + "\r\n"
                + "end\r\n").getBytes(StandardCharsets.UTF_8);
        Path data = tmp.resolve("message.eml");
        // swaks ends the data with CRLF "." CRLF itself, so the file leaves off the last CRLF.
        Files.write(data, Arrays.copyOf(original, original.length - 2));

        ToolResult r = Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), "alice@example.net", "bob@example.com", data);
        String queueId = Swaks.queueId(r);

        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).as("delivered to the sink").isTrue();
        ReceivedMessage got = sink.messages().get(0);
        assertThat(got.mailFrom()).isEqualTo("alice@example.net");
        assertThat(got.recipients()).containsExactly("bob@example.com");

        byte[] arrived = got.data();
        assertThat(arrived.length).isGreaterThan(original.length);
        byte[] tail = Arrays.copyOfRange(arrived, arrived.length - original.length, arrived.length);
        assertThat(new String(tail, StandardCharsets.ISO_8859_1)).as("the message after our trace header is byte-identical")
                .isEqualTo(new String(original, StandardCharsets.ISO_8859_1));
        String trace = new String(arrived, 0, arrived.length - original.length, StandardCharsets.UTF_8);
        assertThat(trace).startsWith("Received: from client.example.net (unknown [127.0.0.1])")
                .contains("by postbus.test (Postbus) with ESMTP id " + queueId)
                .contains("for <bob@example.com>")
                .endsWith("\r\n")
                .doesNotContain("\r\n\r\n");

        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, EventType.DELIVERY), Duration.ofSeconds(30));
            assertThat(EventLog.typesOf(events, queueId))
                    .as("lifecycle of %s", queueId)
                    .containsSubsequence(EventType.RECEPTION, EventType.DELIVERY)
                    .containsSubsequence(EventType.AUTHENTICATED, EventType.SCORED, EventType.ROUTED, EventType.DELIVERY)
                    .doesNotContain(EventType.BOUNCE, EventType.TRANSIENT_FAILURE);
            LifecycleEvent delivery = events.stream()
                    .filter(e -> e.getQueueId().equals(queueId) && e.getType() == EventType.DELIVERY).findFirst().orElseThrow();
            assertThat(delivery.getRecipients()).containsExactly("bob@example.com");
            assertThat(delivery.getReply().getCode()).isEqualTo(250);
            assertThat(delivery.getRemoteAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void recipientsOfOneMessageAreDeliveredTogetherAndCountedOnce() throws IOException, InterruptedException {
        ToolResult r = Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), "news@example.net",
                "a@example.com,b@example.org,c@example.com", null);
        String queueId = Swaks.queueId(r);

        // With a relayhost every recipient shares one next hop: one job, one SMTP transaction.
        assertThat(sink.awaitCount(1, Duration.ofSeconds(60))).isTrue();
        assertThat(sink.messages().get(0).recipients()).containsExactlyInAnyOrder("a@example.com", "b@example.org", "c@example.com");
        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            List<LifecycleEvent> events = log.until(EventLog.has(queueId, EventType.DELIVERY), Duration.ofSeconds(30));
            assertThat(events.stream().filter(e -> e.getQueueId().equals(queueId) && e.getType() == EventType.DELIVERY)
                    .flatMap(e -> e.getRecipients().stream()).toList())
                    .containsExactlyInAnyOrder("a@example.com", "b@example.org", "c@example.com");
        }
        Thread.sleep(1000);
        assertThat(sink.count()).as("no duplicate delivery").isEqualTo(1);
    }
}
