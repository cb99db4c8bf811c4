package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.dnsbl.DnsblPolicy;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-phase timeouts over real sockets (RFC 5321 §4.5.3.2 and the slowloris defences), shortened:
 * command 1.5 s, command line 0.7 s, DATA 1 s, BDAT chunk 1 s, TLS handshake 1 s, session 4 s.
 * Each expiry answers {@code 421 4.4.2} where a reply can still be read, closes, and leaves no
 * trace of an unfinished message in Kafka.
 */
class SessionTimeoutsTest {
    private static final String TIMEOUT = "421 4.4.2 mx.test Error: timeout exceeded\n";
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        SessionTimeouts t = new SessionTimeouts(Duration.ofMillis(1500), Duration.ofMillis(700), Duration.ofMillis(1000),
                Duration.ofMillis(1000), Duration.ofMillis(1000), Duration.ofMillis(4000));
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("timeouts"), Duration.ofSeconds(10),
                List.of(new ListenerConfig(ListenerKind.SMTP, "127.0.0.1", 0),
                        new ListenerConfig(ListenerKind.SUBMISSIONS, "127.0.0.1", 0)),
                IngressConfig.Limits.DEFAULTS, DnsblPolicy.DISABLED, null, t);
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String text(ReceivedMail m) {
        return IngressFixture.text(m);
    }

    @Test
    void anIdleClientIsDisconnectedAfterTheCommandTimeout() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO idle.example\r\n");
            c.reply();
            long waiting = System.nanoTime();
            assertThat(c.reply()).isEqualTo(TIMEOUT);
            assertThat(millisSince(waiting)).isBetween(1300L, 3500L);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aCommandLineTricklingInIsCutOffAtTheLineDeadlineThoughNeverIdle() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            long first = System.nanoTime();
            String line = "EHLO slowloris.example";
            for (int i = 0; i < line.length() && !c.hasInput(); i++) {
                c.send(line.substring(i, i + 1)); // one byte every 200 ms: never 1.5 s idle
                Thread.sleep(200);
            }
            assertThat(c.reply()).isEqualTo(TIMEOUT);
            assertThat(millisSince(first)).as("line deadline 0.7 s; without it the 22 bytes and the idle limit would take ~6 s").isBetween(600L, 2500L);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aStalledDataTransferIsCutOffAndNothingReachesKafka() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            assertThat(c.startMessage()).startsWith("354");
            c.send("Subject: stalled-data\r\n\r\nhalf a message\r\n");
            long stalled = System.nanoTime();
            assertThat(c.reply()).isEqualTo(TIMEOUT);
            assertThat(millisSince(stalled)).isBetween(800L, 2500L);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(ingress.received(Duration.ofSeconds(2))).noneMatch(m -> text(m).contains("stalled-data"));
    }

    @Test
    void aStalledBdatChunkIsCutOffAndNothingReachesKafka() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO c\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.com>\r\n");
            c.reply();
            c.reply();
            c.reply();
            c.send("BDAT 100 LAST\r\nSubject: stalled-bdat\r\n");
            long stalled = System.nanoTime();
            assertThat(c.reply()).isEqualTo(TIMEOUT);
            assertThat(millisSince(stalled)).isBetween(800L, 2500L);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(ingress.received(Duration.ofSeconds(2))).noneMatch(m -> text(m).contains("stalled-bdat"));
    }

    @Test
    void slowButSteadyMessageDataIsNeverCutOff() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            assertThat(c.startMessage()).startsWith("354");
            c.send("Subject: steady\r\n\r\n");
            for (int i = 0; i < 6; i++) { // 1.8 s in all, longer than the 1 s DATA limit, a line every 0.3 s
                Thread.sleep(300);
                c.send("line " + i + "\r\n");
            }
            c.send(".\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as");
        }
    }

    @Test
    void aClientThatKeepsTalkingStillMeetsTheSessionDeadline() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            long connected = System.nanoTime();
            c.reply();
            String reply = null;
            while (millisSince(connected) < 8000) {
                c.send("NOOP\r\n");
                reply = c.reply();
                if (!reply.startsWith("250 ")) {
                    break;
                }
                Thread.sleep(400); // never idle, every line complete at once
            }
            assertThat(reply).isEqualTo(TIMEOUT);
            assertThat(millisSince(connected)).isBetween(3800L, 6000L);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aStartTlsHandshakeThatNeverComesIsClosedWithoutAPlainTextReply() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO c\r\nSTARTTLS\r\n");
            c.reply();
            assertThat(c.reply()).startsWith("220 2.0.0");
            long waiting = System.nanoTime(); // no ClientHello follows
            assertThat(c.untilClosed()).doesNotContain("421");
            assertThat(millisSince(waiting)).isBetween(800L, 3000L);
        }
    }

    @Test
    void anImplicitTlsClientThatNeverSaysHelloIsClosed() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SUBMISSIONS))) {
            long waiting = System.nanoTime();
            assertThat(c.untilClosed()).doesNotContain("220").doesNotContain("421");
            assertThat(millisSince(waiting)).isBetween(800L, 3000L);
        }
    }
}
