package io.postbus.router.worker;

import io.postbus.core.control.ControlDecision;
import io.postbus.core.control.ControlState;
import io.postbus.core.control.ControlledJob;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.StageResult;
import io.postbus.schemas.EventType;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.ScoredMail;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The operator's commands (mail.control, {@code postbus postsuper}) as the router obeys them, before
 * routing a message: DELETE drops it with a Deleted event; HOLD keeps it in mail.reroute with a Held
 * event and looks again later; REQUEUE routes a waiting message now. Destinations and sites do not
 * exist yet at this stage, so only queue-id and ALL commands apply here.
 */
final class RouterControl {
    private final ControlState state;
    private final Duration recheck;
    private final Events events;
    private final String rerouteTopic;

    /** @param recheck how long a held or waiting message waits before the commands are looked at again */
    RouterControl(ControlState state, Duration recheck, Events events, String rerouteTopic) {
        this.state = state;
        this.recheck = recheck;
        this.events = events;
        this.rerouteTopic = rerouteTopic;
    }

    /** No commands: everything proceeds. */
    static RouterControl none(Events events, String rerouteTopic) {
        return new RouterControl(new ControlState(), Duration.ofMinutes(5), events, rerouteTopic);
    }

    ControlDecision decide(ConsumerRecord<byte[], byte[]> rec, ScoredMail in, Instant now) {
        var env = in.getEnvelope();
        return state.decide(new ControlledJob(env.getQueueId(), "", "", env.getReceivedAt(),
                Instant.ofEpochMilli(rec.timestamp())), now);
    }

    /** When a waiting message is looked at again: its due time, or sooner so that commands are noticed. */
    Instant wakeUp(Instant due, Instant now) {
        Instant soon = now.plus(recheck);
        return due.isBefore(soon) ? due : soon;
    }

    StageResult deleted(ScoredMail in) {
        var env = in.getEnvelope();
        return StageResult.emit(events.record(events.event(EventType.DELETED, env.getQueueId())
                .setSender(env.getMailFrom().getAddress())
                .setRecipients(env.getRecipients().stream().map(Recipient::getAddress).toList())
                .setDetail("deleted by the operator before routing")
                .build()));
    }

    /** Parks the message in mail.reroute, unchanged, to be looked at again after {@code recheck}. */
    StageResult held(ConsumerRecord<byte[], byte[]> rec, ScoredMail in, Instant now, int attempt, Set<String> rewritten) {
        var env = in.getEnvelope();
        ProducerRecord<byte[], byte[]> parked = new ProducerRecord<>(rerouteTopic, rec.key(), rec.value());
        Reroute.write(parked, now.plus(recheck), attempt, rewritten, "on hold");
        return StageResult.emit(parked, events.record(events.event(EventType.HELD, env.getQueueId())
                .setSender(env.getMailFrom().getAddress())
                .setRecipients(env.getRecipients().stream().map(Recipient::getAddress).toList())
                .setTopic(rerouteTopic)
                .setDetail("on hold before routing")
                .build()));
    }
}
