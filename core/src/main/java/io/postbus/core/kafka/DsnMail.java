package io.postbus.core.kafka;

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
import io.postbus.schemas.BodyType;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.codec.AvroCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns delivery status notifications into new mail: a {@code ReceivedMail} on mail.received (as the
 * ingress would have queued a LOCAL, ORIGINATING message from {@code <>}) plus its Reception event, so
 * the report is signed, routed and delivered like any other message. Shared by every stage that
 * gives up on recipients (router, delivery); the records join the caller's transaction, so a report
 * is sent exactly when the outcome it reports is committed.
 */
public final class DsnMail {
    private static final AvroCodec<ReceivedMail> RECEIVED = AvroCodec.of(ReceivedMail.class);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final Topics topics;
    private final String node;
    private final String myhostname;
    private final Clock clock;
    private final Events events;
    private final DsnPolicy policy;
    private final DsnComposer composer;
    private final Supplier<String> queueIds;

    public DsnMail(Topics topics, String node, String myhostname, Clock clock, Events events, DsnPolicy policy,
                   DsnComposer composer, Supplier<String> queueIds) {
        this.topics = topics;
        this.node = node;
        this.myhostname = myhostname;
        this.clock = clock;
        this.events = events;
        this.policy = policy;
        this.composer = composer;
        this.queueIds = queueIds;
    }

    /** The report of this kind for these recipients, if DSN policy wants one (RFC 3461 NOTIFY, null sender…). */
    public List<ProducerRecord<byte[], byte[]>> records(OriginalMessage message, DsnKind kind, List<RecipientStatus> statuses) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        if (statuses.isEmpty()) {
            return out;
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
        return out;
    }

    /** The original message as the DSN composer needs it, from the Avro envelope and bytes. */
    public static OriginalMessage original(Envelope env, ByteBuffer message) {
        var from = env.getMailFrom();
        ByteBuffer b = message.duplicate();
        byte[] content = new byte[b.remaining()];
        b.get(content);
        return new OriginalMessage(env.getQueueId(), from.getAddress(), from.getEnvelopeId(),
                from.getRet() == null ? null : ReturnContent.valueOf(from.getRet().name()),
                env.getReceivedAt(), from.getSmtpUtf8(), content);
    }

    /** A recipient with its DSN parameters (NOTIFY, ORCPT). */
    public static OriginalRecipient recipient(Recipient r) {
        EnumSet<NotifyOn> notify = EnumSet.noneOf(NotifyOn.class);
        r.getNotify().forEach(n -> notify.add(NotifyOn.valueOf(n.name())));
        return new OriginalRecipient(r.getAddress(), notify, r.getOriginalRecipient());
    }

    private ReceivedMail received(DsnMessage dsn) {
        Instant now = clock.instant();
        String trace = "Received: by " + myhostname + " (Postbus) id " + dsn.queueId() + "; "
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
}
