package io.postbus.delivery.worker;

import io.postbus.core.dsn.DsnAction;
import io.postbus.core.dsn.DsnComposer;
import io.postbus.core.dsn.DsnKind;
import io.postbus.core.dsn.DsnPolicy;
import io.postbus.core.dsn.OriginalMessage;
import io.postbus.core.dsn.OriginalRecipient;
import io.postbus.core.dsn.RecipientStatus;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.DsnMail;
import io.postbus.core.kafka.Topics;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryReport.RecipientResult;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Delivery status notifications for a job's outcome, written as new messages to mail.received so
 * that they go through the pipeline like any other mail (signed as originating mail, routed,
 * delivered, retried). The records join the attempt's transaction: a report is sent exactly when
 * the outcome it reports is committed. One report per job and kind, for all its recipients.
 */
final class DeliveryNotices {
    /** RFC 3463 X.4.7: "delivery time expired", when an expired job has no last reply to report. */
    private static final String EXPIRED = "4.4.7";

    private final DsnSettings settings;
    private final Duration maxLifetime;
    private final DsnMail mail;

    DeliveryNotices(Topics topics, String node, Clock clock, Events events, DsnSettings settings, Duration maxLifetime,
                    Supplier<String> queueIds) {
        this.settings = settings;
        this.maxLifetime = maxLifetime;
        this.mail = new DsnMail(topics, node, settings.myhostname(), clock, events,
                new DsnPolicy(settings.doubleBounceRecipient()),
                new DsnComposer(settings.myhostname(), settings.bounceSizeLimit(), clock), queueIds);
    }

    /**
     * Reports for one attempt: failures for the bounced recipients, success for delivered ones that
     * asked (NOTIFY=SUCCESS), and the one delay warning when this attempt is the first past
     * delay_warning_time and some recipients are deferred again.
     */
    List<ProducerRecord<byte[], byte[]>> afterAttempt(DeliveryJob job, DeliveryReport report, Instant now) {
        Map<String, Recipient> byAddress = job.getRecipients().stream()
                .collect(Collectors.toMap(Recipient::getAddress, Function.identity(), (a, b) -> a));
        List<RecipientStatus> failed = new ArrayList<>();
        List<RecipientStatus> succeeded = new ArrayList<>();
        List<RecipientStatus> delayed = new ArrayList<>();
        var previous = job.getLastError();
        boolean warn = settings.delayWarningDue(job.getFirstSeenAt(), previous == null ? null : previous.getAt(), now);
        Instant retryUntil = job.getFirstSeenAt().plus(maxLifetime);
        for (RecipientResult r : report.results()) {
            Recipient rcpt = byAddress.get(r.recipient());
            if (rcpt == null) {
                continue;
            }
            switch (r.outcome()) {
                case BOUNCED -> failed.add(status(rcpt, DsnAction.FAILED, r.reply(), 500, report, now, null));
                case DELIVERED -> {
                    if (!passedOn(job, r)) {
                        succeeded.add(status(rcpt, successAction(job), r.reply(), 250, report, now, null));
                    }
                }
                case DEFERRED -> {
                    if (warn) {
                        delayed.add(status(rcpt, DsnAction.DELAYED, r.reply(), 400, report, now, retryUntil));
                    }
                }
            }
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        OriginalMessage message = original(job);
        notice(message, DsnKind.FAILURE, failed, out);
        notice(message, DsnKind.SUCCESS, succeeded, out);
        notice(message, DsnKind.DELAY, delayed, out);
        return out;
    }

    /** The failure report for a job past maximal_queue_lifetime, with its last error as the reason. */
    List<ProducerRecord<byte[], byte[]>> expired(DeliveryJob job, Instant now) {
        var last = job.getLastError();
        String status = EXPIRED;
        String diagnostic = "delivery time expired";
        String remoteHost = null;
        Instant lastAttempt = now;
        if (last != null) {
            lastAttempt = last.getAt();
            remoteHost = last.getReply() == null ? null : last.getRemoteHost();
            diagnostic = last.getReply() == null ? last.getDetail() : reply(last.getReply()).toString();
            if (last.getReply() != null && last.getReply().getCode() >= 400) {
                // Postfix keeps the last deferral's 4.x.x status: it is the reason the mail did not go.
                status = reply(last.getReply()).dsnStatus();
            }
        }
        List<RecipientStatus> failed = new ArrayList<>();
        for (Recipient r : job.getRecipients()) {
            failed.add(new RecipientStatus(recipient(r), DsnAction.FAILED, status, remoteHost, null, diagnostic, lastAttempt, null));
        }
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        notice(original(job), DsnKind.FAILURE, failed, out);
        return out;
    }

    private void notice(OriginalMessage message, DsnKind kind, List<RecipientStatus> statuses,
                        List<ProducerRecord<byte[], byte[]>> out) {
        out.addAll(mail.records(message, kind, statuses));
    }

    private static RecipientStatus status(Recipient rcpt, DsnAction action, RemoteReply reply, int fallbackCode,
                                          DeliveryReport report, Instant now, Instant retryUntil) {
        RemoteReply r = reply != null ? reply : new RemoteReply(fallbackCode, null, action.keyword());
        String status = r.dsnStatus();
        if (!action.allowsStatusClass(status.charAt(0))) {
            status = (fallbackCode / 100) + ".0.0";
        }
        return new RecipientStatus(recipient(rcpt), action, status, report.remoteHost(), report.remoteAddress(),
                r.toString(), now, retryUntil);
    }

    /**
     * RFC 3461 §5.2.2 (and §4.1): relayed over SMTP to a server that took the DSN parameters, the
     * request for a success report went on with the message; that server (or the next) reports, so
     * we must not as well. LMTP is final delivery: we report "delivered" whatever it offered.
     */
    private static boolean passedOn(DeliveryJob job, RecipientResult r) {
        Transport t = job.getRoute().getTransport();
        return r.dsnPassedOn() && t != Transport.LMTP && t != Transport.MAILDIR;
    }

    /**
     * SMTP to a server without DSN drops the parameters, so no later report will come: "relayed"
     * (RFC 3461 §5.2.2). LMTP and Maildir are final delivery.
     */
    private static DsnAction successAction(DeliveryJob job) {
        Transport t = job.getRoute().getTransport();
        return t == Transport.LMTP || t == Transport.MAILDIR ? DsnAction.DELIVERED : DsnAction.RELAYED;
    }

    static OriginalMessage original(DeliveryJob job) {
        return DsnMail.original(job.getEnvelope(), job.getMessage());
    }

    static OriginalRecipient recipient(Recipient r) {
        return DsnMail.recipient(r);
    }

    private static RemoteReply reply(io.postbus.schemas.SmtpReply r) {
        return new RemoteReply(r.getCode(), r.getEnhancedStatus(), r.getText());
    }
}
