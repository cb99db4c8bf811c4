package io.postbus.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * RFC 3461 parameters passed on: RET and ENVID on MAIL, NOTIFY and ORCPT on RCPT, xtext-encoded,
 * exactly when the server offered DSN (EHLO, or LHLO for LMTP), and none of them otherwise.
 */
class SmtpConnectionDsnTest {
    private static final SmtpClientConfig FAST = SmtpClientConfig.defaults("client.postbus.test")
            .withTimeouts(SmtpTimeouts.uniform(Duration.ofSeconds(5)))
            .withTlsPolicy(TlsPolicy.NONE);
    private static final byte[] MESSAGE = "Subject: t\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final DsnParameters DSN = new DsnParameters(DsnParameters.Ret.HDRS, "ENV-42", Map.of(
            "bob@example.net", new DsnParameters.Recipient(EnumSet.of(DsnParameters.Notify.SUCCESS,
                    DsnParameters.Notify.FAILURE), "rfc822;Bob@Example.NET"),
            "carol@example.net", new DsnParameters.Recipient(Set.of(DsnParameters.Notify.NEVER), null)));
    private static final SmtpEnvelope ENVELOPE = SmtpEnvelope.of("alice@example.org", "bob@example.net",
            "carol@example.net", "dave@example.net").withDsn(DSN);

    private static void greet(ScriptedServer.Peer peer, String ehlo) throws Exception {
        peer.send("220 mx.test ESMTP\r\n");
        peer.expect("EHLO client.postbus.test");
        peer.send(ehlo);
    }

    private static void data(ScriptedServer.Peer peer) throws Exception {
        peer.expect("DATA");
        peer.send("354 go\r\n");
        peer.readData();
        peer.send("250 2.0.0 queued\r\n");
        peer.expect("QUIT");
        peer.send("221 bye\r\n");
    }

    private static SmtpDeliveryResult sendOne(ScriptedServer server, SmtpClientConfig config, SmtpEnvelope envelope)
            throws SmtpException {
        try (SmtpConnection c = TestNet.open("mx.test", server.address(), config); TestNet.Quit quit = TestNet.quitting(c)) {
            return TestNet.send(c, envelope, MESSAGE);
        }
    }

    @Test
    void toAServerOfferingDsnEveryParameterGoesOnExactly() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, "250-mx.test\r\n250-PIPELINING\r\n250 DSN\r\n");
            // RFC 3461 §4.3, §4.4 on MAIL; §4.1, §4.2 on RCPT; a recipient without parameters gets none.
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org> RET=HDRS ENVID=ENV-42");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Example.NET");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<carol@example.net> NOTIFY=NEVER");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<dave@example.net>");
            peer.send("250 ok\r\n250 ok\r\n250 ok\r\n550 5.1.1 no such user\r\n");
            data(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST, ENVELOPE);
            assertThat(server.errors()).isEmpty();
            assertThat(r.recipients()).extracting(RecipientResult::outcome)
                    .containsExactly(DeliveryOutcome.DELIVERED, DeliveryOutcome.DELIVERED, DeliveryOutcome.BOUNCED);
            // The server took the parameters with the two it accepted: reports are now its to send.
            assertThat(r.recipients()).extracting(RecipientResult::dsnPassedOn).containsExactly(true, true, false);
        }
    }

    @Test
    void toAServerWithoutDsnNoneOfThemIsSent() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, "250-mx.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
            // RFC 3461 §5.2.1: no DSN offered, so the parameters are not sent (they would earn a 555).
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org>");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<bob@example.net>");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<carol@example.net>");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<dave@example.net>");
            peer.send("250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n");
            data(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST, ENVELOPE);
            assertThat(server.errors()).isEmpty();
            assertThat(r.allDelivered()).isTrue();
            assertThat(r.recipients()).extracting(RecipientResult::dsnPassedOn).containsOnly(false);
        }
    }

    @Test
    void envidAndOrcptAreXtextEncodedOnceIncludingPlusEqualsAndControls() throws Exception {
        // Stored decoded (the ingress decodes them on receipt): "+", "=", space, a control and UTF-8 octets are
        // hex-escaped in ENVID; a non-ASCII ORCPT address goes as RFC 6533's utf-8 type with \x{HEX} escapes.
        DsnParameters dsn = new DsnParameters(DsnParameters.Ret.FULL, "a+b=c d\u0001",
                Map.of("bob@example.net", new DsnParameters.Recipient(Set.of(),
                        "rfc822;bob+tag=x@exämple.net")));
        try (ScriptedServer server = new ScriptedServer(peer -> {
            greet(peer, "250-mx.test\r\n250 DSN\r\n");
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org> RET=FULL ENVID=a+2Bb+3Dc+20d+01");
            peer.send("250 ok\r\n");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<bob@example.net> ORCPT=utf-8;bob\\x{2B}tag\\x{3D}x@ex\\x{E4}mple.net");
            peer.send("250 ok\r\n");
            data(peer);
        })) {
            SmtpDeliveryResult r = sendOne(server, FAST, SmtpEnvelope.of("alice@example.org", "bob@example.net").withDsn(dsn));
            assertThat(server.errors()).isEmpty();
            assertThat(r.allDelivered()).isTrue();
        }
    }

    @Test
    void lmtpPassesThemOnWhenLhloOffersDsn() throws Exception {
        SmtpClientConfig lmtp = FAST.withProtocol(SmtpClientConfig.Protocol.LMTP);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 store.test LMTP\r\n");
            peer.expect("LHLO client.postbus.test");
            peer.send("250-store.test\r\n250-PIPELINING\r\n250-ENHANCEDSTATUSCODES\r\n250 DSN\r\n");
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org> RET=HDRS ENVID=ENV-42");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<bob@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Bob@Example.NET");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<carol@example.net> NOTIFY=NEVER");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<dave@example.net>");
            peer.send("250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 saved\r\n250 2.0.0 saved\r\n250 2.0.0 saved\r\n"); // RFC 2033 §4.2: one each
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r = sendOne(server, lmtp, ENVELOPE);
            assertThat(server.errors()).isEmpty();
            assertThat(r.allDelivered()).isTrue();
            assertThat(r.recipients()).extracting(RecipientResult::dsnPassedOn).containsOnly(true);
        }
    }

    @Test
    void lmtpWithoutDsnInLhloSendsNone() throws Exception {
        SmtpClientConfig lmtp = FAST.withProtocol(SmtpClientConfig.Protocol.LMTP);
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 store.test LMTP\r\n");
            peer.expect("LHLO client.postbus.test");
            peer.send("250-store.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n");
            assertThat(peer.readLine()).isEqualTo("MAIL FROM:<alice@example.org>");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<bob@example.net>");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<carol@example.net>");
            assertThat(peer.readLine()).isEqualTo("RCPT TO:<dave@example.net>");
            peer.send("250 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n");
            peer.expect("DATA");
            peer.send("354 go\r\n");
            peer.readData();
            peer.send("250 2.0.0 saved\r\n250 2.0.0 saved\r\n250 2.0.0 saved\r\n");
            peer.expect("QUIT");
            peer.send("221 bye\r\n");
        })) {
            SmtpDeliveryResult r = sendOne(server, lmtp, ENVELOPE);
            assertThat(server.errors()).isEmpty();
            assertThat(r.recipients()).extracting(RecipientResult::dsnPassedOn).containsOnly(false);
        }
    }

    @Test
    void xtextEncodesEveryOctetOutsidePrintableAsciiAndPlusAndEquals() {
        // RFC 3461 §4: xchar is "!" to "~" except "+" and "="; hexchar is "+" and two upper-case hex digits.
        assertThat(Xtext.encode("plain!~")).isEqualTo("plain!~");
        assertThat(Xtext.encode("+=")).isEqualTo("+2B+3D");
        assertThat(Xtext.encode(" \t\r\n\u007f")).isEqualTo("+20+09+0D+0A+7F");
        assertThat(Xtext.encode("ü")).isEqualTo("+C3+BC");
        // An already-encoded value is encoded again, not passed through: values are kept decoded.
        assertThat(Xtext.encode("a+2B")).isEqualTo("a+2B2B");
    }

    @Test
    void overlongEnvidAndOrcptAreLeftOutRatherThanRefused() {
        // RFC 3461 §4.4: ENVID at most 100 characters; §4.2: ORCPT at most 500.
        DsnParameters dsn = new DsnParameters(null, "=".repeat(34), Map.of(
                "b@x.test", new DsnParameters.Recipient(Set.of(DsnParameters.Notify.DELAY), "rfc822;" + "=".repeat(170))));
        assertThat(dsn.mailParameters()).isEmpty();
        assertThat(dsn.rcptParameters("b@x.test")).isEqualTo(" NOTIFY=DELAY");
        assertThat(new DsnParameters(null, "=".repeat(33), Map.of()).mailParameters()).isEqualTo(" ENVID=" + "+3D".repeat(33));
        // No addr-type given: rfc822 (RFC 3461 §4.2).
        assertThat(new DsnParameters(null, null, Map.of("b@x.test", new DsnParameters.Recipient(Set.of(), "B@X.test")))
                .rcptParameters("b@x.test")).isEqualTo(" ORCPT=rfc822;B@X.test");
        assertThat(dsn.rcptParameters("other@x.test")).isEmpty();
    }
}
