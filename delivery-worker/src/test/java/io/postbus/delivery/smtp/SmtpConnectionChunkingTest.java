package io.postbus.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** RFC 3030 CHUNKING and BINARYMIME against scripted servers: BDAT when offered, DATA when not. */
class SmtpConnectionChunkingTest {

    private static final SmtpClientConfig FAST = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)))
            .withTlsPolicy(TlsPolicy.NONE);
    private static final String EHLO_ALL = "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 0\r\n250-8BITMIME\r\n"
            + "250-CHUNKING\r\n250-BINARYMIME\r\n250 ENHANCEDSTATUSCODES\r\n";
    private static final String EHLO_CHUNKING_ONLY = "250-mx.test\r\n250 CHUNKING\r\n";
    /** What DATA could not carry: a leading dot, a lone dot line, bare CR and LF, NUL, 8-bit, no final CRLF. */
    private static final byte[] BINARY = bytes("Content-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: binary\r\n\r\n.leading dot\r\n.\r\nbare\rCR bare\nLF \0NUL \u00ff\u0080 tail");
    private static final byte[] TEXT = bytes("Subject: t\r\n\r\n.starts with a dot\r\n..two\r\n.\r\nend\r\n");

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void greet(ScriptedServer.Peer peer, String ehlo) throws Exception {
        peer.send("220 mx.test ESMTP\r\n");
        peer.expect("EHLO client.postbus.test");
        peer.send(ehlo);
    }

    private static void quit(ScriptedServer.Peer peer) throws Exception {
        peer.expect("QUIT");
        peer.send("221 bye\r\n");
    }

    private static SmtpDeliveryResult sendOne(ScriptedServer server, SmtpClientConfig config, SmtpEnvelope envelope,
                                              byte[] message) throws SmtpException {
        try (SmtpConnection c = TestNet.open("mx.test", server.address(), config); TestNet.Quit quit = TestNet.quitting(c)) {
            return TestNet.send(c, envelope, message);
        }
    }

    @Test
    void binaryMimeGoesAsOnePipelinedBdatLastWithTheBytesExactlyAsTheyAre() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, EHLO_ALL);
            // RFC 3030 §3: BODY=BINARYMIME on MAIL; RFC 1870 SIZE is the exact octet count (no CRLF added).
            peer.expect("MAIL FROM:<alice@example.org> SIZE=" + BINARY.length + " BODY=BINARYMIME");
            peer.expect("RCPT TO:<bob@example.net>");
            // RFC 3030 §4.2: the chunk is in the same pipelined group, before any reply was sent.
            received.set(peer.readChunk(true));
            peer.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.0.0 queued as 1\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST,
                    SmtpEnvelope.of("alice@example.org", "bob@example.net").withBody(SmtpEnvelope.Body.BINARY_MIME), BINARY);
            assertThat(server.errors()).isEmpty();
            // RFC 3030 §2: no dot-stuffing, no terminator, nothing converted.
            assertThat(received.get()).isEqualTo(BINARY);
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(DeliveryOutcome.DELIVERED);
            assertThat(r.recipients().get(0).reply().text()).contains("queued as 1");
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsAndDotsAreNotStuffed() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, EHLO_CHUNKING_ONLY);
            peer.expect("MAIL FROM:<alice@example.org>"); // 7-bit: no BODY=
            peer.send("250 ok\r\n");
            peer.expect("RCPT TO:<bob@example.net>");
            peer.send("250 ok\r\n");
            received.set(peer.readChunk(true));
            peer.send("250 ok\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST, SmtpEnvelope.of("alice@example.org", "bob@example.net"), TEXT);
            assertThat(server.errors()).isEmpty();
            assertThat(received.get()).isEqualTo(TEXT); // RFC 3030 §2: ".starts" arrives with one dot
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(DeliveryOutcome.DELIVERED);
        }
    }

    @Test
    void withoutChunkingTheMessageGoesByData() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, "250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
            // The declared body type is sent even when the bytes happen to be 7-bit (RFC 6152).
            peer.expect("MAIL FROM:<alice@example.org> BODY=8BITMIME");
            peer.expect("RCPT TO:<bob@example.net>");
            peer.send("250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            received.set(peer.readData());
            peer.send("250 ok\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST,
                    SmtpEnvelope.of("alice@example.org", "bob@example.net").withBody(SmtpEnvelope.Body.EIGHT_BIT_MIME), TEXT);
            assertThat(server.errors()).isEmpty();
            assertThat(received.get()).isEqualTo(TEXT);
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(DeliveryOutcome.DELIVERED);
        }
    }

    @Test
    void binaryMimeToAServerWithoutChunkingIsAPermanent563AndNothingIsSent() throws Exception {
        assertBinaryRefusedBeforeMail("250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 BINARYMIME\r\n", "CHUNKING");
    }

    @Test
    void binaryMimeToAServerWithChunkingButNotBinaryMimeIsAPermanent563() throws Exception {
        assertBinaryRefusedBeforeMail("250-mx.test\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 CHUNKING\r\n", "BINARYMIME");
    }

    private static void assertBinaryRefusedBeforeMail(String ehlo, String missing) throws Exception {
        AtomicReference<String> next = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, ehlo);
            next.set(peer.readLine()); // the client's next command after EHLO
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST,
                    SmtpEnvelope.of("alice@example.org", "bob@example.net", "carol@example.net")
                            .withBody(SmtpEnvelope.Body.BINARY_MIME), BINARY);
            assertThat(r.recipients()).extracting(RecipientResult::outcome)
                    .containsExactly(DeliveryOutcome.BOUNCED, DeliveryOutcome.BOUNCED);
            SmtpReply reply = r.recipients().get(0).reply();
            // RFC 3030 §3 + RFC 3463 §3.7: 5.6.3 conversion required but not supported.
            assertThat(reply.code()).isEqualTo(554);
            assertThat(reply.enhancedStatus()).map(EnhancedStatusCode::toString).contains("5.6.3");
            assertThat(reply.text()).contains("does not offer " + missing);
            assertThat(next.get()).as("no MAIL: nothing of the message was sent").isEqualTo("QUIT");
        }
    }

    @Test
    void aFailureAfterBdatLastBouncesEveryAcceptedRecipient() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, EHLO_ALL);
            peer.expect("MAIL FROM:<alice@example.org> SIZE=" + TEXT.length);
            peer.expect("RCPT TO:<bob@example.net>");
            peer.expect("RCPT TO:<nobody@example.net>");
            peer.expect("RCPT TO:<carol@example.net>");
            peer.readChunk(true);
            peer.send("250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n250 ok\r\n"
                    + "552 5.3.4 message too big for this system\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST,
                    SmtpEnvelope.of("alice@example.org", "bob@example.net", "nobody@example.net", "carol@example.net"), TEXT);
            assertThat(server.errors()).isEmpty();
            assertThat(r.recipients()).extracting(RecipientResult::recipient, RecipientResult::outcome, x -> x.reply().code())
                    .containsExactly(tuple("bob@example.net", DeliveryOutcome.BOUNCED, 552),
                            tuple("nobody@example.net", DeliveryOutcome.BOUNCED, 550),
                            tuple("carol@example.net", DeliveryOutcome.BOUNCED, 552));
        }
    }

    @Test
    void aMessageLargerThanAChunkGoesInSeveralAndOnlyTheLastSaysLast() throws Exception {
        byte[] big = new byte[BdatChunk.MAX_SIZE * 2 + 12345];
        new Random(3030).nextBytes(big);
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, EHLO_ALL);
            peer.expect("MAIL FROM:<alice@example.org> SIZE=" + big.length + " BODY=BINARYMIME");
            peer.expect("RCPT TO:<bob@example.net>");
            byte[] first = peer.readChunk(false);
            received.writeBytes(first);
            peer.send("250 ok\r\n250 ok\r\n250 2.0.0 " + first.length + " octets\r\n");
            received.writeBytes(peer.readChunk(false));
            peer.send("250 2.0.0 more\r\n");
            byte[] last = peer.readChunk(true);
            received.writeBytes(last);
            peer.send("250 2.0.0 queued\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST,
                    SmtpEnvelope.of("alice@example.org", "bob@example.net").withBody(SmtpEnvelope.Body.BINARY_MIME), big);
            assertThat(server.errors()).isEmpty();
            assertThat(received.toByteArray()).isEqualTo(big);
            assertThat(r.recipients()).extracting(RecipientResult::outcome).containsExactly(DeliveryOutcome.DELIVERED);
            assertThat(r.recipients().get(0).reply().text()).contains("queued");
        }
    }

    @Test
    void aRefusedChunkEndsTheTransactionAndNoFurtherChunkIsSent() throws Exception {
        byte[] big = new byte[BdatChunk.MAX_SIZE * 3];
        AtomicReference<String> afterRefusal = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, EHLO_CHUNKING_ONLY);
            peer.expect("MAIL FROM:<alice@example.org>");
            peer.send("250 ok\r\n");
            peer.expect("RCPT TO:<bob@example.net>");
            peer.send("250 ok\r\n");
            peer.readChunk(false);
            peer.send("250 ok\r\n");
            peer.readChunk(false);
            peer.send("452 4.3.1 insufficient system storage\r\n");
            afterRefusal.set(peer.readLine());
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST, SmtpEnvelope.of("alice@example.org", "bob@example.net"), big);
            assertThat(server.errors()).isEmpty();
            // RFC 3030 §2: after a 4xx/5xx to a chunk the sender MUST NOT send more chunks.
            assertThat(afterRefusal.get()).isEqualTo("QUIT");
            assertThat(r.recipients()).extracting(RecipientResult::outcome, x -> x.reply().code())
                    .containsExactly(tuple(DeliveryOutcome.DEFERRED, 452));
        }
    }

    @Test
    void whenEveryRecipientIsRefusedThePipelinedChunksReplyIsReadAndTheConnectionStaysInStep() throws Exception {
        AtomicReference<byte[]> second = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, EHLO_ALL);
            peer.expect("MAIL FROM:<alice@example.org>");
            peer.expect("RCPT TO:<nobody@example.net>");
            peer.readChunk(true);
            peer.send("250 ok\r\n550 5.1.1 no such user\r\n554 5.5.1 no valid recipients\r\n");
            peer.expect("RSET"); // the reused connection clears the failed transaction first
            peer.send("250 ok\r\n");
            peer.expect("MAIL FROM:<alice@example.org>");
            peer.expect("RCPT TO:<bob@example.net>");
            second.set(peer.readChunk(true));
            peer.send("250 ok\r\n250 ok\r\n250 ok\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r1;
            SmtpDeliveryResult r2;
            try (SmtpConnection c = TestNet.open("mx.test", server.address(), FAST); TestNet.Quit quit = TestNet.quitting(c)) {
                r1 = TestNet.send(c, SmtpEnvelope.of("alice@example.org", "nobody@example.net"), TEXT);
                r2 = TestNet.send(c, SmtpEnvelope.of("alice@example.org", "bob@example.net"), BINARY);
            }
            assertThat(server.errors()).isEmpty();
            assertThat(r1.recipients()).extracting(RecipientResult::outcome, x -> x.reply().code())
                    .containsExactly(tuple(DeliveryOutcome.BOUNCED, 550));
            assertThat(r2.recipients()).extracting(RecipientResult::outcome).containsExactly(DeliveryOutcome.DELIVERED);
            assertThat(second.get()).isEqualTo(BINARY);
        }
    }

    @Test
    void lmtpGivesOneReplyPerAcceptedRecipientAfterBdatLast() throws Exception {
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 store.test LMTP\r\n");
            peer.expect("LHLO client.postbus.test");
            peer.send("250-store.test\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250 BINARYMIME\r\n");
            peer.expect("MAIL FROM:<alice@example.org> BODY=BINARYMIME");
            peer.expect("RCPT TO:<bob@example.net>");
            peer.expect("RCPT TO:<nobody@example.net>");
            peer.expect("RCPT TO:<carol@example.net>");
            received.set(peer.readChunk(true));
            // RFC 2033 §4.2 with RFC 3030: after BDAT LAST, one reply per accepted recipient, in order.
            peer.send("250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n250 ok\r\n"
                    + "250 2.0.0 <bob@example.net> saved\r\n452 4.2.2 <carol@example.net> mailbox full\r\n");
            quit(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST.withProtocol(SmtpClientConfig.Protocol.LMTP),
                    SmtpEnvelope.of("alice@example.org", "bob@example.net", "nobody@example.net", "carol@example.net")
                            .withBody(SmtpEnvelope.Body.BINARY_MIME), BINARY);
            assertThat(server.errors()).isEmpty();
            assertThat(received.get()).isEqualTo(BINARY);
            assertThat(r.recipients()).extracting(RecipientResult::recipient, RecipientResult::outcome, x -> x.reply().code())
                    .containsExactly(tuple("bob@example.net", DeliveryOutcome.DELIVERED, 250),
                            tuple("nobody@example.net", DeliveryOutcome.BOUNCED, 550),
                            tuple("carol@example.net", DeliveryOutcome.DEFERRED, 452));
        }
    }

    @Test
    void chunksCoverTheMessageAndOnlyTheLastIsLast() {
        // RFC 3030 §2: "BDAT 0 LAST" is how an empty (remaining) message ends.
        assertThat(BdatChunk.split(0, 10)).containsExactly(new BdatChunk(0, 0, true));
        assertThat(BdatChunk.split(10, 10)).containsExactly(new BdatChunk(0, 10, true));
        assertThat(BdatChunk.split(25, 10)).containsExactly(
                new BdatChunk(0, 10, false), new BdatChunk(10, 10, false), new BdatChunk(20, 5, true));
        assertThat(BdatChunk.split(25, 10)).extracting(BdatChunk::command).containsExactly("BDAT 10", "BDAT 10", "BDAT 5 LAST");
        assertThat(List.of(new BdatChunk(0, 1, false).phase(), new BdatChunk(0, 1, true).phase()))
                .containsExactly(SmtpPhase.BDAT, SmtpPhase.BDAT_LAST);
    }
}
