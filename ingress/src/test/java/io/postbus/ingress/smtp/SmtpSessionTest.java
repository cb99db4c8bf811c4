package io.postbus.ingress.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.net.Cidr;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The session state machine, command by command, without a socket (RFC 5321 §4.1.4 ordering). */
class SmtpSessionTest {
    private final AtomicInteger ids = new AtomicInteger();

    private SmtpSession session(String clientIp, ListenerKind kind) throws Exception {
        return session(clientIp, kind, 20);
    }

    private SmtpSession session(String clientIp, ListenerKind kind, int maxErrors) throws Exception {
        RelayPolicy relay = new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of("example.com", ".lists.example.com"));
        SessionSettings settings = new SessionSettings("mx.test", kind, 10_000, 3, maxErrors, true, 2);
        return new SmtpSession(settings, relay, InetAddress.getByName(clientIp), null, () -> "Q" + ids.incrementAndGet(),
                () -> ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC), null, ClientRateLimits.unlimited());
    }

    private static String wire(Step s) {
        return new String(s.reply().toWire(), StandardCharsets.UTF_8);
    }

    @Test
    void greetsAndAdvertisesExtensions() throws Exception {
        SmtpSession s = session("192.0.2.1", ListenerKind.SMTP);
        assertThat(new String(s.greeting().toWire(), StandardCharsets.US_ASCII)).isEqualTo("220 mx.test ESMTP Postbus\r\n");
        String ehlo = wire(s.onLine("EHLO client.example"));
        assertThat(ehlo).startsWith("250-mx.test\r\n").contains("250-PIPELINING\r\n", "250-SIZE 10000\r\n", "250-STARTTLS\r\n",
                "250-8BITMIME\r\n", "250-DSN\r\n", "250-ENHANCEDSTATUSCODES\r\n").endsWith("250 SMTPUTF8\r\n");
    }

    @Test
    void enforcesCommandOrder() throws Exception {
        SmtpSession s = session("192.0.2.1", ListenerKind.SMTP);
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).startsWith("503 5.5.1");
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("RCPT TO:<b@example.com>"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("DATA"))).startsWith("503 5.5.1");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).startsWith("250 2.1.0");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).as("nested MAIL").startsWith("503 5.5.1");
        assertThat(wire(s.onLine("DATA"))).as("no recipients").startsWith("554 5.5.1");
    }

    @Test
    void refusesRelayingForStrangersButTakesMailForOurDomains() throws Exception {
        SmtpSession s = session("192.0.2.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@example.net>");
        assertThat(wire(s.onLine("RCPT TO:<x@elsewhere.org>"))).isEqualTo("554 5.7.1 <x@elsewhere.org>: Relay access denied\r\n");
        assertThat(wire(s.onLine("RCPT TO:<b@example.com>"))).startsWith("250 2.1.5");
        assertThat(wire(s.onLine("RCPT TO:<c@team.lists.example.com>"))).as("subdomain entry").startsWith("250 2.1.5");
        assertThat(s.isOriginating()).isFalse();
    }

    @Test
    void trustedNetworkMayRelayAndIsOriginating() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@example.net>");
        assertThat(wire(s.onLine("RCPT TO:<x@elsewhere.org>"))).startsWith("250 2.1.5");
        assertThat(s.isOriginating()).isTrue();
    }

    @Test
    void carriesDsnAndSizeParametersIntoTheEnvelope() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net> SIZE=500 BODY=8BITMIME RET=HDRS ENVID=abc+2Bdef"))).startsWith("250");
        assertThat(wire(s.onLine("RCPT TO:<b@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b+40example.com"))).startsWith("250");
        assertThat(wire(s.onLine("DATA"))).isEqualTo("354 End data with <CR><LF>.<CR><LF>\r\n");
        s.dataCollector().line("Subject: x".getBytes(StandardCharsets.US_ASCII));
        s.dataCollector().line(new byte[0]);
        s.dataCollector().line("..hidden dot".getBytes(StandardCharsets.US_ASCII));
        assertThat(s.dataCollector().line(".".getBytes(StandardCharsets.US_ASCII))).isEqualTo(DataCollector.LineResult.END);

        assertThat(s.endOfData().action()).isEqualTo(Step.Action.QUEUE);
        Envelope.Accepted a = s.takeAccepted();
        assertThat(a.queueId()).isEqualTo("Q1");
        assertThat(a.sender()).isEqualTo(new Envelope.Sender("a@example.net", 500L, Envelope.Body.EIGHT_BIT_MIME, false,
                Envelope.Ret.HDRS, "abc+def", null, false));
        assertThat(a.recipients()).containsExactly(new Envelope.Recipient("b@example.com",
                Set.of(Envelope.Notify.FAILURE, Envelope.Notify.DELAY), "rfc822;b@example.com"));
        String msg = new String(a.message(), StandardCharsets.US_ASCII);
        assertThat(msg).startsWith("Received: from c (unknown [127.0.0.1])\r\n\tby mx.test (Postbus) with ESMTP id Q1\r\n\tfor <b@example.com>; Sat, 21 Nov 2026 12:00:00 +0000\r\n")
                .endsWith("Subject: x\r\n\r\n.hidden dot\r\n");
        assertThat(wire(s.queued("Q1"))).isEqualTo("250 2.0.0 Ok: queued as Q1\r\n");
    }

    @Test
    void refusesBadParameters() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net> SIZE=999999"))).as("RFC 1870 early refusal").startsWith("552 5.3.4");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net> FOO=BAR"))).startsWith("555 5.5.4");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net> BODY=BOGUS"))).startsWith("501 5.5.4");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).startsWith("250");
        assertThat(wire(s.onLine("RCPT TO:<b@example.com> NOTIFY=NEVER,FAILURE"))).as("NEVER stands alone").startsWith("501 5.5.4");
        assertThat(wire(s.onLine("RCPT TO:<b@example.com> ORCPT=rfc822;bad+zz"))).startsWith("501 5.5.4");
    }

    @Test
    void limitsRecipientsPerMessage() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<>");
        for (int i = 0; i < 3; i++) {
            assertThat(wire(s.onLine("RCPT TO:<r" + i + "@example.com>"))).startsWith("250");
        }
        assertThat(wire(s.onLine("RCPT TO:<r4@example.com>"))).isEqualTo("452 4.5.3 Error: too many recipients\r\n");
    }

    @Test
    void disconnectsAfterTooManyErrors() throws Exception {
        SmtpSession s = session("192.0.2.1", ListenerKind.SMTP, 5);
        Step last = null;
        for (int i = 0; i < 5; i++) {
            last = s.onLine("BOGUS");
        }
        assertThat(last.action()).isEqualTo(Step.Action.CLOSE);
        assertThat(wire(last)).startsWith("421 4.7.0");
    }

    @Test
    void submissionNeedsTlsThenAuth() throws Exception {
        SmtpSession s = session("192.0.2.1", ListenerKind.SUBMISSION);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).isEqualTo("530 5.7.0 Must issue a STARTTLS command first\r\n");
        Step tls = s.onLine("STARTTLS");
        assertThat(tls.action()).isEqualTo(Step.Action.START_TLS);
        s.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).as("EHLO needed again after TLS").startsWith("503 5.5.1");
        String ehlo = wire(s.onLine("EHLO c"));
        assertThat(ehlo).doesNotContain("STARTTLS");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).isEqualTo("530 5.7.0 Authentication required\r\n");
    }

    @Test
    void bareNewlineInDataRefusesAndCloses() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@example.net>");
        s.onLine("RCPT TO:<b@example.com>");
        s.onLine("DATA");
        DataCollector.LineResult r = s.dataCollector().line("hello\n.\nMAIL FROM:<evil@example.org>".getBytes(StandardCharsets.US_ASCII));
        assertThat(r).isEqualTo(DataCollector.LineResult.BARE_LF);
        Step step = s.bareNewline(r);
        assertThat(wire(step)).isEqualTo("550 5.5.2 Error: bare <LF> received\r\n");
        assertThat(step.action()).isEqualTo(Step.Action.CLOSE);
    }

    @Test
    void nonAsciiAddressNeedsSmtpUtf8() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<jörg@example.net>"))).startsWith("553 5.6.7");
        assertThat(wire(s.onLine("MAIL FROM:<jörg@example.net> SMTPUTF8"))).startsWith("250");
        assertThat(wire(s.onLine("RCPT TO:<zoë@example.com>"))).startsWith("250");
    }

    private static Step bdat(SmtpSession s, String command, String octets) {
        Step st = s.onLine(command);
        assertThat(st.action()).isEqualTo(Step.Action.READ_CHUNK);
        assertThat(s.pendingChunkSize()).isEqualTo(octets.length());
        return s.chunk(octets.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bdatChunksAreTakenVerbatimAndQueuedAtLast() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        assertThat(wire(s.onLine("EHLO c"))).contains("250-CHUNKING\r\n", "250-BINARYMIME\r\n");
        s.onLine("MAIL FROM:<a@example.net> BODY=BINARYMIME");
        s.onLine("RCPT TO:<b@example.com>");
        assertThat(wire(bdat(s, "BDAT 13", "Subject: x\r\n\r"))).isEqualTo("250 2.0.0 13 octets received\r\n");
        assertThat(wire(s.onLine("DATA"))).as("RFC 3030 §4.2: no DATA in a BDAT transaction").startsWith("503 5.5.1");
        Step last = bdat(s, "BDAT 9 LAST", "\n.\r\nbody\n");
        assertThat(last.action()).isEqualTo(Step.Action.QUEUE);
        Envelope.Accepted a = s.takeAccepted();
        assertThat(a.sender().body()).isEqualTo(Envelope.Body.BINARY_MIME);
        String msg = new String(a.message(), StandardCharsets.ISO_8859_1);
        assertThat(msg).startsWith("Received: ").endsWith("Subject: x\r\n\r\n.\r\nbody\n");
    }

    @Test
    void bdatOctetsAreConsumedEvenWhenRefused() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        assertThat(wire(bdat(s, "BDAT 5 LAST", "MAIL "))).as("no MAIL yet").startsWith("503 5.5.1");
        s.onLine("MAIL FROM:<a@example.net>");
        assertThat(wire(bdat(s, "BDAT 3", "abc"))).as("no recipients").startsWith("554 5.5.1");
        assertThat(wire(bdat(s, "BDAT 0 LAST", ""))).startsWith("554 5.5.1");
    }

    @Test
    void bdatOverTheSizeLimitIsRefusedAndAHugeChunkDisconnects() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@example.net>");
        s.onLine("RCPT TO:<b@example.com>");
        assertThat(wire(bdat(s, "BDAT 8000", "x".repeat(8000)))).startsWith("250");
        assertThat(wire(bdat(s, "BDAT 8000", "x".repeat(8000)))).startsWith("552 5.3.4");
        s.onLine("MAIL FROM:<a@example.net>");
        Step huge = s.onLine("BDAT 999999999 LAST");
        assertThat(huge.action()).isEqualTo(Step.Action.CLOSE);
        assertThat(wire(huge)).startsWith("552 5.3.4");
    }

    @Test
    void binaryMimeNeedsBdat() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@example.net> BODY=BINARYMIME");
        s.onLine("RCPT TO:<b@example.com>");
        assertThat(wire(s.onLine("DATA"))).startsWith("503 5.5.1");
    }

    @Test
    void limitsMessagesPerSession() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        s.onLine("EHLO c");
        for (int i = 0; i < 2; i++) {
            s.onLine("MAIL FROM:<a@example.net>");
            s.onLine("RCPT TO:<b@example.com>");
            bdat(s, "BDAT 2 LAST", "x\n");
            s.queued(s.takeAccepted().queueId());
        }
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).isEqualTo("452 4.5.3 Error: too many messages in this session\r\n");
    }

    @Test
    void requireTlsIsOfferedAndAcceptedOnlyOverTls() throws Exception {
        SmtpSession s = session("127.0.0.1", ListenerKind.SMTP);
        assertThat(wire(s.onLine("EHLO c"))).doesNotContain("REQUIRETLS");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net> REQUIRETLS"))).startsWith("530 5.7.10");
        s.tlsStarted("TLSv1.3", "TLS_AES_128_GCM_SHA256");
        assertThat(wire(s.onLine("EHLO c"))).contains("250-REQUIRETLS");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net> REQUIRETLS"))).startsWith("250");
        s.onLine("RCPT TO:<b@example.com>");
        s.onLine("BDAT 2 LAST");
        s.chunk("x\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(s.takeAccepted().sender().requireTls()).isTrue();
    }

    private SmtpSession rateLimited(String clientIp, ClientRateLimits rates) throws Exception {
        RelayPolicy relay = new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of("example.com"));
        SessionSettings settings = new SessionSettings("mx.test", ListenerKind.SMTP, 10_000, 10, 20, true, 10);
        return new SmtpSession(settings, relay, InetAddress.getByName(clientIp), null, () -> "Q" + ids.incrementAndGet(),
                () -> ZonedDateTime.of(2026, 11, 21, 12, 0, 0, 0, ZoneOffset.UTC), null, rates);
    }

    private static ClientRateLimits rates(int commands, int messages, int recipients) {
        return new ClientRateLimits(new ClientRateLimits.Rates(commands, messages, recipients),
                new RelayPolicy(List.of(Cidr.parse("127.0.0.0/8")), Set.of()), java.time.Clock.systemUTC());
    }

    @Test
    void aCommandFloodEndsTheSessionWith421AndTheBudgetIsSharedAcrossSessions() throws Exception {
        ClientRateLimits shared = rates(3, 0, 0);
        SmtpSession s = rateLimited("192.0.2.9", shared);
        assertThat(wire(s.onLine("EHLO c"))).startsWith("250-");
        assertThat(wire(s.onLine("NOOP"))).startsWith("250 ");
        assertThat(wire(s.onLine("NOOP"))).startsWith("250 ");
        Step over = s.onLine("NOOP");
        assertThat(wire(over)).isEqualTo("421 4.7.0 mx.test Error: too many commands from 192.0.2.9\r\n");
        assertThat(over.action()).isEqualTo(Step.Action.CLOSE);
        Step again = rateLimited("192.0.2.9", shared).onLine("EHLO c");
        assertThat(again.action()).as("a new session of the same client: same budget").isEqualTo(Step.Action.CLOSE);
        assertThat(wire(rateLimited("127.0.0.1", shared).onLine("EHLO c"))).as("mynetworks is exempt").startsWith("250-");
    }

    @Test
    void messagesOverTheRateGet450AtMailAndTheSessionGoesOn() throws Exception {
        SmtpSession s = rateLimited("192.0.2.10", rates(0, 1, 0));
        s.onLine("EHLO c");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).startsWith("250 2.1.0");
        s.onLine("RSET");
        assertThat(wire(s.onLine("MAIL FROM:<a@example.net>"))).isEqualTo("450 4.7.1 Error: too much mail from 192.0.2.10\r\n");
        assertThat(wire(s.onLine("NOOP"))).startsWith("250 ");
    }

    @Test
    void recipientsOverTheRateGet450AtRcpt() throws Exception {
        SmtpSession s = rateLimited("192.0.2.11", rates(0, 0, 2));
        s.onLine("EHLO c");
        s.onLine("MAIL FROM:<a@example.net>");
        assertThat(wire(s.onLine("RCPT TO:<a@example.com>"))).startsWith("250 2.1.5");
        assertThat(wire(s.onLine("RCPT TO:<b@example.com>"))).startsWith("250 2.1.5");
        assertThat(wire(s.onLine("RCPT TO:<c@example.com>"))).isEqualTo("450 4.7.1 Error: too many recipients from 192.0.2.11\r\n");
        assertThat(wire(s.onLine("DATA"))).as("the accepted two still go").startsWith("354");
    }

    @Test
    void aTimeoutReplyNamesTheHost() throws Exception {
        assertThat(new String(session("192.0.2.1", ListenerKind.SMTP).timedOut().toWire(), StandardCharsets.US_ASCII))
                .isEqualTo("421 4.4.2 mx.test Error: timeout exceeded\r\n");
    }
}
