package io.postbus.delivery.worker;

import io.postbus.core.dsn.DsnAction;
import io.postbus.core.dsn.DsnComposer;
import io.postbus.core.dsn.DsnKind;
import io.postbus.core.dsn.DsnMessage;
import io.postbus.core.dsn.DsnPolicy;
import io.postbus.core.dsn.NotifyOn;
import io.postbus.core.dsn.OriginalMessage;
import io.postbus.core.dsn.OriginalRecipient;
import io.postbus.core.dsn.RecipientStatus;
import io.postbus.core.dsn.ReturnContent;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.Topics;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryReport.RecipientResult;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.schemas.BodyType;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
    private static final AvroCodec<ReceivedMail> RECEIVED = AvroCodec.of(ReceivedMail.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    /** RFC 3463 X.4.7: "delivery time expired", when an expired job has no last reply to report. */
    private static final String EXPIRED = "4.4.7";

    private final Topics topics;
    private final String node;
    private final Clock clock;
    private final Events events;
    private final DsnSettings settings;
    private final Duration maxLifetime;
    private final DsnPolicy policy;
    private final DsnComposer composer;
    private final Supplier<String> queueIds;

    DeliveryNotices(Topics topics, String node, Clock clock, Events events, DsnSettings settings, Duration maxLifetime,
                    Supplier<String> queueIds) {
        this.topics = topics;
        this.node = node;
        this.clock = clock;
        this.events = events;
        this.settings = settings;
        this.maxLifetime = maxLifetime;
        this.policy = new DsnPolicy(settings.doubleBounceRecipient());
        this.composer = new DsnComposer(settings.myhostname(), settings.bounceSizeLimit(), clock);
        this.queueIds = queueIds;
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
                case DELIVERED -> succeeded.add(status(rcpt, successAction(job), r.reply(), 250, report, now, null));
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
        if (statuses.isEmpty()) {
            return;
        }
        policy.plan(message, kind, statuses, queueIds).ifPresent(request -> {
            DsnMessage dsn = composer.compose(request);
            ReceivedMail mail = received(dsn);
            out.add(new ProducerRecord<>(topics.received(), dsn.queueId().getBytes(StandardCharsets.UTF_8), RECEIVED.encode(mail)));
            out.add(events.record(events.event(EventType.RECEPTION, dsn.queueId())
                    .setAt(mail.getEnvelope().getReceivedAt())
                    .setSender("")
                    .setRecipients(List.of(dsn.recipient()))
                    .setSize((long) mail.getMessage().remaining())
                    .setTopic(topics.received())
                    .setDetail(kind.name().toLowerCase(Locale.ROOT) + " notification for " + message.queueId()
                            + " (" + request.recipients().size() + " recipient" + (request.recipients().size() == 1 ? "" : "s") + ")")
                    .build()));
        });
    }

    /** The report as the ingress would have queued it: a LOCAL, ORIGINATING message from {@code <>}. */
    private ReceivedMail received(DsnMessage dsn) {
        Instant now = clock.instant();
        String trace = "Received: by " + settings.myhostname() + " (Postbus) id " + dsn.queueId() + "; "
                + DATE.format(now.atZone(clock.getZone())) + "\r\n";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(trace.length() + dsn.content().length);
        bytes.writeBytes(trace.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(dsn.content());
        byte[] message = bytes.toByteArray();
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(dsn.queueId())
                .setReceivedAt(now)
                .setIngressNode(node)
                .setListener(Listener.LOCAL)
                .setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("127.0.0.1").setPort(0).setReverseName("localhost")
                        .setHelo(null).setProtocol("LOCAL").build())
                .setTls(null)
                .setAuthenticatedUser(null)
                .setMailFrom(MailFrom.newBuilder()
                        .setAddress(dsn.sender())
                        .setSize((long) message.length)
                        .setBody(dsn.eightBit() ? BodyType.EIGHT_BIT_MIME : BodyType.SEVEN_BIT)
                        .setSmtpUtf8(dsn.smtpUtf8())
                        .setRet(null)
                        .setEnvelopeId(null)
                        .setRequireTls(false)
                        .setAuthParam(null)
                        .build())
                .setRecipients(List.of(Recipient.newBuilder().setAddress(dsn.recipient()).setNotify(List.of())
                        .setOriginalRecipient(null).build()))
                .build();
        return ReceivedMail.newBuilder().setEnvelope(envelope).setMessage(ByteBuffer.wrap(message)).build();
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
     * SMTP hands the message on without the DSN parameters (our client does not pass NOTIFY on), so
     * no later report will come: "relayed" (RFC 3461 §5.2.2). LMTP and Maildir are final delivery.
     */
    private static DsnAction successAction(DeliveryJob job) {
        Transport t = job.getRoute().getTransport();
        return t == Transport.LMTP || t == Transport.MAILDIR ? DsnAction.DELIVERED : DsnAction.RELAYED;
    }

    static OriginalMessage original(DeliveryJob job) {
        var env = job.getEnvelope();
        var from = env.getMailFrom();
        ByteBuffer b = job.getMessage().duplicate();
        byte[] content = new byte[b.remaining()];
        b.get(content);
        return new OriginalMessage(env.getQueueId(), from.getAddress(), from.getEnvelopeId(),
                from.getRet() == null ? null : ReturnContent.valueOf(from.getRet().name()),
                env.getReceivedAt(), from.getSmtpUtf8(), content);
    }

    static OriginalRecipient recipient(Recipient r) {
        EnumSet<NotifyOn> notify = EnumSet.noneOf(NotifyOn.class);
        r.getNotify().forEach(n -> notify.add(NotifyOn.valueOf(n.name())));
        return new OriginalRecipient(r.getAddress(), notify, r.getOriginalRecipient());
    }

    private static RemoteReply reply(io.postbus.schemas.SmtpReply r) {
        return new RemoteReply(r.getCode(), r.getEnhancedStatus(), r.getText());
    }
}
