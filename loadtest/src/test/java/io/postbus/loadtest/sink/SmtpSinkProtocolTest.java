package io.postbus.loadtest.sink;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The sink's SMTP dialogue checked byte by byte over a raw socket. */
class SmtpSinkProtocolTest {

    private SmtpSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    private SmtpSink start(SinkConfig config) {
        sink = SmtpSink.start(config);
        return sink;
    }

    @Test
    void wholeSessionInOneWriteGetsEveryReplyInOrder() throws Exception {
        start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withRcpt(r -> r.startsWith("busy@") ? "450 4.2.0 try later" : null)));
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            assertThat(c.reply()).singleElement().asString().startsWith("220 ");
            // Pipelining the message and QUIT after DATA goes beyond RFC 2920, which is the point:
            // the sink must keep command and data bytes apart however they arrive.
            c.send("EHLO client.test\r\nMAIL FROM:<a@example.org> SIZE=200\r\nRCPT TO:<b@example.net>\r\n"
                    + "RCPT TO:<busy@example.net>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
            List<String> ehlo = c.reply();
            assertThat(ehlo).contains("250-PIPELINING", "250-8BITMIME", "250-SMTPUTF8",
                    "250-ENHANCEDSTATUSCODES", "250 DSN");
            assertThat(ehlo).anyMatch(l -> l.startsWith("250-SIZE "));
            assertThat(c.replies(6)).containsExactly("250 2.1.0 Ok", "250 2.1.5 Ok", "450 4.2.0 try later",
                    "354 End data with <CR><LF>.<CR><LF>", "250 2.0.0 Ok: queued", "221 2.0.0 Bye");
            assertThat(c.closedByServer()).isTrue();
        }
        ReceivedMessage m = sink.messages().get(0);
        assertThat(m.recipients()).containsExactly("b@example.net");
        assertThat(m.text()).isEqualTo("Subject: x\r\n\r\nbody\r\n");
        assertThat(m.helo()).isEqualTo("client.test");
    }

    @Test
    void dataEndsOnlyAtCrLfDotCrLfAndIsUnstuffed() throws Exception {
        start(SinkConfig.defaults());
        byte[] wire = bytes("..first line starts with a stuffed dot\r\n"
                + "bare LF dot\n.\nstill data\r\n"          // "\n.\n" must not end DATA
                + "bare CR dot\r.\rstill data\r\n"
                + "...\r\n"                                  // ".." after unstuffing
                + "\r\n"
                + "last\r\n.\r\n");
        byte[] expected = bytes(".first line starts with a stuffed dot\r\n"
                + "bare LF dot\n.\nstill data\r\n"
                + "bare CR dot\r.\rstill data\r\n"
                + "..\r\n"
                + "\r\n"
                + "last\r\n");
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<b@example.net>\r\nDATA\r\n");
            assertThat(c.replies(4)).last().asString().startsWith("354");
            c.send(wire);
            assertThat(c.reply()).singleElement().asString().startsWith("250 ");
        }
        ReceivedMessage m = sink.messages().get(0);
        assertThat(m.mailFrom()).isEmpty();
        assertThat(m.data()).isEqualTo(expected);
    }

    @Test
    void eightBitBodyAndUtf8AddressesArriveUnchanged() throws Exception {
        start(SinkConfig.defaults());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(bytes("Subject: =?utf-8?q?gr=C3=BC=C3=9Fe?=\r\n\r\n"));
        for (int b = 0x80; b <= 0xff; b++) {
            body.write(b);                                   // every 8-bit octet, as Latin-1 bytes
        }
        body.writeBytes(bytes("\r\nGrüße\r\n"));
        byte[] expected = body.toByteArray();
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("EHLO x\r\nMAIL FROM:<jörg@exämple.org> BODY=8BITMIME SMTPUTF8\r\n"
                    + "RCPT TO:<дмитрий@пример.рф>\r\nDATA\r\n");
            c.reply();
            assertThat(c.replies(3)).last().asString().startsWith("354");
            c.send(expected);
            c.send(".\r\n");
            assertThat(c.reply()).singleElement().asString().startsWith("250 ");
        }
        ReceivedMessage m = sink.messages().get(0);
        assertThat(m.mailFrom()).isEqualTo("jörg@exämple.org");
        assertThat(m.recipients()).containsExactly("дмитрий@пример.рф");
        assertThat(m.data()).isEqualTo(expected);
    }

    @Test
    void endOfDataPolicyDecidesWhetherTheMessageIsStored() throws Exception {
        start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withEndOfData(m -> m.text().contains("spam") ? "554 5.7.1 rejected as spam" : null)));
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("HELO x\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nspam\r\n.\r\n"
                    + "MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nham\r\n.\r\n");
            assertThat(c.replies(9)).containsSubsequence("554 5.7.1 rejected as spam", "250 2.0.0 Ok: queued");
        }
        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.count()).isEqualTo(1);
        assertThat(sink.messages()).singleElement().extracting(ReceivedMessage::text).isEqualTo("ham\r\n");
    }

    @Test
    void commandsOutOfSequenceAreRefused() throws Exception {
        start(SinkConfig.defaults());
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("RCPT TO:<b@y.test>\r\nDATA\r\nMAIL FROM:<a@x.test>\r\nMAIL FROM:<a@x.test>\r\nDATA\r\n"
                    + "RSET\r\nRCPT TO:<b@y.test>\r\nNOOP\r\nXYZZY\r\nHELO\r\n");
            assertThat(c.replies(10)).extracting(l -> l.substring(0, 3))
                    .containsExactly("503", "503", "250", "503", "554", "250", "503", "250", "500", "501");
        }
    }

    @Test
    void tooLongLineIsRefusedAndTheConnectionClosed() throws Exception {
        start(SinkConfig.defaults());
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("NOOP " + "x".repeat(70_000) + "\r\n");
            assertThat(c.reply()).singleElement().asString().startsWith("500 5.5.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void sizeLimitIsEnforcedAtMailAndAtEndOfData() throws Exception {
        start(SinkConfig.defaults().withMaxMessageSize(1000));
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("EHLO x\r\nMAIL FROM:<a@x.test> SIZE=1001\r\n");
            assertThat(c.reply()).contains("250-SIZE 1000");
            assertThat(c.reply()).singleElement().asString().startsWith("552 5.3.4");
            c.send("MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
            assertThat(c.replies(3)).last().asString().startsWith("354");
            c.send(("y".repeat(600) + "\r\n").repeat(2) + ".\r\nNOOP\r\n");
            assertThat(c.replies(2)).extracting(l -> l.substring(0, 3)).containsExactly("552", "250");
        }
        assertThat(sink.count()).isZero();
    }

    @Test
    void rejectingGreetingRefusesAllButQuit() throws Exception {
        start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll().withGreeting("554 5.7.1 no service")));
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            assertThat(c.reply()).containsExactly("554 5.7.1 no service");
            c.send("EHLO x\r\nQUIT\r\n");
            assertThat(c.replies(2)).extracting(l -> l.substring(0, 3)).containsExactly("503", "221");
        }
    }

    @Test
    void busyGreetingClosesTheConnection() throws Exception {
        start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll().withGreeting("421 4.3.2 busy")));
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            assertThat(c.reply()).containsExactly("421 4.3.2 busy");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void multiLinePolicyRepliesGetContinuationDashes() throws Exception {
        start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withRcpt(r -> "550 5.1.1 no such user\n550 5.1.1 see https://example.test")));
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("HELO x\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n");
            c.replies(2);
            assertThat(c.reply()).containsExactly("550-5.1.1 no such user", "550 5.1.1 see https://example.test");
        }
    }

    @Test
    void countersClearAndAwait() throws Exception {
        Instant now = Instant.parse("2030-01-02T03:04:05Z");
        start(SinkConfig.defaults().withClock(Clock.fixed(now, ZoneOffset.UTC)));
        assertThat(sink.awaitCount(1, Duration.ofMillis(50))).isFalse();
        try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
            c.reply();
            c.send("HELO x\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\nDATA\r\nx\r\n.\r\n");
            c.replies(6);
        }
        assertThat(sink.count()).isEqualTo(1);
        assertThat(sink.recipientCount()).isEqualTo(2);
        assertThat(sink.messages().get(0).arrivedAt()).isEqualTo(now);
        sink.clear();
        assertThat(sink.count()).isZero();
        assertThat(sink.recipientCount()).isZero();
        assertThat(sink.messages()).isEmpty();
        assertThat(sink.connectionCount()).isEqualTo(1);
    }

    @Test
    void countsWithoutRetainingAndSharesThePortAcrossEventLoops() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        start(SinkConfig.defaults().withRetainMessages(false).withEventLoops(3).withPolicy(SinkPolicy.acceptAll()
                .withMail(sender -> {
                    threads.add(Thread.currentThread().getName());
                    return null;
                })));
        for (int i = 0; i < 6; i++) {
            try (RawSmtpClient c = new RawSmtpClient(sink.port())) {
                c.reply();
                c.send("HELO x\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nx\r\n.\r\n");
                assertThat(c.replies(5)).last().asString().startsWith("250");
            }
        }
        assertThat(sink.count()).isEqualTo(6);
        assertThat(sink.messages()).isEmpty();
        assertThat(sink.connectionCount()).isEqualTo(6);
        assertThat(threads).hasSize(3);
    }

    @Test
    void runsOnAVertxTheCallerOwns() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            SmtpSink shared = SmtpSink.start(vertx, SinkConfig.defaults()).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            try (RawSmtpClient c = new RawSmtpClient(shared.port())) {
                assertThat(c.reply()).singleElement().asString().startsWith("220 sink.postbus.test");
            }
            shared.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(vertx.deploymentIDs()).isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
