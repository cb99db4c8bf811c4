package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.FakeMx;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Giving up, on the real pipeline with the test's clock. A 5xx bounces at once with an RFC 3464
 * failure report to the sender. Mail a destination keeps deferring expires
 * after maximal.queue.lifetime with an Expiration event and an RFC 3464 failure report to its sender,
 * which travels the pipeline like any mail; both reports are parsed back here (Angus Mail); null-sender mail expires after
 * the shorter bounce.queue.lifetime and nobody hears of it (double.bounce.recipient is empty).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureReportsPipelineTest {
    private static final Duration MAXIMAL = Duration.ofHours(1);
    private static final Duration BOUNCES = Duration.ofMinutes(10);
    private static final String DEFER = "451 4.3.0 <%s>: mailbox temporarily unavailable";

    private ScenarioPipeline p;

    @BeforeAll
    void start() {
        p = ScenarioPipeline.start("failure-reports", s -> {
            s.put("maximal.queue.lifetime", MAXIMAL.toSeconds() + "s");
            s.put("bounce.queue.lifetime", BOUNCES.toSeconds() + "s");
            s.put("double.bounce.recipient", "");
        }, null);
    }

    @AfterAll
    void stop() {
        if (p != null) {
            p.close();
        }
    }

    @Test
    void aPermanentRefusalBouncesAtOnceWithAFailureReportToTheSender() throws Exception {
        String rcpt = "nobody@example.com";
        String refusal = "550 5.1.1 <" + rcpt + ">: Recipient address rejected: User unknown in virtual mailbox table";
        p.mx.rcpt(rcpt, FakeMx.RcptScript.always(refusal));
        String id = p.send("alice@example.net", rcpt + ",ok@example.com", "From: alice@example.net\r\nTo: " + rcpt
                + "\r\nSubject: will bounce\r\nMessage-ID: <bounce-1@example.net>\r\n\r\nhello\r\n");

        LifecycleEvent bounce = p.awaitEvents(id, EventType.BOUNCE, 1).get(0);
        assertThat(bounce.getRecipients()).containsExactly(rcpt);
        assertThat(bounce.getAttempt()).isEqualTo(1);
        assertThat(p.awaitEvents(id, EventType.DELIVERY, 1).get(0).getRecipients()).containsExactly("ok@example.com");
        assertThat(p.mx.attempts(rcpt)).as("a 5xx is not retried").isEqualTo(1);

        DeliveryStatus status = report(awaitReportAbout(id));
        assertThat(status.getMessageDSN().getHeader("X-Postbus-Queue-ID", null)).isEqualTo(id);
        assertThat(status.getRecipientDSNCount()).as("only the refused recipient").isEqualTo(1);
        var r = status.getRecipientDSN(0);
        assertThat(r.getHeader("Final-Recipient", null)).isEqualTo("rfc822; " + rcpt);
        assertThat(r.getHeader("Action", null)).isEqualTo("failed");
        assertThat(r.getHeader("Status", null)).isEqualTo("5.1.1");
        assertThat(r.getHeader("Remote-MTA", null)).isEqualTo("dns; 127.0.0.1");
        assertThat(r.getHeader("Diagnostic-Code", null).replaceAll("\r?\n[ \t]+", " ")).isEqualTo("smtp; " + refusal);
        assertThat(r.getHeader("Last-Attempt-Date", null)).isNotNull();
    }

    @Test
    void pastTheMaximalLifetimeTheSenderGetsAFailureReportWithTheLastDeferral() throws Exception {
        String rcpt = "stuck@example.com";
        p.mx.rcpt(rcpt, FakeMx.RcptScript.always(DEFER.formatted(rcpt)));
        Instant t0 = p.clock.instant();
        String id = p.send("alice@example.net", rcpt, "From: alice@example.net\r\nTo: " + rcpt
                + "\r\nSubject: never arrives\r\nMessage-ID: <expiry-1@example.net>\r\n\r\nhello\r\n");
        p.awaitEvents(id, EventType.TRANSIENT_FAILURE, 1);

        p.clock.set(t0.plus(MAXIMAL));
        LifecycleEvent expired = p.awaitEvents(id, EventType.EXPIRATION, 1).get(0);
        assertThat(expired.getAt()).isEqualTo(t0.plus(MAXIMAL));
        assertThat(expired.getRecipients()).containsExactly(rcpt);
        assertThat(expired.getReply().getCode()).as("the last error").isEqualTo(451);
        assertThat(p.mx.attempts(rcpt)).as("an expired job is not attempted again").isEqualTo(1);

        FakeMx.Transaction dsn = awaitReportAbout(id);
        DeliveryStatus status = report(dsn);
        assertThat(status.getMessageDSN().getHeader("X-Postbus-Queue-ID", null)).isEqualTo(id);
        assertThat(status.getRecipientDSNCount()).isEqualTo(1);
        var r = status.getRecipientDSN(0);
        assertThat(r.getHeader("Final-Recipient", null)).isEqualTo("rfc822; " + rcpt);
        assertThat(r.getHeader("Action", null)).isEqualTo("failed");
        // RFC 3464 §2.3.4 with Postfix's choice: an expired message keeps its last 4.x.x status.
        assertThat(r.getHeader("Status", null)).isEqualTo("4.3.0");
        assertThat(r.getHeader("Diagnostic-Code", null).replaceAll("\r?\n[ \t]+", " ")).endsWith("; " + DEFER.formatted(rcpt));
        assertThat(((MultipartReport) message(dsn).getContent()).getReturnedMessage().getMessageID())
                .isEqualTo("<expiry-1@example.net>");
    }

    @Test
    void nullSenderMailExpiresAfterTheBounceLifetimeWithoutAReportWhileOtherMailIsStillTried() throws Exception {
        String bounceRcpt = "stuck-bounce@example.com";
        String otherRcpt = "stuck-once@example.com";
        p.mx.rcpt(bounceRcpt, FakeMx.RcptScript.always(DEFER.formatted(bounceRcpt)));
        p.mx.rcpt(otherRcpt, FakeMx.RcptScript.failFirst(1, DEFER.formatted(otherRcpt)));
        Instant t0 = p.clock.instant();
        String bounce = p.send("<>", bounceRcpt, "From: MAILER-DAEMON@example.net\r\nTo: " + bounceRcpt
                + "\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nsorry\r\n");
        String other = p.send("alice@example.net", otherRcpt, "From: alice@example.net\r\nTo: " + otherRcpt
                + "\r\nSubject: ordinary\r\n\r\nhello\r\n");
        assertThat(p.awaitEvents(bounce, EventType.TRANSIENT_FAILURE, 1).get(0).getSender()).isEmpty();
        p.awaitEvents(other, EventType.TRANSIENT_FAILURE, 1);
        int transactions = p.mx.transactions().size();

        // Both are due at t0+5m; at t0+10m the null-sender one is past bounce.queue.lifetime.
        p.clock.set(t0.plus(BOUNCES));
        LifecycleEvent expired = p.awaitEvents(bounce, EventType.EXPIRATION, 1).get(0);
        assertThat(expired.getAt()).isEqualTo(t0.plus(BOUNCES));
        LifecycleEvent delivered = p.awaitEvents(other, EventType.DELIVERY, 1).get(0);
        assertThat(delivered.getAttempt()).as("the ordinary message, as old, is tried again").isEqualTo(2);
        assertThat(p.mx.attempts(bounceRcpt)).isEqualTo(1);

        List<LifecycleEvent> later = p.settle(Duration.ofSeconds(2));
        assertThat(later).as("no report of the expired bounce is queued").noneMatch(e -> e.getType() == EventType.RECEPTION
                && e.getDetail() != null && e.getDetail().contains(bounce));
        assertThat(p.mx.transactions()).as("only the ordinary message arrived").hasSize(transactions + 1)
                .last().satisfies(t -> assertThat(t.recipients()).containsExactly(otherRcpt));
    }

    /** The report's envelope and header fields every report has (RFC 3464 §2.2, RFC 3834); its status part. */
    private static DeliveryStatus report(FakeMx.Transaction dsn) throws Exception {
        assertThat(dsn.mailFrom()).as("null reverse-path").isEmpty();
        assertThat(dsn.recipients()).containsExactly("alice@example.net");
        MimeMessage m = message(dsn);
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(m.getHeader("To", null)).isEqualTo("alice@example.net");
        assertThat(m.getContentType()).contains("multipart/report").contains("report-type=delivery-status");
        DeliveryStatus status = (DeliveryStatus) ((MultipartReport) m.getContent()).getReport();
        assertThat(status.getMessageDSN().getHeader("Reporting-MTA", null)).isEqualTo("dns; postbus.test");
        return status;
    }

    private static MimeMessage message(FakeMx.Transaction t) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(t.data()));
    }

    private FakeMx.Transaction awaitReportAbout(String queueId) {
        String marker = "X-Postbus-Queue-ID: " + queueId;
        List<FakeMx.Transaction> found = List.of();
        long end = System.nanoTime() + ScenarioPipeline.PATIENCE.toNanos();
        while (found.isEmpty() && System.nanoTime() < end) {
            found = p.mx.transactions().stream()
                    .filter(t -> new String(t.data(), StandardCharsets.UTF_8).contains(marker)).toList();
            if (found.isEmpty()) {
                sleep();
            }
        }
        assertThat(found).as("the report about %s reaches the sender", queueId).hasSize(1);
        return found.get(0);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
