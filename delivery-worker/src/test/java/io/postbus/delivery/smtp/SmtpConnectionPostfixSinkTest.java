package io.postbus.delivery.smtp;

import io.postbus.testkit.PostfixSmtpSink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Interop with Postfix's smtp-sink(1): a real server we did not write. */
class SmtpConnectionPostfixSinkTest {

    private static final SmtpClientConfig CONFIG = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(10)));

    @TempDir
    Path dir;

    /** A missing tool fails the test (the README's test command installs it); it never skips it. */
    @org.junit.jupiter.api.BeforeAll
    static void requireTools() {
        io.postbus.testkit.ExternalTool.require("smtp-sink");
    }

    @Test
    void deliversEightBitBytesWithTheRightEnvelope() throws Exception {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes("Subject: Grüße\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n".getBytes(StandardCharsets.UTF_8));
        for (int b = 0x80; b <= 0xff; b++) {
            if (b != 0x85) { // keep it to plain CRLF line structure: smtp-sink dumps lines with LF
                m.write(b);
            }
        }
        m.writeBytes("\r\nend\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] message = m.toByteArray();

        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir)) {
            SmtpDeliveryResult r;
            try (SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.capabilities().pipelining()).isTrue();
                r = TestNet.send(c, SmtpEnvelope.of("alice@x.test", "bob@y.test", "carol@y.test"), message);
            }
            assertThat(r.allDelivered()).isTrue();
            assertThat(r.recipients()).allSatisfy(rr -> assertThat(rr.reply().toString()).isEqualTo("250 2.0.0 Ok"));

            PostfixSmtpSink.Dump dump = sink.awaitDumps(1, Duration.ofSeconds(5)).get(0);
            assertThat(dump.header("X-Helo-Args")).containsExactly("client.postbus.test");
            // smtp-sink offers 8BITMIME but not SIZE.
            assertThat(dump.header("X-Mail-Args")).containsExactly("<alice@x.test> BODY=8BITMIME");
            assertThat(dump.header("X-Rcpt-Args")).containsExactly("<bob@y.test>", "<carol@y.test>");
            assertThat(dump.message()).isEqualTo(crlfToLf(message));
        }
    }

    @Test
    void serverWithoutEsmtpGetsHelo() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-e")) {
            try (SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.capabilities().keywords()).isEmpty();
                byte[] eightBit = "Subject: x\r\n\r\n\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
                assertThat(TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), eightBit).allDelivered()).isTrue();
            }
            PostfixSmtpSink.Dump dump = sink.awaitDumps(1, Duration.ofSeconds(5)).get(0);
            assertThat(dump.header("X-Client-Proto")).containsExactly("SMTP");
            assertThat(dump.header("X-Mail-Args")).containsExactly("<a@x.test>");
        }
    }

    @Test
    void softRejectedRecipientsAreDeferredWithoutData() throws Exception {
        // -r RCPT answers every RCPT with 450 and turns PIPELINING off: the one-by-one path.
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-r", "RCPT")) {
            try (SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.capabilities().pipelining()).isFalse();
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test", "c@y.test"), bytes("x\r\n"));
                assertThat(r.recipients()).allSatisfy(rr -> {
                    assertThat(rr.outcome()).isEqualTo(DeliveryOutcome.DEFERRED);
                    assertThat(rr.reply().toString()).isEqualTo("450 4.3.0 Error: command failed");
                });
                assertThat(c.isUsable()).isTrue();
            }
            Thread.sleep(200);
            assertThat(sink.dumpCount()).isZero();
        }
    }

    @Test
    void hardRejectAtEndOfDataBounces() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-f", ".")) {
            try (SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), bytes("x\r\n"));
                assertThat(r.recipient("b@y.test").outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
                assertThat(r.recipient("b@y.test").reply().isPermanent()).isTrue();
            }
        }
    }

    @Test
    void closingReplyToMailDefersAndEndsTheConnection() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-Q", "MAIL")) {
            SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG);
            SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test", "c@y.test"), bytes("x\r\n"));
            assertThat(r.recipients()).allSatisfy(rr -> {
                assertThat(rr.outcome()).isEqualTo(DeliveryOutcome.DEFERRED);
                assertThat(rr.reply().code()).isEqualTo(421);
            });
            assertThat(c.isUsable()).isFalse();
            c.close();
        }
    }

    @Test
    void serverVanishingAtRcptIsALostConnection() throws Exception {
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-q", "RCPT")) {
            SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG);
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class,
                    () -> TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), bytes("x\r\n")));
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.CONNECTION_LOST);
            assertThat(e.phase()).isEqualTo(SmtpPhase.RCPT);
        }
    }

    @Test
    void threeMessagesInTheOnlySessionTheSinkAllows() throws Exception {
        // -n 1: smtp-sink exits after one session, so three deliveries prove the connection was reused.
        try (PostfixSmtpSink sink = PostfixSmtpSink.start(dir, "-n", "1")) {
            try (SmtpConnection c = TestNet.open("smtp-sink.test", sink.address(), CONFIG); TestNet.Quit quit = TestNet.quitting(c)) {
                for (int i = 1; i <= 3; i++) {
                    SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "r" + i + "@y.test"),
                            bytes("Subject: " + i + "\r\n\r\nbody " + i + "\r\n"));
                    assertThat(r.allDelivered()).isTrue();
                }
            }
            List<PostfixSmtpSink.Dump> dumps = sink.awaitDumps(3, Duration.ofSeconds(5));
            assertThat(dumps).flatExtracting(d -> d.header("X-Rcpt-Args"))
                    .containsExactlyInAnyOrder("<r1@y.test>", "<r2@y.test>", "<r3@y.test>");
        }
    }

    private static byte[] crlfToLf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                continue;
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
