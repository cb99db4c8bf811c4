package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.BodyType;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.TestKafka;
import io.postbus.testkit.ToolResult;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ingress over real sockets and TLS, publishing to a real broker; each case checks what reached Kafka. */
class IngressServerTest {
    private static final Pattern QUEUED = Pattern.compile("250 2\\.0\\.0 Ok: queued as (\\S+)");
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("ingress"), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    private static String queued(String reply) {
        Matcher m = QUEUED.matcher(reply);
        assertThat(m.find()).as(reply).isTrue();
        return m.group(1);
    }

    private static ReceivedMail find(String queueId) {
        return ingress.received(Duration.ofSeconds(2)).stream()
                .filter(r -> r.getEnvelope().getQueueId().equals(queueId)).findFirst().orElse(null);
    }

    private static String text(ReceivedMail m) {
        return IngressFixture.text(m);
    }

    @Test
    void smugglingAttemptIsRefusedAndNothingIsQueued() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO attacker.example\r\nMAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            assertThat(c.reply()).startsWith("354");
            // CVE-2023-51764 style: <LF>.<LF> followed by a smuggled transaction.
            c.send("Subject: x\r\n\r\nhello\n.\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nsmuggled\r\n.\r\n");
            assertThat(c.reply()).isEqualTo("550 5.5.2 Error: bare <LF> received\n");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(ingress.received(Duration.ofSeconds(2))).noneMatch(r -> text(r).contains("smuggled") || text(r).contains("hello"));
    }

    @Test
    void bytesPipelinedAfterStartTlsAreDiscardedAndEhloIsNeededAgain() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO client.example\r\n");
            assertThat(c.reply()).contains("250-STARTTLS");
            // CVE-2011-0411: a command injected behind STARTTLS in the same packet.
            c.send("STARTTLS\r\nMAIL FROM:<injected@example.net>\r\n");
            assertThat(c.reply()).startsWith("220 2.0.0");
            c.startTls();
            assertThat(c.silentFor(500)).as("the injected command got no reply").isTrue();
            c.send("MAIL FROM:<a@example.net>\r\n");
            assertThat(c.reply()).as("state reset: EHLO first").startsWith("503 5.5.1");
            c.send("EHLO client.example\r\n");
            assertThat(c.reply()).doesNotContain("STARTTLS").contains("250 ");
            c.send("MAIL FROM:<a@example.net>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            c.send("Subject: over tls\r\n\r\nsecret\r\n.\r\n");
            ReceivedMail m = find(queued(c.reply()));
            assertThat(m.getEnvelope().getTls().getProtocol()).startsWith("TLSv1.");
            assertThat(m.getEnvelope().getClient().getProtocol()).isEqualTo("ESMTPS");
            assertThat(text(m)).contains("(using TLSv1.").contains("with ESMTPS id");
        }
    }

    @Test
    void bdatTransfersBinaryContentUnchanged() throws Exception {
        String body = "Subject: binary\r\n\r\nbare\nlf and\rcr and\r\n.\r\nno dot stuffing\r\n";
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO c\r\n");
            assertThat(c.reply()).contains("250-CHUNKING", "250-BINARYMIME");
            int half = 20;
            c.send("MAIL FROM:<a@example.net> BODY=BINARYMIME\r\nRCPT TO:<b@example.com>\r\nBDAT " + half + "\r\n"
                    + body.substring(0, half));
            assertThat(c.reply()).startsWith("250 2.1.0");
            assertThat(c.reply()).startsWith("250 2.1.5");
            assertThat(c.reply()).isEqualTo("250 2.0.0 " + half + " octets received\n");
            c.send("BDAT " + (body.length() - half) + " LAST\r\n" + body.substring(half) + "QUIT\r\n");
            ReceivedMail m = find(queued(c.reply()));
            assertThat(c.reply()).startsWith("221");
            assertThat(text(m)).endsWith(body);
            assertThat(m.getEnvelope().getMailFrom().getBody()).isEqualTo(BodyType.BINARY_MIME);
        }
    }

    @Test
    void implicitTlsSubmissionPortRequiresAuthentication() throws Exception {
        ToolResult r = ExternalTool.run(Duration.ofSeconds(30), List.of("swaks", "--server", "127.0.0.1",
                "--port", String.valueOf(ingress.port(ListenerKind.SUBMISSIONS)), "--tls-on-connect",
                "--from", "a@example.net", "--to", "b@example.org"));
        assertThat(r.stdout()).contains("TLS started with cipher").contains("530 5.7.0 Authentication required");
    }

    @Test
    void submissionPortWantsStartTlsBeforeAnything() throws Exception {
        ToolResult r = ExternalTool.run(Duration.ofSeconds(30), List.of("swaks", "--server", "127.0.0.1",
                "--port", String.valueOf(ingress.port(ListenerKind.SUBMISSION)),
                "--from", "a@example.net", "--to", "b@example.org"));
        assertThat(r.stdout()).contains("530 5.7.0 Must issue a STARTTLS command first");
    }

    @Test
    void swaksWithStartTlsAndPipelining() throws Exception {
        ToolResult r = ExternalTool.run(Duration.ofSeconds(30), List.of("swaks", "--server", "127.0.0.1",
                "--port", String.valueOf(ingress.port(ListenerKind.SMTP)), "--tls", "--pipeline",
                "--from", "a@example.net", "--to", "b@example.com,c@example.com"));
        assertThat(r.stdout()).contains("TLS started with cipher");
        ReceivedMail m = find(queued(r.stdout()));
        var env = m.getEnvelope();
        assertThat(env.getRecipients()).extracting(x -> x.getAddress()).containsExactly("b@example.com", "c@example.com");
        assertThat(env.getTls()).isNotNull();
        assertThat(env.getDirection().name()).as("from mynetworks").isEqualTo("ORIGINATING");
    }

    @Test
    void dsnParametersReachTheEnvelope() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO c\r\n");
            assertThat(c.reply()).contains("250-DSN");
            c.send("MAIL FROM:<a@example.net> RET=HDRS ENVID=env+2B1\r\n"
                    + "RCPT TO:<b@example.com> NOTIFY=FAILURE,DELAY ORCPT=rfc822;b+40example.com\r\nDATA\r\n");
            c.reply();
            c.reply();
            c.reply();
            c.send("Subject: dsn\r\n\r\nx\r\n.\r\n");
            var env = find(queued(c.reply())).getEnvelope();
            assertThat(env.getRecipients().get(0).getNotify()).extracting(Enum::name).containsExactlyInAnyOrder("FAILURE", "DELAY");
            assertThat(env.getRecipients().get(0).getOriginalRecipient()).isEqualTo("rfc822;b@example.com");
            assertThat(env.getMailFrom().getRet().name()).isEqualTo("HDRS");
            assertThat(env.getMailFrom().getEnvelopeId()).isEqualTo("env+1");
        }
    }

    @Test
    void declaredOversizeIsRefusedBeforeTheData() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO c\r\n");
            c.reply();
            c.send("MAIL FROM:<a@example.net> SIZE=" + (2L << 20) + "\r\n");
            assertThat(c.reply()).startsWith("552 5.3.4");
        }
    }

    @Test
    void anOverLongCommandGetsA500AndTheSessionGoesOn() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO " + "x".repeat(3_000) + "\r\n");
            assertThat(c.reply()).isEqualTo("500 5.5.2 Error: command line too long\n");
            c.send("NOOP\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0");
        }
    }

    @Test
    void aLineThatNeverEndsIsCutOffWithADisconnect() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO " + "x".repeat(100_000));
            assertThat(c.reply()).isEqualTo("500 5.5.2 Error: line too long\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
