package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "250 only once Kafka has durably taken it": with the broker down the client hears 451 4.3.0 and
 * nothing is kept; with the broker back the same client gets 250 and every 250 is in mail.received
 * exactly once.
 */
class BrokerOutageTest {
    private static final Pattern QUEUED = Pattern.compile("^250 2\\.0\\.0 Ok: queued as (\\S+)", Pattern.MULTILINE);

    @TempDir
    Path dir;

    private static String send(int port, String marker) throws Exception {
        try (RawSmtp c = new RawSmtp(port)) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            c.reply();
            c.send("Subject: " + marker + "\r\n\r\n" + marker + "\r\n.\r\n");
            return readFinal(c);
        }
    }

    private static String readFinal(RawSmtp c) throws Exception {
        // The final reply may take as long as the acknowledgement timeout.
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            try {
                return c.reply();
            } catch (java.net.SocketTimeoutException stillWaiting) {
                // keep waiting
            }
        }
        throw new AssertionError("no final reply");
    }

    @Test
    void brokerDownMeans451AndNothingKeptBrokerBackMeans250() throws Exception {
        int port = FreePort.pick();
        BrokerConfig config = BrokerConfig.builder(dir).port(port).build();
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(config);
        List<String> accepted = new ArrayList<>();
        try (IngressFixture ingress = new IngressFixture(broker.bootstrapServers(), "outage.", Duration.ofSeconds(3))) {
            int smtp = ingress.port(ListenerKind.SMTP);
            String before = send(smtp, "before-outage");
            accepted.add(queueId(before));

            broker.close();
            String during = send(smtp, "during-outage");
            assertThat(during).isEqualTo("451 4.3.0 Error: queue file write error\n");

            broker = EmbeddedKafkaBroker.start(config);
            String after = null;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (Instant.now().isBefore(deadline)) { // the producer reconnects on its own; the client retries
                after = send(smtp, "after-outage");
                if (after.startsWith("250")) {
                    break;
                }
                assertThat(after).startsWith("451 4.3.0");
            }
            accepted.add(queueId(after));

            List<ReceivedMail> stored = ingress.received(Duration.ofSeconds(3));
            assertThat(stored).extracting(m -> m.getEnvelope().getQueueId()).containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(stored).noneMatch(m -> text(m).contains("during-outage"));
        } finally {
            broker.close();
        }
    }

    private static String queueId(String reply) {
        Matcher m = QUEUED.matcher(reply);
        assertThat(m.find()).as(reply).isTrue();
        return m.group(1);
    }

    private static String text(ReceivedMail m) {
        return IngressFixture.text(m);
    }
}
