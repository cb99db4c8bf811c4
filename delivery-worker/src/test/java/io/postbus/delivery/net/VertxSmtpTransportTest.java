package io.postbus.delivery.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postbus.delivery.smtp.DeliveryOutcome;
import io.postbus.delivery.smtp.RecipientResult;
import io.postbus.delivery.smtp.ScriptedServer;
import io.postbus.delivery.smtp.SmtpClientConfig;
import io.postbus.delivery.smtp.SmtpConnection;
import io.postbus.delivery.smtp.SmtpConnector;
import io.postbus.delivery.smtp.SmtpDeliveryResult;
import io.postbus.delivery.smtp.SmtpEnvelope;
import io.postbus.delivery.smtp.SmtpException;
import io.postbus.delivery.smtp.SmtpPhase;
import io.postbus.delivery.smtp.SmtpTimeouts;
import io.postbus.delivery.smtp.SmtpTransport;
import io.postbus.delivery.smtp.TestNet;
import io.postbus.delivery.smtp.TlsPolicy;
import io.postbus.delivery.smtp.TransientSmtpException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The event-loop transport against scripted servers: framing, timers per phase, pipelining at scale, back-pressure. */
class VertxSmtpTransportTest {

    private static final Duration PATIENT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final SmtpClientConfig CONFIG = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(PATIENT)).withTlsPolicy(TlsPolicy.NONE);
    private static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EHLO = "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 100000000\r\n250 ENHANCEDSTATUSCODES\r\n";

    /** A connector that keeps the transports it made, so a test can look inside. */
    private static final class Keeping implements SmtpConnector {
        final VertxSmtpConnector connector = new VertxSmtpConnector(TestNet.vertx());
        final List<VertxSmtpTransport> made = new ArrayList<>();

        @Override
        public java.util.concurrent.CompletionStage<SmtpTransport> connect(String host, java.net.InetSocketAddress address,
                java.util.Optional<java.net.InetAddress> source, SmtpTimeouts timeouts) {
            return connector.connect(host, address, source, timeouts).thenApply(t -> {
                synchronized (made) {
                    made.add((VertxSmtpTransport) t);
                }
                return t;
            });
        }
    }

    @Test
    void aReplySplitIntoOneByteSegmentsIsAssembled() throws Exception {
        // RFC 5321 §4.2.1: a reply ends with the line without a dash, however TCP cuts it.
        try (ScriptedServer server = new ScriptedServer(peer -> {
            trickle(peer, "220 mx.test ESMTP\r\n");
            peer.expect("EHLO client.postbus.test");
            trickle(peer, EHLO);
            peer.expect("QUIT");
            trickle(peer, "221 bye\r\n");
        })) {
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.greeting().toString()).isEqualTo("220 mx.test ESMTP");
                assertThat(c.capabilities().pipelining()).isTrue();
                assertThat(c.capabilities().keywords()).containsKeys("SIZE", "ENHANCEDSTATUSCODES");
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void severalRepliesInOneSegmentAnswerTheirCommandsInOrder() throws Exception {
        // RFC 2920 §3.1: the replies to a pipelined group may come back in a single segment.
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test ESMTP\r\n");
            peer.expect("EHLO");
            peer.send(EHLO);
            peer.expect("MAIL");
            peer.expect("RCPT TO:<a@y.test>");
            peer.expect("RCPT TO:<b@y.test>");
            peer.expect("RCPT TO:<c@y.test>");
            peer.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n450 4.2.1 try later\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued\r\n221 2.0.0 bye\r\n"); // the QUIT reply before the QUIT: taken in turn
            peer.expect("QUIT");
        })) {
            SmtpDeliveryResult r;
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                r = TestNet.send(c, SmtpEnvelope.of("s@x.test", "a@y.test", "b@y.test", "c@y.test"), MESSAGE);
            }
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(
                    DeliveryOutcome.DELIVERED, DeliveryOutcome.BOUNCED, DeliveryOutcome.DEFERRED);
            assertThat(server.errors()).isEmpty();
        }
    }

    /** RFC 5321 §4.5.3.2: each phase has its own timeout; the event loop's timer enforces it. */
    @ParameterizedTest
    @EnumSource(value = SmtpPhase.class, names = {"GREETING", "EHLO", "MAIL", "RCPT", "DATA", "DATA_DONE", "RSET"})
    void aSilentServerTimesOutInThePhaseItFellSilentIn(SmtpPhase silentIn) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            if (silent(SmtpPhase.GREETING, silentIn, release)) {
                return;
            }
            peer.send("220 mx.test\r\n");
            peer.expect("EHLO");
            if (silent(SmtpPhase.EHLO, silentIn, release)) {
                return;
            }
            peer.send("250-mx.test\r\n250 ENHANCEDSTATUSCODES\r\n"); // no PIPELINING: one reply per command
            for (int message = 0; message < 2; message++) {
                if (message == 1) {
                    peer.expect("RSET");
                    if (silent(SmtpPhase.RSET, silentIn, release)) {
                        return;
                    }
                    peer.send("250 ok\r\n");
                }
                peer.expect("MAIL");
                if (silent(SmtpPhase.MAIL, silentIn, release)) {
                    return;
                }
                peer.send("250 ok\r\n");
                peer.expect("RCPT");
                if (silent(SmtpPhase.RCPT, silentIn, release)) {
                    return;
                }
                peer.send("250 ok\r\n");
                peer.expect("DATA");
                if (silent(SmtpPhase.DATA, silentIn, release)) {
                    return;
                }
                peer.send("354 go\r\n");
                peer.readData();
                if (silent(SmtpPhase.DATA_DONE, silentIn, release)) {
                    return;
                }
                peer.send("250 ok\r\n");
            }
        })) {
            SmtpClientConfig config = CONFIG.withTimeouts(shortIn(silentIn));
            long start = System.nanoTime();
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class, () -> {
                SmtpConnection c = TestNet.open("mx.test", server.address(), config);
                TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE);
                TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE); // RSET first
            });
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            release.countDown();
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TIMEOUT);
            assertThat(e.phase()).isEqualTo(silentIn);
            assertThat(e.getMessage()).contains("timed out after 300 ms");
            assertThat(took).isBetween(SHORT.minusMillis(10), PATIENT);
        }
    }

    @Test
    void aThousandRecipientsInOnePipelinedTransactionAreAnsweredOneByOne() throws Exception {
        // RFC 2920 §3.1: MAIL and 1,000 RCPTs in one group, all replies in one burst; taken in a
        // loop, not as 1,000 nested callbacks (a stack overflow would fail the stage).
        int n = 1000;
        List<String> rcpts = IntStream.range(0, n).mapToObj(i -> "r" + i + "@y.test").toList();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test\r\n");
            peer.expect("EHLO");
            peer.send(EHLO);
            peer.expect("MAIL");
            StringBuilder replies = new StringBuilder("250 2.1.0 ok\r\n");
            for (int i = 0; i < n; i++) {
                peer.expect("RCPT TO:<r" + i + "@y.test>");
                replies.append(i % 10 == 7 ? "550 5.1.1 no such user\r\n" : "250 2.1.5 ok\r\n");
            }
            peer.send(replies.toString());
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r;
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                r = TestNet.send(c, new SmtpEnvelope("s@x.test", rcpts), MESSAGE);
            }
            assertThat(r.recipients()).hasSize(n);
            assertThat(r.recipients()).filteredOn(x -> x.outcome() == DeliveryOutcome.BOUNCED).hasSize(100);
            assertThat(r.recipients()).filteredOn(x -> x.outcome() == DeliveryOutcome.DELIVERED).hasSize(900);
            assertThat(r.recipients().get(7).recipient()).isEqualTo("r7@y.test");
            assertThat(r.recipients().get(7).reply().code()).isEqualTo(550);
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void aThousandLmtpRepliesAfterTheDotInOneBurst() throws Exception {
        // RFC 2033 §4.2: one reply per accepted recipient after the dot.
        int n = 1000;
        List<String> rcpts = IntStream.range(0, n).mapToObj(i -> "r" + i + "@y.test").toList();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 store.test LMTP\r\n");
            peer.expect("LHLO");
            peer.send("250-store.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n");
            peer.expect("MAIL");
            StringBuilder replies = new StringBuilder("250 2.1.0 ok\r\n");
            StringBuilder finals = new StringBuilder();
            for (int i = 0; i < n; i++) {
                peer.expect("RCPT");
                replies.append("250 2.1.5 ok\r\n");
                finals.append(i % 100 == 0 ? "452 4.2.2 mailbox full\r\n" : "250 2.0.0 saved\r\n");
            }
            peer.send(replies.toString());
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send(finals.toString());
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r;
            SmtpClientConfig lmtp = CONFIG.withProtocol(SmtpClientConfig.Protocol.LMTP);
            try (SmtpConnection c = TestNet.open("store.test", server.address(), lmtp); TestNet.Quit quit = TestNet.quitting(c)) {
                r = TestNet.send(c, new SmtpEnvelope("s@x.test", rcpts), MESSAGE);
            }
            assertThat(r.recipients()).hasSize(n);
            assertThat(r.recipients()).filteredOn(x -> x.outcome() == DeliveryOutcome.DEFERRED).hasSize(10);
            assertThat(r.recipients().get(100).reply().code()).isEqualTo(452);
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void aServerThatStopsReadingA20MegabyteMessageHoldsOnlyTheWindowNotTheMessage() throws Exception {
        // RFC 5321 §4.5.3.2.5 wants a data block timeout; back-pressure keeps what we hand to the
        // network to what the socket takes, however large the message.
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test\r\n");
            peer.expect("EHLO");
            peer.send(EHLO);
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            release.await(20, TimeUnit.SECONDS); // reads nothing more: the TCP window fills
        })) {
            Keeping connector = new Keeping();
            SmtpClientConfig config = CONFIG.withTimeouts(SmtpTimeouts.uniform(PATIENT).withDataDone(Duration.ofMillis(800)));
            byte[] big = new byte[20 * 1024 * 1024];
            Arrays.fill(big, (byte) 'x');
            SmtpConnection c = TestNet.await(SmtpConnection.open(connector, "mx.test", server.address(), config));
            long start = System.nanoTime();
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class,
                    () -> TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), big));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            release.countDown();
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TIMEOUT);
            assertThat(e.phase()).isEqualTo(SmtpPhase.DATA_DONE);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            long handedOver = connector.made.get(0).handedOver();
            System.out.println("back-pressure: " + handedOver + " of " + big.length + " octets handed to the socket");
            // What the kernel's socket buffers took plus one write queue; never the whole message,
            // which is what a write without back-pressure hands over. Our send buffer grows up to
            // Linux's default tcp_wmem maximum of 4 MiB; the server's receive buffer stays small, since
            // the kernel grows it only as the application reads (6 MiB more covers it and the queue).
            long kernel = 10L * 1024 * 1024;
            assertThat(handedOver).isGreaterThan(0).isLessThan(kernel);
            connector.connector.close();
        }
    }

    /** True, after waiting to be released, if this is the phase the server falls silent in. */
    private static boolean silent(SmtpPhase now, SmtpPhase silentIn, CountDownLatch release) throws InterruptedException {
        if (now != silentIn) {
            return false;
        }
        release.await(20, TimeUnit.SECONDS);
        return true;
    }

    /** Every phase waits {@link #PATIENT}, but {@code phase} only {@link #SHORT}. */
    private static SmtpTimeouts shortIn(SmtpPhase phase) {
        Duration p = PATIENT;
        return new SmtpTimeouts(p, phase == SmtpPhase.GREETING ? SHORT : p, phase == SmtpPhase.EHLO ? SHORT : p, p,
                phase == SmtpPhase.MAIL || phase == SmtpPhase.RSET ? SHORT : p, phase == SmtpPhase.RCPT ? SHORT : p,
                phase == SmtpPhase.DATA ? SHORT : p, phase == SmtpPhase.DATA_DONE ? SHORT : p, p);
    }

    /** Sends one octet per segment. */
    private static void trickle(ScriptedServer.Peer peer, String text) throws Exception {
        for (char ch : text.toCharArray()) {
            peer.send(String.valueOf(ch));
            Thread.sleep(1);
        }
    }
}
