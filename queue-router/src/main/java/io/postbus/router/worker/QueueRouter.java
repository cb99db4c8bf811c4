package io.postbus.router.worker;

import io.postbus.core.address.SmtpReply;
import io.postbus.core.control.ControlDecision;
import io.postbus.core.control.ControlState;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.StageSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.router.core.BounceCategory;
import io.postbus.router.core.RecipientOutcome;
import io.postbus.router.core.RecipientSuppression;
import io.postbus.router.core.Router;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.QuarantinedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.Stage;
import io.postbus.schemas.codec.AvroCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * mail.scored → one {@link io.postbus.schemas.DeliveryJob} per destination on
 * {@code mail.deliver.<site>} (a configured site's own topic, else {@code mail.deliver.default}),
 * keyed by site so one partition owner holds each site's throttle, with a Routed event each; Bounce and Discarded events for recipients that end at routing;
 * deferred recipients to {@code mail.reroute}, read back by this same stage when they are due.
 */
public final class QueueRouter {
    public static final String STAGE = "queue-router";
    private static final AvroCodec<ScoredMail> IN = AvroCodec.of(ScoredMail.class);
    private static final AvroCodec<QuarantinedMail> QUARANTINE = AvroCodec.of(QuarantinedMail.class);

    /**
     * @param deferDelay how long a recipient deferred at routing waits (minimal_backoff_time: every
     *     record in mail.reroute waits the same, so its partitions stay in due order)
     * @param maximalQueueLifetime after this since reception, a deferred recipient expires
     * @param bounceQueueLifetime the same for mail with the null reverse-path (Postfix
     *     bounce_queue_lifetime): a notice nobody can be told about is not kept as long
     */
    public record Settings(Duration deferDelay, Duration maximalQueueLifetime, Duration bounceQueueLifetime) {
        public Settings {
            Objects.requireNonNull(deferDelay, "deferDelay");
            Objects.requireNonNull(maximalQueueLifetime, "maximalQueueLifetime");
            Objects.requireNonNull(bounceQueueLifetime, "bounceQueueLifetime");
            if (deferDelay.isNegative() || deferDelay.isZero()) {
                throw new IllegalArgumentException("deferDelay must be positive: " + deferDelay);
            }
        }

        /** Null-sender mail lives as long as any other. */
        public Settings(Duration deferDelay, Duration maximalQueueLifetime) {
            this(deferDelay, maximalQueueLifetime, maximalQueueLifetime);
        }

        Duration lifetimeOf(Envelope envelope) {
            return envelope.getMailFrom().getAddress().isEmpty() ? bounceQueueLifetime : maximalQueueLifetime;
        }
    }

    private final StageContext ctx;
    private final Router router;
    private final Settings settings;
    private final RouterBounces bounces;
    private final Events events;
    private final PlanRecords records;
    private final String rerouteTopic;
    private final RecipientSuppression suppression;
    private RouterControl control;

    public QueueRouter(StageContext ctx, Router router, Settings settings, RouterBounces bounces) {
        this(ctx, router, settings, bounces, RecipientSuppression.NONE);
    }

    /** @param suppression the suppression list and what to do with a recipient on it */
    public QueueRouter(StageContext ctx, Router router, Settings settings, RouterBounces bounces,
                       RecipientSuppression suppression) {
        this.suppression = suppression;
        this.ctx = ctx;
        this.router = router;
        this.settings = settings;
        this.bounces = bounces;
        this.events = new Events(ctx.topics(), Stage.ROUTER, ctx.node(), ctx.clock());
        this.records = new PlanRecords(ctx.topics(), events, settings.deferDelay(), bounces);
        this.rerouteTopic = Reroute.topic(ctx.topics());
        this.control = RouterControl.none(events, rerouteTopic);
    }

    /** The topic where deferred recipients wait; the process creating topics must create it too. */
    public static String rerouteTopic(Topics topics) {
        return Reroute.topic(topics);
    }

    /** Obey the operator's commands (mail.control), looking again at least every {@code recheck}. */
    public QueueRouter obeying(ControlState state, Duration recheck) {
        this.control = new RouterControl(state, recheck, events, rerouteTopic);
        return this;
    }

    public TransactionalStage start() {
        StageSpec spec = new StageSpec(STAGE, ctx.groupId(STAGE), ctx.node(), List.of(ctx.topics().scored(), rerouteTopic),
                null, 200, Duration.ofMinutes(5));
        return ctx.start(spec, this::process);
    }

    StageResult process(ConsumerRecord<byte[], byte[]> rec) {
        ScoredMail in = IN.decode(rec.value());
        var env = in.getEnvelope();
        Instant now = ctx.clock().instant();
        boolean rerouted = rec.topic().equals(rerouteTopic);
        ControlDecision command = control.decide(rec, in, now);
        if (command == ControlDecision.DELETE) {
            return control.deleted(in);
        }
        if (rerouted) {
            Instant due = Reroute.notBefore(rec);
            if (due.isAfter(now) && command != ControlDecision.REQUEUE) {
                return new StageResult.Defer(control.wakeUp(due, now));
            }
            if (!now.isBefore(env.getReceivedAt().plus(settings.lifetimeOf(env)))) {
                return expire(in, rec);
            }
        }
        if (command == ControlDecision.HOLD) {
            return control.held(rec, in, now, rerouted ? Reroute.attempt(rec) : 0,
                    rerouted ? Reroute.rewritten(rec) : Set.of());
        }
        if (!rerouted && in.getSpam().getAction() == SpamAction.REJECT) {
            return quarantine(rec, in, "spam score " + in.getSpam().getScore());
        }
        List<String> addresses = env.getRecipients().stream().map(Recipient::getAddress).distinct().toList();
        RecipientSuppression.Result checked = suppression.apply(router.route(env.getMailFrom().getAddress(), addresses,
                rerouted ? Reroute.rewritten(rec) : Set.of()), now);
        List<ProducerRecord<byte[], byte[]>> out = new java.util.ArrayList<>(
                records.of(in, checked.plan(), rerouted ? Reroute.attempt(rec) : 0, now));
        out.addAll(SuppressedEvents.of(events, env.getQueueId(), checked.plan().sender(), checked.dropped()));
        return StageResult.emit(out);
    }

    /** Deferred past maximal.queue.lifetime: the recipients fail (RFC 3463 4.4.7, delivery time expired). */
    private StageResult expire(ScoredMail in, ConsumerRecord<byte[], byte[]> rec) {
        var env = in.getEnvelope();
        List<String> rcpts = env.getRecipients().stream().map(Recipient::getAddress).toList();
        String detail = "expired while deferred at routing; last error: " + Reroute.lastError(rec);
        SmtpReply reply = new SmtpReply(451, "4.4.7", detail);
        List<ProducerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
        out.add(events.record(events.event(EventType.EXPIRATION, env.getQueueId())
                .setSender(env.getMailFrom().getAddress())
                .setRecipients(rcpts)
                .setAttempt(Reroute.attempt(rec))
                .setReply(PlanRecords.avro(reply))
                .setDetail(detail)
                .build()));
        out.addAll(bounces.notices(in, rcpts.stream()
                .map(r -> new RecipientOutcome.Bounced(r, r, reply, BounceCategory.OTHER)).toList()));
        return StageResult.emit(out);
    }

    private StageResult quarantine(ConsumerRecord<byte[], byte[]> rec, ScoredMail in, String reason) {
        QuarantinedMail q = QuarantinedMail.newBuilder()
                .setEnvelope(in.getEnvelope()).setAuth(in.getAuth()).setSpam(in.getSpam())
                .setReason(reason).setMessage(in.getMessage()).build();
        return StageResult.emit(
                new ProducerRecord<>(ctx.topics().quarantine(), rec.key(), QUARANTINE.encode(q)),
                events.record(events.event(EventType.QUARANTINED, in.getEnvelope().getQueueId())
                        .setTopic(ctx.topics().quarantine()).setDetail(reason).build()));
    }
}
