package io.postbus.delivery.worker;

import io.postbus.core.control.ControlDecision;
import io.postbus.core.control.ControlOrder;
import io.postbus.core.control.ControlState;
import io.postbus.core.control.ControlledJob;
import io.postbus.core.control.TargetKind;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.Topics;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.codec.AvroCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The operator's commands, obeyed before every attempt (and the wait for a job not yet due).
 * Nothing here is an attempt: the attempt count never changes.
 *
 * <ul>
 *   <li>DELETE: the job ends with a Deleted event (no report to the sender, as postsuper -d).</li>
 *   <li>HOLD: a due job is parked in the tier maximal.backoff.time rounds down to (1h by default)
 *       with a Held event and comes round again
 *       then; a RELEASE lets it wait out that tier, a REQUEUE brings it back at once.</li>
 *   <li>SUSPENDED: a site's own delivery topic simply waits (everything in it is that site's); a
 *       job in a shared retry tier, or of a suspended destination, is deferred again by the first
 *       tier instead, so the jobs behind it (other sites, other destinations) keep flowing.</li>
 *   <li>REQUEUE: the job is attempted now, whatever its retry time.</li>
 * </ul>
 *
 * A job not yet due is waited for no longer than {@code recheck}, so a REQUEUE (or any command)
 * reaches it without waiting for its tier's due time.
 */
final class ControlGate {
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);

    private final ControlState state;
    private final Duration recheck;
    private final Topics topics;
    private final RetrySchedule schedule;
    private final Events events;

    /** @param recheck longest wait before the commands are looked at again; null for no commands */
    ControlGate(ControlState state, Duration recheck, Topics topics, RetrySchedule schedule, Events events) {
        this.state = state;
        this.recheck = recheck;
        this.topics = topics;
        this.schedule = schedule;
        this.events = events;
    }

    /** A gate without commands: jobs just wait until due. */
    static ControlGate none(Topics topics, RetrySchedule schedule, Events events) {
        return new ControlGate(new ControlState(), null, topics, schedule, events);
    }

    /** What to do instead of attempting this job now; null to attempt it now. */
    StageResult check(ConsumerRecord<byte[], byte[]> rec, DeliveryJob job, Instant now) {
        ControlledJob facts = new ControlledJob(job.getEnvelope().getQueueId(), job.getDestination(), job.getSite(),
                job.getFirstSeenAt(), Instant.ofEpochMilli(rec.timestamp()));
        ControlDecision decision = state.decide(facts, now);
        boolean due = !job.getNotBefore().isAfter(now);
        switch (decision) {
            case DELETE:
                return StageResult.emit(events.record(event(EventType.DELETED, job, "deleted by the operator").build()));
            case HOLD:
                return due ? park(rec, job, now, schedule.tierFor(Integer.MAX_VALUE), "on hold") : waitFor(job, now);
            case SUSPENDED:
                Optional<ControlOrder> by = state.suspension(facts, now);
                if (by.isPresent() && by.get().target().kind() == TargetKind.SITE && rec.topic().equals(topics.deliver(job.getSite()))) {
                    return new StageResult.Defer(now.plus(recheck));
                }
                return due ? park(rec, job, now, schedule.tierFor(1),
                        "suspended " + by.map(o -> o.target().key()).orElse("")) : waitFor(job, now);
            case REQUEUE:
                return null;
            default:
                return due ? null : waitFor(job, now);
        }
    }

    /** {@code until}, or sooner when the commands must be looked at again before then. */
    Instant recheckBy(Instant until, Instant now) {
        return recheck != null && now.plus(recheck).isBefore(until) ? now.plus(recheck) : until;
    }

    private StageResult waitFor(DeliveryJob job, Instant now) {
        Instant until = job.getNotBefore();
        if (recheck != null && now.plus(recheck).isBefore(until)) {
            until = now.plus(recheck);
        }
        return new StageResult.Defer(until);
    }

    /** The same job, same attempt count, waiting in {@code tier}. */
    private StageResult park(ConsumerRecord<byte[], byte[]> rec, DeliveryJob job, Instant now,
                             Map.Entry<String, Duration> tier, String why) {
        Instant next = now.plus(tier.getValue());
        String topic = topics.retry(tier.getKey());
        DeliveryJob parked = DeliveryJob.newBuilder(job).setNotBefore(next).build();
        return StageResult.emit(
                new ProducerRecord<>(topic, rec.key(), JOB.encode(parked)),
                events.record(event(EventType.HELD, job, why).setTopic(topic).setNextAttemptAt(next).build()));
    }

    /**
     * The same job, same attempt count, parked in a retry tier until {@code until} with an event of
     * {@code type}: how a job waits on a shared topic without holding up the jobs behind it. The
     * tier is the shortest that waits at least until then (the longest when none does); the job
     * never asks for a later time than its tier's delay, so the tier stays ordered by due time and
     * its head never holds up other sites' retries. Past that, it is simply parked again.
     */
    StageResult parkUntil(ConsumerRecord<byte[], byte[]> rec, DeliveryJob job, Instant now, Instant until,
                          EventType type, String detail) {
        Duration wanted = Duration.between(now, until);
        Map.Entry<String, Duration> tier = schedule.tierAtLeast(wanted);
        Instant next = until.isAfter(now.plus(tier.getValue())) ? now.plus(tier.getValue()) : until;
        String topic = topics.retry(tier.getKey());
        DeliveryJob parked = DeliveryJob.newBuilder(job).setNotBefore(next).build();
        return StageResult.emit(
                new ProducerRecord<>(topic, rec.key(), JOB.encode(parked)),
                events.record(event(type, job, detail).setTopic(topic).setNextAttemptAt(next).build()));
    }

    private io.postbus.schemas.LifecycleEvent.Builder event(EventType type, DeliveryJob job, String detail) {
        return events.event(type, job.getEnvelope().getQueueId())
                .setSender(job.getEnvelope().getMailFrom().getAddress())
                .setRecipients(job.getRecipients().stream().map(Recipient::getAddress).toList())
                .setDestination(job.getDestination())
                .setSite(job.getSite())
                .setAttempt(job.getAttempt())
                .setDetail(detail);
    }
}
