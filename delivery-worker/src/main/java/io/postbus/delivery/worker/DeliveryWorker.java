package io.postbus.delivery.worker;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.Plan;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.StageSpec;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.suppression.SuppressionPolicy;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryReport.Outcome;
import io.postbus.delivery.core.DeliveryReport.RecipientResult;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RemoteReply;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.core.Transport;
import io.postbus.delivery.shaping.Admission;
import io.postbus.delivery.shaping.AppliedBackoff;
import io.postbus.delivery.shaping.ShapingGroup;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.Stage;
import io.postbus.schemas.codec.AvroCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Consumes the delivery topics and the retry tiers. A job not yet due pauses its partition until
 * it is (the tier's head is always the first due). The attempts of a poll batch run at once, up to
 * {@link #concurrency(int)} conversations (ADR 0010). Each attempt's outcome — Delivery, Bounce and
 * TransientFailure events, a retry job for the deferred recipients, and the delivery status
 * notifications to the sender as new messages on mail.received — is written with the offset commit
 * in one transaction: at-least-once delivery, as in every MTA, and a report exactly when its outcome
 * is committed.
 */
public final class DeliveryWorker {
    public static final String STAGE = "delivery-worker";
    /** Attempts at once per worker process (the example: 20 connections to one sink). */
    public static final int DEFAULT_CONCURRENCY = 20;
    /** Jobs per poll batch for each connection. */
    static final int BATCH_PER_CONNECTION = 5;
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);
    private static final long SLOT_RECHECK_MILLIS = 50;

    private final StageContext ctx;
    private final DeliveryAgent agent;
    private final RetrySchedule schedule;
    private final Duration maxLifetime;
    private Duration bounceLifetime;
    private final Events events;
    private final OutcomeEvents outcomeEvents;
    private final DeliveryNotices notices;
    private final BounceClassifier classifier;
    private volatile BounceSuppressions suppressions;
    private ControlGate gate;
    private SiteShaper shaper;
    private int concurrency = DEFAULT_CONCURRENCY;
    /** Notified whenever a shaped attempt ends, for the attempts waiting for a connection slot. */
    private final Object slotFreed = new Object();
    /** Per group, the jobs of the current batch waiting for a connection slot (guarded by slotFreed). */
    private final Map<String, Integer> slotWaiters = new HashMap<>();

    /**
     * Without delivery status notifications: bounces and expirations are events only. Kept for
     * launchers that do not configure DSNs yet.
     */
    public DeliveryWorker(StageContext ctx, DeliveryAgent agent, RetrySchedule schedule, Duration maxLifetime) {
        this(ctx, agent, schedule, maxLifetime, BounceClassifier.builtIn(), null, null);
    }

    /**
     * @param dsn      how senders are told of failures, delays and (when asked) success; null for never
     * @param queueIds queue ids for the reports, which become messages of their own: the process's one
     *                 {@link io.postbus.core.mail.QueueIdGenerator} (shared with the ingress, so ids
     *                 stay unique); unused when {@code dsn} is null
     */
    public DeliveryWorker(StageContext ctx, DeliveryAgent agent, RetrySchedule schedule, Duration maxLifetime,
                          BounceClassifier classifier, DsnSettings dsn, Supplier<String> queueIds) {
        this.ctx = ctx;
        this.agent = agent;
        this.schedule = schedule;
        this.maxLifetime = maxLifetime;
        this.bounceLifetime = maxLifetime;
        this.events = new Events(ctx.topics(), Stage.DELIVERY, ctx.node(), ctx.clock());
        this.outcomeEvents = new OutcomeEvents(events, classifier);
        this.classifier = classifier;
        this.notices = dsn == null ? null
                : new DeliveryNotices(ctx.topics(), ctx.node(), ctx.clock(), events, dsn, maxLifetime,
                        Objects.requireNonNull(queueIds, "queueIds"));
        this.gate = ControlGate.none(ctx.topics(), schedule, events);
    }

    /**
     * Obey the operator's commands (mail.control, kept by a {@link io.postbus.core.kafka.ControlReader})
     * before every attempt; a waiting job looks at them again at least every {@code recheck}.
     */
    public DeliveryWorker obeying(io.postbus.core.control.ControlState control, Duration recheck) {
        this.gate = new ControlGate(control, recheck, ctx.topics(), schedule, events);
        return this;
    }

    /** Hard bounces of the policy's classes put the address on mail.suppression; call before {@link #start()}. */
    public DeliveryWorker suppressing(SuppressionPolicy policy) {
        this.suppressions = new BounceSuppressions(ctx.topics(), classifier, policy);
        return this;
    }

    /**
     * Shape traffic per site (ADR 0009): before an attempt the shaper may say "not before T" — the
     * site's own topic then waits, a shared topic parks the job in a retry tier without counting an
     * attempt — and after it the replies go to the backoff rules. Give the same shaper to the
     * agents ({@link DeliveryAgents#standard(io.vertx.core.Vertx, io.postbus.core.dns.DnsResolver,
     * io.postbus.delivery.core.DeliverySettings, java.time.Clock, OutboundTls, SiteShaper)}). Call before
     * {@link #start()}.
     */
    public DeliveryWorker shaping(SiteShaper shaper) {
        this.shaper = shaper;
        return this;
    }

    /**
     * Mail with the null reverse-path (bounces and other notifications) expires after {@code lifetime}
     * instead of the maximal lifetime (Postfix bounce_queue_lifetime): a notice that cannot be
     * delivered has no sender to return to, so there is little point in keeping it as long. Without
     * this call both are the same; call before {@link #start()}.
     */
    public DeliveryWorker expiringBouncesAfter(Duration lifetime) {
        this.bounceLifetime = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    /**
     * Hold up to {@code connections} delivery attempts (SMTP conversations) at once; call before
     * {@link #start()}. Default {@value #DEFAULT_CONCURRENCY}.
     */
    public DeliveryWorker concurrency(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("delivery concurrency must be at least 1: " + connections);
        }
        this.concurrency = connections;
        return this;
    }

    public TransactionalStage start() {
        Pattern topics = Pattern.compile(ctx.topics().deliverPattern().pattern() + "|" + ctx.topics().retryPattern().pattern());
        // A batch's attempts run at once and the batch commits when its slowest one ends: a few
        // attempts per connection keep the connections busy past one slow conversation, and the
        // long poll interval covers a batch of slow ones (the stage gives up on work at 3/4 of it).
        StageSpec spec = new StageSpec(STAGE, ctx.groupId(STAGE), ctx.node(), List.of(), topics,
                BATCH_PER_CONNECTION * concurrency, Duration.ofMinutes(30));
        return ctx.start(spec, this::plan, concurrency);
    }

    /**
     * On the stage's consumer thread, without blocking: the operator's commands, the due time and
     * the queue lifetime settle a job without an attempt; otherwise the attempt is the work to run
     * on the pool, alongside the batch's other attempts.
     */
    Plan plan(ConsumerRecord<byte[], byte[]> rec) {
        DeliveryJob job = JOB.decode(rec.value());
        Instant now = ctx.clock().instant();
        StageResult controlled = gate.check(rec, job, now); // also waits for a job not yet due
        if (controlled != null) {
            return Plan.decided(controlled);
        }
        if (job.getRecipients().isEmpty()) {
            return Plan.decided(StageResult.emit());
        }
        if (!now.isBefore(job.getFirstSeenAt().plus(lifetimeOf(job)))) {
            List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
            out.add(outcomeEvents.expired(job));
            if (notices != null) {
                out.addAll(notices.expired(job, now));
            }
            return Plan.decided(StageResult.emit(out));
        }
        DeliveryRequest request = DeliveryJobs.toRequest(job);
        // Mail this process writes itself is not shaped: there is no remote site to protect.
        boolean shaped = shaper != null && request.transport() != Transport.MAILDIR;
        if (shaped) {
            // Admitted here, on the consumer thread, so a shaped-out job never holds a pool thread;
            // the slot is given back when the attempt ends.
            Admission admission = shaper.admit(request.group());
            if (admission instanceof Admission.Wait wait) {
                if (wait.reason() != Admission.Reason.MAX_CONNECTIONS || !queueForSlot(request.group())) {
                    return Plan.decided(waitForShaping(rec, job, now, wait));
                }
                // Every slot is held by an attempt of this very batch (the previous batch's have all
                // ended), so one frees within the batch: the job waits for it on its pool thread.
                // Shaping it out instead parked 4 of every 5 jobs of a one-site batch in a retry
                // tier, again and again (docs/benchmarks/delivery.md, "Batches and shaping").
                return Plan.work(() -> attemptWhenSlotFrees(request),
                        attempt -> attempt.report() != null
                                ? complete(rec, job, attempt.report(), now, backoffAfter(request.group(), attempt.report()))
                                : gate.parkUntil(rec, job, now, attempt.shapedOut().until(), EventType.DELAYED,
                                        attempt.shapedOut().reason() + ": " + attempt.shapedOut().detail()));
            }
        }
        return Plan.work(() -> shaped ? attemptAdmitted(request) : agent.deliver(request),
                report -> complete(rec, job, report, now, shaped ? backoffAfter(request.group(), report) : null));
    }

    /**
     * Lets one more job of {@code group} wait for a slot, unless every slot already has
     * {@link #BATCH_PER_CONNECTION} attempts to make: a batch then waits for a slow site no longer
     * than for a slow connection, and the rest of the site's jobs are shaped out as before. (A
     * waiter cancelled at its batch's deadline before it ever ran is not counted down: its group
     * then has fewer waiting places, which shapes out sooner, as before this existed.)
     */
    private boolean queueForSlot(String group) {
        int limit = shaper.limits(group).maxConnections() * (BATCH_PER_CONNECTION - 1);
        synchronized (slotFreed) {
            int queued = slotWaiters.getOrDefault(group, 0);
            if (queued >= limit) {
                return false;
            }
            slotWaiters.put(group, queued + 1);
            return true;
        }
    }

    /** A shaped attempt that has its connection slot: the slot is freed, and waiters woken, when it ends. */
    private DeliveryReport attemptAdmitted(DeliveryRequest request) throws Exception {
        try {
            return agent.deliver(request);
        } finally {
            shaper.finished(request.group());
            synchronized (slotFreed) {
                slotFreed.notifyAll();
            }
        }
    }

    /**
     * On a pool thread: waits until the site has a free connection slot, then attempts. Any other
     * limit met meanwhile (a backoff rule the batch's replies set off, a rate) shapes the job out;
     * it is parked rather than its partition rewound, so no attempt already made is made again.
     */
    private ShapedAttempt attemptWhenSlotFrees(DeliveryRequest request) throws Exception {
        try {
            return admitWhenSlotFrees(request);
        } finally {
            synchronized (slotFreed) {
                slotWaiters.computeIfPresent(request.group(), (g, n) -> n > 1 ? n - 1 : null);
            }
        }
    }

    private ShapedAttempt admitWhenSlotFrees(DeliveryRequest request) throws Exception {
        while (true) {
            Admission admission = shaper.admit(request.group());
            if (admission instanceof Admission.Go) {
                return new ShapedAttempt(attemptAdmitted(request), null);
            }
            Admission.Wait wait = (Admission.Wait) admission;
            if (wait.reason() != Admission.Reason.MAX_CONNECTIONS) {
                return new ShapedAttempt(null, wait);
            }
            synchronized (slotFreed) {
                // The timeout covers a slot freed between admit and wait, and slots of other batches' cancelled work.
                slotFreed.wait(SLOT_RECHECK_MILLIS);
            }
        }
    }

    /** What became of a job that waited for a connection slot: a report, or the limit that shaped it out. */
    private record ShapedAttempt(DeliveryReport report, Admission.Wait shapedOut) {}

    /**
     * Back on the consumer thread, in offset order: the attempt's outcome as events, a retry job
     * for the deferred recipients, and the reports to the sender.
     *
     * @param backoff what the backoff rules applied to the site after this attempt's replies, or null
     */
    StageResult complete(ConsumerRecord<byte[], byte[]> rec, DeliveryJob job, DeliveryReport report, Instant now,
                         String backoff) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<String, List<RecipientResult>> groups = new LinkedHashMap<>();
        for (RecipientResult r : report.results()) {
            groups.computeIfAbsent(r.outcome() + "\u0000" + r.reply(), k -> new ArrayList<>()).add(r);
        }
        List<String> deferred = new ArrayList<>();
        RemoteReply deferReply = null;
        for (List<RecipientResult> group : groups.values()) {
            RecipientResult first = group.get(0);
            List<String> rcpts = group.stream().map(RecipientResult::recipient).toList();
            switch (first.outcome()) {
                case DELIVERED -> out.add(outcomeEvents.delivered(job, rcpts, first.reply(), report));
                case BOUNCED -> {
                    out.add(outcomeEvents.bounced(job, rcpts, first.reply(), report));
                    if (suppressions != null) {
                        out.addAll(suppressions.after(rcpts, first.reply(), now));
                    }
                }
                case DEFERRED -> {
                    deferred.addAll(rcpts);
                    deferReply = deferReply == null ? first.reply() : deferReply;
                }
            }
        }
        if (!deferred.isEmpty()) {
            var tier = schedule.tierFor(job.getAttempt() + 1);
            Instant next = now.plus(tier.getValue());
            DeliveryJob retry = DeliveryJobs.retry(job, deferred, next, deferReply, report, now);
            String topic = ctx.topics().retry(tier.getKey());
            out.add(new ProducerRecord<>(topic, rec.key(), JOB.encode(retry)));
            out.add(outcomeEvents.deferred(job, deferred, deferReply, report, topic, next, backoff));
        }
        if (notices != null) {
            out.addAll(notices.afterAttempt(job, report, now));
        }
        return StageResult.emit(out);
    }

    /**
     * A shaped-out job waits without an attempt. On the site's own topic everything behind it is
     * the same site's, so the partition simply pauses; on a shared topic (the catch-all site's, or a
     * retry tier) it is parked in a retry tier, so the other sites' jobs behind it keep flowing.
     */
    private StageResult waitForShaping(ConsumerRecord<byte[], byte[]> rec, DeliveryJob job, Instant now,
                                       Admission.Wait wait) {
        boolean ownTopic = !ShapingGroup.CATCH_ALL_SITE.equals(job.getSite())
                && rec.topic().equals(ctx.topics().deliver(job.getSite()));
        if (ownTopic) {
            return new StageResult.Defer(gate.recheckBy(wait.until(), now));
        }
        return gate.parkUntil(rec, job, now, wait.until(), EventType.DELAYED, wait.reason() + ": " + wait.detail());
    }

    /** Lets the backoff rules see this attempt's failures; what they did, for the event, or null. */
    private String backoffAfter(String group, DeliveryReport report) {
        Set<RemoteReply> failures = new LinkedHashSet<>();
        for (RecipientResult r : report.results()) {
            if (r.outcome() != Outcome.DELIVERED && r.reply() != null) {
                failures.add(r.reply());
            }
        }
        List<AppliedBackoff> applied = failures.isEmpty() ? List.of() : shaper.afterReplies(group, failures);
        return applied.isEmpty() ? null
                : "backoff: " + applied.stream().map(AppliedBackoff::describe).collect(Collectors.joining("; "));
    }

    private Duration lifetimeOf(DeliveryJob job) {
        return job.getEnvelope().getMailFrom().getAddress().isEmpty() ? bounceLifetime : maxLifetime;
    }

    /** Which events an outcome makes; kept apart so the process method reads as the decision it is. */
    static Outcome outcomeOf(RemoteReply reply) {
        return reply.isPositive() ? Outcome.DELIVERED : reply.isPermanent() ? Outcome.BOUNCED : Outcome.DEFERRED;
    }
}
