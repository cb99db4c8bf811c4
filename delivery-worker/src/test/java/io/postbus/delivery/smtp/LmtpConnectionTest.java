package io.postbus.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** RFC 2033 against a scripted LMTP peer: LHLO, and one reply per accepted recipient after the dot. */
class LmtpConnectionTest {
    private static final SmtpClientConfig LMTP = SmtpClientConfig.defaults("mx.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)))
            .withTlsPolicy(TlsPolicy.NONE)
            .withProtocol(SmtpClientConfig.Protocol.LMTP);
    private static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private static void greet(ScriptedServer.Peer peer) throws Exception {
        peer.send("220 mailstore.test LMTP ready\r\n");
        peer.expect("LHLO mx.postbus.test"); // §4.1: LHLO, never EHLO or HELO
        // §5: PIPELINING and ENHANCEDSTATUSCODES are required of an LMTP server.
        peer.send("250-mailstore.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n");
    }

    @Test
    void eachAcceptedRecipientGetsItsOwnReplyAfterTheDotInRcptOrder() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer);
            peer.expect("MAIL FROM:<alice@example.org>");
            peer.expect("RCPT TO:<bob@example.net>");
            peer.expect("RCPT TO:<nobody@example.net>");
            peer.expect("RCPT TO:<full@example.net>");
            peer.expect("RCPT TO:<carol@example.net>");
            peer.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go ahead\r\n");
            assertThat(peer.readData()).isEqualTo(MESSAGE);
            // §4.2: three accepted recipients, three replies, in RCPT order.
            peer.send("250 2.0.0 <bob@example.net> saved\r\n452 4.2.2 <full@example.net> mailbox full\r\n"
                    + "552 5.2.2 <carol@example.net> over quota for good\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r;
            try (SmtpConnection c = TestNet.open("mailstore.test", server.address(), LMTP); TestNet.Quit quit = TestNet.quitting(c)) {
                r = TestNet.send(c, new SmtpEnvelope("alice@example.org",
                        List.of("bob@example.net", "nobody@example.net", "full@example.net", "carol@example.net")), MESSAGE);
            }
            assertThat(r.recipients()).extracting(RecipientResult::recipient, RecipientResult::outcome).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("bob@example.net", DeliveryOutcome.DELIVERED),
                    org.assertj.core.groups.Tuple.tuple("nobody@example.net", DeliveryOutcome.BOUNCED),
                    org.assertj.core.groups.Tuple.tuple("full@example.net", DeliveryOutcome.DEFERRED),
                    org.assertj.core.groups.Tuple.tuple("carol@example.net", DeliveryOutcome.BOUNCED));
            assertThat(r.recipients().get(2).reply().code()).isEqualTo(452);
            assertThat(r.recipients().get(3).reply().code()).isEqualTo(552);
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void aConnectionLostBetweenRepliesKeepsTheRepliesAlreadyRead() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer);
            peer.expect("MAIL FROM:<>");
            peer.expect("RCPT TO:<bob@example.net>");
            peer.expect("RCPT TO:<carol@example.net>");
            peer.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go ahead\r\n");
            peer.readData();
            peer.send("250 2.0.0 <bob@example.net> saved\r\n");
            peer.close();
        })) {
            SmtpConnection c = TestNet.open("mailstore.test", server.address(), LMTP);
            SmtpException e = catchThrowableOfType(SmtpException.class,
                    () -> TestNet.send(c, new SmtpEnvelope("", List.of("bob@example.net", "carol@example.net")), MESSAGE));
            c.close();
            assertThat(e.isPermanent()).isFalse();
            // bob has his copy: retrying him would deliver twice. carol is undecided and retried.
            assertThat(e.decidedRecipients()).extracting(RecipientResult::recipient).containsExactly("bob@example.net");
            assertThat(e.decidedRecipients().get(0).outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        }
    }

    @Test
    void aRefusedLhloIsASessionFailureWithNoHeloFallback() throws Exception {
        AtomicReference<String> after = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 mailstore.test LMTP ready\r\n");
            peer.expect("LHLO ");
            peer.send("500 5.5.1 what?\r\n");
            after.set(String.valueOf(peer.readLine()));
            done.countDown();
        })) {
            SmtpException e = catchThrowableOfType(SmtpException.class,
                    () -> TestNet.open("mailstore.test", server.address(), LMTP));
            assertThat(e.phase()).isEqualTo(SmtpPhase.LHLO);
            assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r.code()).isEqualTo(500));
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(after.get()).as("the client hangs up; no HELO after a refused LHLO").isEqualTo("null");
        }
    }
}
