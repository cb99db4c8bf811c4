package io.postbus.delivery.smtp;

import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SinkConfig;
import io.postbus.loadtest.sink.SinkPolicy;
import io.postbus.loadtest.sink.SmtpSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Scenario tests against the real receiving server of the load tests (Vert.x, real sockets). */
class SmtpConnectionSinkTest {

    private static final SmtpClientConfig CONFIG = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(10)));

    private SmtpSink sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void mixedRecipientRepliesGiveOneOutcomeEach() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll().withRcpt(r -> {
            if (r.startsWith("busy")) {
                return "450 4.2.0 <" + r + ">: mailbox busy, try later";
            }
            return r.startsWith("nobody") ? "550 5.1.1 <" + r + ">: no such user" : null;
        })));
        SmtpEnvelope envelope = SmtpEnvelope.of("alice@x.test", "one@y.test", "busy@y.test", "nobody@y.test",
                "two@y.test");

        SmtpDeliveryResult r;
        try (SmtpConnection c = open()) {
            r = c.send(envelope, bytes("Subject: mixed\r\n\r\nhello\r\n"));
        }

        assertThat(r.recipients()).extracting(RecipientResult::recipient)
                .containsExactlyElementsOf(envelope.recipients());
        assertThat(r.recipient("one@y.test").outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(r.recipient("one@y.test").reply().toString()).isEqualTo("250 2.0.0 Ok: queued");
        assertThat(r.recipient("two@y.test").outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        assertThat(r.recipient("busy@y.test").outcome()).isEqualTo(DeliveryOutcome.DEFERRED);
        assertThat(r.recipient("busy@y.test").reply().enhancedStatus()).map(Object::toString).contains("4.2.0");
        assertThat(r.recipient("nobody@y.test").outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
        assertThat(r.recipient("nobody@y.test").reply().code()).isEqualTo(550);
        assertThat(r.remoteHost()).isEqualTo("sink.test");
        assertThat(r.remoteAddress()).isEqualTo(sink.address());
        assertThat(r.tls()).isEmpty(); // the sink offers no STARTTLS; MAY carries on in plain text

        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
        ReceivedMessage m = sink.messages().get(0);
        assertThat(m.mailFrom()).isEqualTo("alice@x.test");
        assertThat(m.recipients()).containsExactly("one@y.test", "two@y.test");
        assertThat(m.helo()).isEqualTo("client.postbus.test");
    }

    @Test
    void endOfDataReplyDecidesTheAcceptedRecipientsOnly() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withRcpt(r -> r.startsWith("nobody") ? "550 5.1.1 no such user" : null)
                .withEndOfData(m -> "452 4.3.1 Insufficient system storage")));
        SmtpDeliveryResult r;
        try (SmtpConnection c = open()) {
            r = c.send(SmtpEnvelope.of("a@x.test", "one@y.test", "nobody@y.test"), bytes("x\r\n"));
        }
        assertThat(r.recipient("one@y.test").outcome()).isEqualTo(DeliveryOutcome.DEFERRED);
        assertThat(r.recipient("one@y.test").reply().code()).isEqualTo(452);
        assertThat(r.recipient("nobody@y.test").outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
        assertThat(sink.count()).isZero();
    }

    @Test
    void eightBitAndTrickyBytesArriveByteIdentical() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults());
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(bytes(".starts with a dot\r\n"));
        m.writeBytes("Subject: Grüße aus Köln\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        for (int b = 0x80; b <= 0xff; b++) {
            m.write(b);
        }
        m.writeBytes(bytes("\r\n.\r\n..\r\nbare LF\n.\nbare CR\r.\rline\r\n.last line has a dot"));
        byte[] message = m.toByteArray();

        try (SmtpConnection c = open()) {
            assertThat(c.send(SmtpEnvelope.of("a@x.test", "b@y.test"), message).allDelivered()).isTrue();
        }

        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(message);
        expected.writeBytes(bytes("\r\n")); // the message lacked a final CRLF
        assertThat(sink.messages().get(0).data()).isEqualTo(expected.toByteArray());
    }

    @Test
    void threeMessagesShareOneConnection() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults());
        try (SmtpConnection c = open()) {
            for (int i = 1; i <= 3; i++) {
                SmtpDeliveryResult r = c.send(SmtpEnvelope.of("a@x.test", "r" + i + "@y.test"),
                        bytes("Subject: " + i + "\r\n\r\nmessage " + i + "\r\n"));
                assertThat(r.allDelivered()).isTrue();
                assertThat(r.timing().messageOnConnection()).isEqualTo(i);
                assertThat(r.timing().connectionSetup()).isEqualTo(c.setupTime());
            }
        }
        assertThat(sink.awaitCount(3, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.connectionCount()).isEqualTo(1);
        assertThat(sink.messages()).extracting(ReceivedMessage::text)
                .containsExactly("Subject: 1\r\n\r\nmessage 1\r\n", "Subject: 2\r\n\r\nmessage 2\r\n",
                        "Subject: 3\r\n\r\nmessage 3\r\n");
    }

    @Test
    void noAcceptedRecipientMeansNoDataAndTheConnectionStaysUsable() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(SinkPolicy.acceptAll()
                .withRcpt(r -> r.startsWith("nobody") ? "550 5.1.1 no such user" : null)));
        try (SmtpConnection c = open()) {
            SmtpDeliveryResult refused = c.send(SmtpEnvelope.of("a@x.test", "nobody1@y.test", "nobody2@y.test"),
                    bytes("x\r\n"));
            assertThat(refused.withOutcome(DeliveryOutcome.BOUNCED)).hasSize(2);
            assertThat(c.isUsable()).isTrue();
            assertThat(c.send(SmtpEnvelope.of("a@x.test", "someone@y.test"), bytes("y\r\n")).allDelivered()).isTrue();
        }
        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.messages()).singleElement().extracting(ReceivedMessage::text).isEqualTo("y\r\n");
    }

    @Test
    void utf8AddressesGoThroughWhenTheServerOffersSmtpUtf8() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults());
        try (SmtpConnection c = open()) {
            assertThat(c.capabilities().smtpUtf8()).isTrue();
            assertThat(c.send(SmtpEnvelope.of("jörg@exämple.test", "дмитрий@пример.рф"), bytes("x\r\n"))
                    .allDelivered()).isTrue();
        }
        assertThat(sink.awaitCount(1, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.messages().get(0).mailFrom()).isEqualTo("jörg@exämple.test");
        assertThat(sink.messages().get(0).recipients()).containsExactly("дмитрий@пример.рф");
    }

    @Test
    void refusingGreetingIsAPermanentSessionFailure() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults().withPolicy(
                SinkPolicy.acceptAll().withGreeting("554 5.7.1 sink.test has no service for you")));
        PermanentSmtpException e = catchThrowableOfType(PermanentSmtpException.class, this::open);
        assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
        assertThat(e.reply().map(SmtpReply::code)).contains(554);
    }

    @Test
    void messageTooBigForTheServerBouncesAtMailFrom() throws Exception {
        sink = SmtpSink.start(SinkConfig.defaults().withMaxMessageSize(1000));
        try (SmtpConnection c = open()) {
            SmtpDeliveryResult r = c.send(SmtpEnvelope.of("a@x.test", "b@y.test"), bytes("x".repeat(2000)));
            assertThat(r.recipient("b@y.test").outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
            assertThat(r.recipient("b@y.test").reply().enhancedStatus()).map(Object::toString).contains("5.3.4");
        }
    }

    private SmtpConnection open() throws SmtpException {
        return SmtpConnection.open("sink.test", sink.address(), CONFIG);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
