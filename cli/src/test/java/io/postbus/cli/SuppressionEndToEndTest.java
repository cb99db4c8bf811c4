package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.SuppressionReader;
import io.postbus.core.suppression.Suppression;
import io.postbus.core.suppression.SuppressionList;
import io.postbus.core.suppression.SuppressionReason;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SinkConfig;
import io.postbus.loadtest.sink.SinkPolicy;
import io.postbus.loadtest.sink.SmtpSink;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suppression loop on a real broker and a real receiving server: a 550 5.1.1 puts the address
 * on mail.suppression; the next message to it is dropped (or bounced) at routing while its other
 * recipients are delivered; {@code postbus suppression remove} makes it deliverable again.
 */
class SuppressionEndToEndTest {
    @TempDir
    Path tmp;

    private final AtomicBoolean refuseNobody = new AtomicBoolean(true);
    private SmtpSink sink;
    private Pipeline pipeline;
    private SuppressionReader reader;
    private final ByteArrayOutputStream cliOut = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        SuppressionCommand.out = System.out;
        if (reader != null) {
            reader.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    private Map<String, String> start(String hint, String action) {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll().withRcpt(r ->
                r.startsWith("nobody") && refuseNobody.get() ? "550 5.1.1 <" + r + ">: Recipient address rejected: User unknown" : null)));
        Map<String, String> s = TestPipelines.settings(hint, sink.port());
        s.put("suppression.action", action);
        pipeline = Pipeline.start(PostbusConfig.parse(s), Component.all(), Clock.systemUTC(), null);
        reader = SuppressionReader.start(KafkaSettings.of(pipeline.bootstrapServers(), 1 << 20),
                PostbusConfig.parse(s).topics(), "test-suppression", new SuppressionList());
        SuppressionCommand.out = new PrintStream(cliOut, true, StandardCharsets.UTF_8);
        return s;
    }

    @Test
    void aHardBounceSuppressesTheNextMessageIsDroppedForThatRecipientOnlyAndRemovalUndoesIt() throws Exception {
        Map<String, String> s = start("suppress-drop", "drop");
        PostbusConfig config = PostbusConfig.parse(s);
        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            String first = send("nobody@example.com");
            log.until(EventLog.has(first, EventType.BOUNCE), Duration.ofSeconds(60));
            Suppression entry = awaitSuppressed("nobody@example.com");
            assertThat(entry.reason()).isEqualTo(SuppressionReason.HARD_BOUNCE);
            assertThat(entry.detail()).startsWith("550 5.1.1 <nobody@example.com>");
            assertThat(Duration.between(entry.at(), entry.expiresAt())).as("suppression.expiry default").isEqualTo(Duration.ofDays(30));
            routerCatchesUp();

            String second = send("nobody@example.com,ok@example.com");
            List<LifecycleEvent> events = log.until(EventLog.has(second, EventType.SUPPRESSED)
                    .and(EventLog.has(second, EventType.DELIVERY)), Duration.ofSeconds(60));
            LifecycleEvent suppressed = only(events, second, EventType.SUPPRESSED);
            assertThat(suppressed.getRecipients()).containsExactly("nobody@example.com");
            assertThat(suppressed.getDetail()).contains("on the suppression list (hard bounce");
            assertThat(only(events, second, EventType.DELIVERY).getRecipients()).containsExactly("ok@example.com");
            assertThat(EventLog.typesOf(log.settle(Duration.ofSeconds(2)), second)).doesNotContain(EventType.BOUNCE);
            assertThat(received(second)).singleElement().extracting(ReceivedMessage::recipients)
                    .isEqualTo(List.of("ok@example.com"));

            // The mailbox exists now; the operator takes the address off the list.
            refuseNobody.set(false);
            assertThat(cli(s, "suppression", "list")).contains("nobody@example.com\thard_bounce\t");
            assertThat(cli(s, "suppression", "remove", "Nobody@Example.com")).contains("removed nobody@example.com");
            await().atMost(Duration.ofSeconds(30)).until(() -> !reader.list().isSuppressed("nobody@example.com", Instant.now()));
            assertThat(cli(s, "suppression", "list")).doesNotContain("nobody@example.com");
            routerCatchesUp();

            String third = send("nobody@example.com");
            List<LifecycleEvent> after = log.until(EventLog.has(third, EventType.DELIVERY), Duration.ofSeconds(60));
            assertThat(only(after, third, EventType.DELIVERY).getRecipients()).containsExactly("nobody@example.com");
            assertThat(EventLog.typesOf(after, third)).doesNotContain(EventType.SUPPRESSED);
        }
    }

    @Test
    void withTheBounceActionAManuallySuppressedRecipientBouncesWith571AndTheSenderGetsADsn() throws Exception {
        Map<String, String> s = start("suppress-bounce", "bounce");
        PostbusConfig config = PostbusConfig.parse(s);
        assertThat(cli(s, "suppression", "add", "listed@example.com", "--expires", "2d", "--detail", "asked by phone"))
                .contains("suppressed listed@example.com until");
        Suppression entry = awaitSuppressed("listed@example.com");
        assertThat(entry.reason()).isEqualTo(SuppressionReason.MANUAL);
        assertThat(Duration.between(entry.at(), entry.expiresAt())).isEqualTo(Duration.ofDays(2));
        routerCatchesUp();

        try (EventLog log = new EventLog(pipeline.bootstrapServers(), config.topics().events())) {
            String id = send("listed@example.com,ok@example.com");
            List<LifecycleEvent> events = log.until(EventLog.has(id, EventType.BOUNCE).and(EventLog.has(id, EventType.DELIVERY)),
                    Duration.ofSeconds(60));
            LifecycleEvent bounce = only(events, id, EventType.BOUNCE);
            assertThat(bounce.getRecipients()).containsExactly("listed@example.com");
            assertThat(bounce.getReply().getEnhancedStatus()).isEqualTo("5.7.1");
            assertThat(bounce.getReply().getText()).startsWith("recipient suppressed: <listed@example.com>");
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.messages().stream()
                .anyMatch(m -> m.mailFrom().isEmpty() && m.recipients().equals(List.of("alice@example.net"))));
        ReceivedMessage dsn = sink.messages().stream().filter(m -> m.mailFrom().isEmpty()).findFirst().orElseThrow();
        assertThat(new String(dsn.data(), StandardCharsets.UTF_8)).contains("Final-Recipient: rfc822; listed@example.com",
                "Action: failed", "Status: 5.7.1");
        assertThat(sink.messages()).filteredOn(m -> !m.mailFrom().isEmpty()).singleElement()
                .extracting(ReceivedMessage::recipients).isEqualTo(List.of("ok@example.com"));
    }

    // --- helpers -------------------------------------------------------------------------------

    private String send(String to) throws Exception {
        Path data = Files.writeString(tmp.resolve("m" + System.nanoTime() + ".eml"),
                "From: alice@example.net\r\nTo: " + to + "\r\nSubject: news\r\n\r\nhello\r\n");
        return Swaks.queueId(Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), "alice@example.net", to, data));
    }

    private Suppression awaitSuppressed(String address) {
        await().atMost(Duration.ofSeconds(60)).until(() -> reader.list().isSuppressed(address, Instant.now()));
        return reader.list().find(address, Instant.now()).orElseThrow();
    }

    /** The router follows mail.suppression with its own reader: wait until it agrees with ours. */
    private void routerCatchesUp() {
        await().atMost(Duration.ofSeconds(30)).until(() -> reader.list().live(Instant.now())
                .equals(pipeline.routerSuppressions().live(Instant.now())));
    }

    private String cli(Map<String, String> s, String... args) {
        cliOut.reset();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--bootstrap-servers", pipeline.bootstrapServers(), "--set", "kafka.topic.prefix=" + s.get("kafka.topic.prefix")))
                .toArray(String[]::new);
        assertThat(Main.commandLine().execute(all)).as(String.join(" ", args)).isZero();
        return cliOut.toString(StandardCharsets.UTF_8);
    }

    private List<ReceivedMessage> received(String queueId) {
        return sink.messages().stream().filter(m -> m.text().contains(queueId)).toList();
    }

    private static LifecycleEvent only(List<LifecycleEvent> events, String queueId, EventType type) {
        List<LifecycleEvent> matching = events.stream().filter(e -> e.getQueueId().equals(queueId) && e.getType() == type).toList();
        assertThat(matching).as(type + " of " + queueId).hasSize(1);
        return matching.get(0);
    }
}
