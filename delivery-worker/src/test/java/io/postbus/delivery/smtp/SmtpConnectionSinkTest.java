package io.postbus.delivery.smtp;

import io.postbus.testkit.FakeMx;
import io.postbus.testkit.FakeMx.Command;
import io.postbus.testkit.FakeMx.RcptScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Scenario tests against a receiving MTA on a real socket (the test kit's FakeMx), offering what a
 * Postfix MX offers, PIPELINING included, so the replies come back to a pipelined group (RFC 2920).
 */
class SmtpConnectionSinkTest {
    /** Postfix's EHLO reply, less STARTTLS and DSN. */
    private static final String EHLO = "250-sink.test\n250-PIPELINING\n250-SIZE 10240000\n250-8BITMIME\n"
            + "250-SMTPUTF8\n250 ENHANCEDSTATUSCODES";

    private static final SmtpClientConfig CONFIG = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(10)));

    private FakeMx sink;

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void mixedRecipientRepliesGiveOneOutcomeEach() throws Exception {
        sink = start().rcpt("busy@y.test", RcptScript.always("450 4.2.0 <busy@y.test>: mailbox busy, try later"))
                .rcpt("nobody@y.test", RcptScript.always("550 5.1.1 <nobody@y.test>: no such user"));
        SmtpEnvelope envelope = SmtpEnvelope.of("alice@x.test", "one@y.test", "busy@y.test", "nobody@y.test",
                "two@y.test");

        SmtpDeliveryResult r;
        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            r = TestNet.send(c, envelope, bytes("Subject: mixed\r\n\r\nhello\r\n"));
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

        assertThat(sink.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        FakeMx.Transaction m = sink.transactions().get(0);
        assertThat(m.mailFrom()).isEqualTo("alice@x.test");
        assertThat(m.recipients()).containsExactly("one@y.test", "two@y.test");
        assertThat(m.helo()).isEqualTo("client.postbus.test");
        assertThat(sink.rcptAttempts()).extracting(FakeMx.RcptAttempt::recipient)
                .containsExactlyElementsOf(envelope.recipients());
    }

    @Test
    void endOfDataReplyDecidesTheAcceptedRecipientsOnly() throws Exception {
        sink = start().rcpt("nobody@y.test", RcptScript.always("550 5.1.1 no such user"))
                .reply(Command.DATA_END, "452 4.3.1 Insufficient system storage");
        SmtpDeliveryResult r;
        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "one@y.test", "nobody@y.test"), bytes("x\r\n"));
        }
        assertThat(r.recipient("one@y.test").outcome()).isEqualTo(DeliveryOutcome.DEFERRED);
        assertThat(r.recipient("one@y.test").reply().code()).isEqualTo(452);
        assertThat(r.recipient("nobody@y.test").outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
        // The data arrived for the one accepted recipient, and the server refused it.
        assertThat(sink.transactions()).singleElement().satisfies(t -> {
            assertThat(t.recipients()).containsExactly("one@y.test");
            assertThat(t.accepted()).isFalse();
        });
    }

    @Test
    void eightBitAndTrickyBytesArriveByteIdentical() throws Exception {
        sink = start();
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(bytes(".starts with a dot\r\n"));
        m.writeBytes("Subject: Grüße aus Köln\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        for (int b = 0x80; b <= 0xff; b++) {
            m.write(b);
        }
        m.writeBytes(bytes("\r\n.\r\n..\r\nbare LF\n.\nbare CR\r.\rline\r\n.last line has a dot"));
        byte[] message = m.toByteArray();

        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            assertThat(TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), message).allDelivered()).isTrue();
        }

        assertThat(sink.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(message);
        expected.writeBytes(bytes("\r\n")); // the message lacked a final CRLF
        assertThat(sink.transactions().get(0).data()).isEqualTo(expected.toByteArray());
    }

    @Test
    void threeMessagesShareOneConnection() throws Exception {
        sink = start();
        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            for (int i = 1; i <= 3; i++) {
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "r" + i + "@y.test"),
                        bytes("Subject: " + i + "\r\n\r\nmessage " + i + "\r\n"));
                assertThat(r.allDelivered()).isTrue();
                assertThat(r.timing().messageOnConnection()).isEqualTo(i);
                assertThat(r.timing().connectionSetup()).isEqualTo(c.setupTime());
            }
        }
        assertThat(sink.awaitTransactions(3, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.connectionCount()).isEqualTo(1);
        assertThat(sink.transactions()).extracting(SmtpConnectionSinkTest::text)
                .containsExactly("Subject: 1\r\n\r\nmessage 1\r\n", "Subject: 2\r\n\r\nmessage 2\r\n",
                        "Subject: 3\r\n\r\nmessage 3\r\n");
    }

    @Test
    void noAcceptedRecipientMeansNoDataAndTheConnectionStaysUsable() throws Exception {
        sink = start().rcpt("nobody1@y.test", RcptScript.always("550 5.1.1 no such user"))
                .rcpt("nobody2@y.test", RcptScript.always("550 5.1.1 no such user"));
        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            SmtpDeliveryResult refused = TestNet.send(c, SmtpEnvelope.of("a@x.test", "nobody1@y.test", "nobody2@y.test"),
                    bytes("x\r\n"));
            assertThat(refused.withOutcome(DeliveryOutcome.BOUNCED)).hasSize(2);
            assertThat(c.isUsable()).isTrue();
            assertThat(TestNet.send(c, SmtpEnvelope.of("a@x.test", "someone@y.test"), bytes("y\r\n")).allDelivered()).isTrue();
        }
        assertThat(sink.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.transactions()).singleElement().extracting(SmtpConnectionSinkTest::text).isEqualTo("y\r\n");
    }

    @Test
    void utf8AddressesGoThroughWhenTheServerOffersSmtpUtf8() throws Exception {
        sink = start();
        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            assertThat(c.capabilities().smtpUtf8()).isTrue();
            assertThat(TestNet.send(c, SmtpEnvelope.of("jörg@exämple.test", "дмитрий@пример.рф"), bytes("x\r\n"))
                    .allDelivered()).isTrue();
        }
        assertThat(sink.awaitTransactions(1, Duration.ofSeconds(5))).isTrue();
        assertThat(sink.transactions().get(0).mailFrom()).isEqualTo("jörg@exämple.test");
        assertThat(sink.transactions().get(0).recipients()).containsExactly("дмитрий@пример.рф");
    }

    @Test
    void refusingGreetingIsAPermanentSessionFailure() throws Exception {
        sink = start().reply(Command.GREETING, "554 5.7.1 sink.test has no service for you");
        PermanentSmtpException e = catchThrowableOfType(PermanentSmtpException.class, this::open);
        assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
        assertThat(e.reply().map(SmtpReply::code)).contains(554);
    }

    @Test
    void messageTooBigForTheServerBouncesAtMailFrom() throws Exception {
        // RFC 1870 §6.1: a server that knows from SIZE= that the message is too big refuses the MAIL
        // command (the client declaring SIZE= is proven by SmtpConnectionFailureTest).
        sink = start().reply(Command.EHLO, EHLO.replace("SIZE 10240000", "SIZE 1000"))
                .reply(Command.MAIL, "552 5.3.4 Message size exceeds fixed limit");
        try (SmtpConnection c = open(); TestNet.Quit quit = TestNet.quitting(c)) {
            SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), bytes("x".repeat(2000)));
            assertThat(r.recipient("b@y.test").outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
            assertThat(r.recipient("b@y.test").reply().enhancedStatus()).map(Object::toString).contains("5.3.4");
        }
        assertThat(sink.rcptAttempts()).as("refused at MAIL: the pipelined RCPT got a 503, not a try").isEmpty();
        assertThat(sink.transactions()).isEmpty();
    }

    private static FakeMx start() {
        return FakeMx.start().reply(Command.EHLO, EHLO);
    }

    private static String text(FakeMx.Transaction t) {
        return new String(t.data(), StandardCharsets.ISO_8859_1);
    }

    private SmtpConnection open() throws SmtpException {
        return TestNet.open("sink.test", sink.address(), CONFIG);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
