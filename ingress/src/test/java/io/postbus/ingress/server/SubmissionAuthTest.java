package io.postbus.ingress.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.ReceivedMail;
import io.postbus.testkit.ExternalTool;
import io.postbus.testkit.TestKafka;
import io.postbus.testkit.ToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 4954 AUTH on the submission ports, driven by swaks: only over TLS, then relaying is allowed. */
class SubmissionAuthTest {
    private static IngressFixture ingress;

    @BeforeAll
    static void start() throws Exception {
        ingress = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("auth"), Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() throws Exception {
        ingress.close();
    }

    private static ToolResult swaks(ListenerKind kind, String... extra) {
        return swaks(ingress, kind, extra);
    }

    private static ToolResult swaks(IngressFixture server, ListenerKind kind, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1", "--port", String.valueOf(server.port(kind)),
                "--from", "alice@example.net", "--to", "friend@elsewhere.org", "--timeout", "20"));
        cmd.addAll(List.of(extra));
        return ExternalTool.run(Duration.ofSeconds(60), cmd);
    }

    private static ReceivedMail queued(ToolResult r) {
        Matcher m = Pattern.compile("250 2\\.0\\.0 Ok: queued as (\\S+)").matcher(r.stdout());
        assertThat(m.find()).as(r.stdout() + r.stderr()).isTrue();
        return ingress.received(Duration.ofSeconds(2)).stream()
                .filter(x -> x.getEnvelope().getQueueId().equals(m.group(1))).findFirst().orElseThrow();
    }

    @Test
    void authPlainAfterStartTlsOnPort587() {
        ToolResult r = swaks(ListenerKind.SUBMISSION, "--tls", "--auth", "PLAIN",
                "--auth-user", IngressFixture.USER, "--auth-password", IngressFixture.PASSWORD);
        assertThat(r.stdout()).contains("250-AUTH PLAIN LOGIN SCRAM-SHA-256", "235 2.7.0 Authentication successful");
        ReceivedMail m = queued(r);
        assertThat(m.getEnvelope().getAuthenticatedUser()).isEqualTo("alice");
        assertThat(m.getEnvelope().getClient().getProtocol()).isEqualTo("ESMTPSA");
        assertThat(m.getEnvelope().getListener().name()).isEqualTo("SUBMISSION");
        assertThat(m.getEnvelope().getDirection().name()).isEqualTo("ORIGINATING");
    }

    @Test
    void authLoginOnImplicitTlsPort465() {
        ToolResult r = swaks(ListenerKind.SUBMISSIONS, "--tls-on-connect", "--auth", "LOGIN",
                "--auth-user", IngressFixture.USER, "--auth-password", IngressFixture.PASSWORD);
        assertThat(r.stdout()).contains("334 VXNlcm5hbWU6", "235 2.7.0");
        assertThat(queued(r).getEnvelope().getListener().name()).isEqualTo("SUBMISSIONS");
    }

    @Test
    void authIsNeitherOfferedNorAcceptedInClearText() throws Exception {
        try (RawSmtp c = new RawSmtp(ingress.port(ListenerKind.SMTP))) {
            c.reply();
            c.send("EHLO c\r\n");
            assertThat(c.reply()).doesNotContain("AUTH");
            c.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
            assertThat(c.reply()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first\n");
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndRepeatedFailuresAreThrottled() throws Exception {
        // Its own server: the failures it provokes would throttle 127.0.0.1 for the other tests.
        try (IngressFixture own = new IngressFixture(TestKafka.bootstrapServers(), TestKafka.uniquePrefix("auth-limit"),
                Duration.ofSeconds(10))) {
            ToolResult bad = swaks(own, ListenerKind.SUBMISSION, "--tls", "--auth", "PLAIN",
                    "--auth-user", IngressFixture.USER, "--auth-password", "wrong");
            assertThat(bad.stdout()).contains("535 5.7.8 Authentication credentials invalid").doesNotContain("queued as");
            ToolResult last = bad;
            for (int i = 0; i < 6; i++) {
                last = swaks(own, ListenerKind.SUBMISSION, "--tls", "--auth", "PLAIN", "--auth-user", "mallory",
                        "--auth-password", "guess" + i);
            }
            assertThat(last.stdout()).as("the limiter stops guessing from one address").contains("454 4.7.0");
        }
    }

    @Test
    void submissionWithoutAuthIsRefusedAfterTls() {
        ToolResult r = swaks(ListenerKind.SUBMISSION, "--tls");
        assertThat(r.stdout()).contains("530 5.7.0 Authentication required");
    }
}
