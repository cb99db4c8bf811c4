package io.postbus.delivery.smtp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each way a session can fail, classified where it happens. Scripted servers, real sockets. */
class SmtpConnectionFailureTest {

    private static final SmtpClientConfig FAST = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)))
            .withTlsPolicy(TlsPolicy.NONE);
    private static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EHLO_PIPELINING = "250-mx.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n";

    @Test
    void silentServerTimesOutWithinTheGreetingTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(peer -> release.await(10, TimeUnit.SECONDS))) {
            SmtpClientConfig config = FAST.withTimeouts(FAST.timeouts().withGreeting(Duration.ofMillis(300)));
            long start = System.nanoTime();
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class, () -> open(server, config));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            release.countDown();

            assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TIMEOUT);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("timed out", "initial server greeting");
            assertThat(took).isBetween(Duration.ofMillis(290), Duration.ofSeconds(3));
        }
    }

    @Test
    void refusedConnectionIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class,
                () -> TestNet.open("mx.test", nobody, FAST));
        assertThat(e.kind()).isEqualTo(SmtpException.Kind.CONNECTION_REFUSED);
        assertThat(e.phase()).isEqualTo(SmtpPhase.CONNECT);
        assertThat(e.getMessage()).startsWith("connect to mx.test[127.0.0.1]:" + port);
    }

    @Test
    void fiveHundredGreetingIsPermanentForThisHost() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("554 5.7.1 mx.test no service for you\r\n");
            peer.readLine();
        })) {
            PermanentSmtpException e = catchThrowableOfType(PermanentSmtpException.class, () -> open(server, FAST));
            assertThat(e.phase()).isEqualTo(SmtpPhase.GREETING);
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.REJECTED);
            assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(554));
            assertThat(e.getMessage()).contains("refused to talk to me: 554 5.7.1");
        }
    }

    @Test
    void fourHundredGreetingIsTransient() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> peer.send("421 4.3.2 mx.test busy\r\n"))) {
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class, () -> open(server, FAST));
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.REJECTED);
            assertThat(e.reply().map(SmtpReply::code)).contains(421);
        }
    }

    @Test
    void malformedReplyIsAProtocolError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test\r\n");
            peer.expect("EHLO client.postbus.test");
            peer.send("250-mx.test\r\n550 changed my mind\r\n");
        })) {
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class, () -> open(server, FAST));
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.PROTOCOL);
            assertThat(e.phase()).isEqualTo(SmtpPhase.EHLO);
        }
    }

    @Test
    void serverWithoutEhloGetsHeloAndUnpipelinedCommands() throws Exception {
        byte[] eightBit = "Subject: caf\u00e9\r\n\r\n\u00e9\r\n".getBytes(StandardCharsets.ISO_8859_1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test old server\r\n");
            peer.expect("EHLO client.postbus.test");
            peer.send("502 5.5.2 what is EHLO\r\n");
            peer.expect("HELO client.postbus.test");
            peer.send("250 mx.test\r\n");
            // No extensions: no SIZE=, no BODY=, and one command at a time.
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<a@x.test>");
            peer.send("250 ok\r\n");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<b@y.test>");
            peer.send("250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            assertThat(peer.readData()).isEqualTo(eightBit);
            peer.send("250 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = open(server, FAST); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(c.capabilities().keywords()).isEmpty();
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), eightBit);
                assertThat(r.allDelivered()).isTrue();
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void connectionLostMidTransactionKeepsTheAnswersAlreadyGiven() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greetPipelining(peer);
            peer.expect("MAIL FROM:");
            peer.expect("RCPT TO:<ok@y.test>");
            peer.expect("RCPT TO:<gone@y.test>");
            peer.expect("RCPT TO:<later@y.test>");
            peer.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n");
            peer.close(); // before the third RCPT reply
        })) {
            SmtpConnection c = open(server, FAST);
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class,
                    () -> TestNet.send(c, SmtpEnvelope.of("a@x.test", "ok@y.test", "gone@y.test", "later@y.test"), MESSAGE));
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.CONNECTION_LOST);
            assertThat(e.phase()).isEqualTo(SmtpPhase.RCPT);
            assertThat(e.decidedRecipients()).singleElement().satisfies(r -> {
                assertThat(r.recipient()).isEqualTo("gone@y.test");
                assertThat(r.outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
            });
            assertThat(c.isUsable()).isFalse();
            c.close();
        }
    }

    @Test
    void noReplyAfterTheDotTimesOutInDataDone() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greetPipelining(peer);
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            release.await(10, TimeUnit.SECONDS);
        })) {
            SmtpClientConfig config = FAST.withTimeouts(FAST.timeouts().withDataDone(Duration.ofMillis(300)));
            SmtpConnection c = open(server, config);
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class,
                    () -> TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), MESSAGE));
            release.countDown();
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TIMEOUT);
            assertThat(e.phase()).isEqualTo(SmtpPhase.DATA_DONE);
            assertThat(e.getMessage()).contains("may be sent more than once");
            assertThat(e.decidedRecipients()).isEmpty();
        }
    }

    @Test
    void serverThatStopsReadingCannotBlockUsForever() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greetPipelining(peer);
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            release.await(20, TimeUnit.SECONDS); // never reads the message: the TCP window fills
        })) {
            SmtpClientConfig config = FAST.withTimeouts(FAST.timeouts().withDataDone(Duration.ofMillis(500)));
            SmtpConnection c = open(server, config);
            byte[] big = new byte[64 * 1024 * 1024]; // far more than both socket buffers hold
            Arrays.fill(big, (byte) 'x');
            long start = System.nanoTime();
            TransientSmtpException e = catchThrowableOfType(TransientSmtpException.class,
                    () -> TestNet.send(c, SmtpEnvelope.of("a@x.test", "b@y.test"), big));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            release.countDown();
            assertThat(e.kind()).isEqualTo(SmtpException.Kind.TIMEOUT);
            assertThat(e.phase()).isEqualTo(SmtpPhase.DATA_DONE);
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void rejectedMailFromDecidesEveryRecipientAndTheConnectionIsReused() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greetPipelining(peer);
            peer.expect("MAIL FROM:<spammer@x.test>");
            peer.expect("RCPT TO:<a@y.test>");
            peer.expect("RCPT TO:<b@y.test>");
            peer.send("550 5.7.1 sender blocked\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need MAIL\r\n");
            peer.expect("RSET");
            peer.send("250 2.0.0 ok\r\n");
            peer.expect("MAIL FROM:<good@x.test>");
            peer.expect("RCPT TO:<a@y.test>");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 queued\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = open(server, FAST); TestNet.Quit quit = TestNet.quitting(c)) {
                SmtpDeliveryResult refused = TestNet.send(c, SmtpEnvelope.of("spammer@x.test", "a@y.test", "b@y.test"), MESSAGE);
                assertThat(refused.recipients()).allSatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
                    assertThat(r.reply().toString()).isEqualTo("550 5.7.1 sender blocked");
                });
                assertThat(c.isUsable()).isTrue();
                SmtpDeliveryResult next = TestNet.send(c, SmtpEnvelope.of("good@x.test", "a@y.test"), MESSAGE);
                assertThat(next.allDelivered()).isTrue();
                assertThat(next.timing().messageOnConnection()).isEqualTo(2);
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void closingReplyToRcptDefersTheRestAndEndsTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greetPipelining(peer);
            peer.expect("MAIL");
            peer.expect("RCPT TO:<a@y.test>");
            peer.expect("RCPT TO:<b@y.test>");
            peer.expect("RCPT TO:<c@y.test>");
            peer.send("250 ok\r\n250 ok\r\n421 4.7.0 too many errors, closing\r\n");
        })) {
            SmtpConnection c = open(server, FAST);
            SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("s@x.test", "a@y.test", "b@y.test", "c@y.test"), MESSAGE);
            assertThat(r.recipients()).allSatisfy(rr -> {
                assertThat(rr.outcome()).isEqualTo(DeliveryOutcome.DEFERRED);
                assertThat(rr.reply().code()).isEqualTo(421);
            });
            assertThat(c.isUsable()).isFalse();
            assertThatThrownBy(() -> TestNet.send(c, SmtpEnvelope.of("s@x.test", "a@y.test"), MESSAGE))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void mailFromCarriesTheParametersTheServerOffersAndTheMessageNeeds() throws Exception {
        byte[] eightBit = "Subject: x\r\n\r\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mx.test\r\n");
            peer.expect("EHLO");
            peer.send("250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n");
            // 15 bytes plus the CRLF we add: RFC 1870 counts what follows the 354.
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<jörg@x.test> SIZE=17 BODY=8BITMIME SMTPUTF8");
            peer.expect("RCPT TO:<b@y.test>");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 ok\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = open(server, FAST); TestNet.Quit quit = TestNet.quitting(c)) {
                assertThat(TestNet.send(c, SmtpEnvelope.of("jörg@x.test", "b@y.test"), eightBit).allDelivered()).isTrue();
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void utf8AddressWithoutSmtpUtf8BouncesWithoutSending() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greetPipelining(peer);
            peer.expect("QUIT"); // nothing else: RFC 6531 §3.2
            peer.send("221 bye\r\n");
        })) {
            try (SmtpConnection c = open(server, FAST); TestNet.Quit quit = TestNet.quitting(c)) {
                SmtpDeliveryResult r = TestNet.send(c, SmtpEnvelope.of("a@x.test", "дмитрий@пример.рф"), MESSAGE);
                assertThat(r.recipients()).singleElement().satisfies(rr -> {
                    assertThat(rr.outcome()).isEqualTo(DeliveryOutcome.BOUNCED);
                    assertThat(rr.reply().enhancedStatus()).map(Object::toString).contains("5.6.7");
                });
            }
            assertThat(server.errors()).isEmpty();
        }
    }

    private static void greetPipelining(ScriptedServer.Peer peer) throws Exception {
        peer.send("220 mx.test ESMTP\r\n");
        peer.expect("EHLO");
        peer.send(EHLO_PIPELINING);
    }

    private static SmtpConnection open(ScriptedServer server, SmtpClientConfig config) throws SmtpException {
        return TestNet.open("mx.test", server.address(), config);
    }
}
