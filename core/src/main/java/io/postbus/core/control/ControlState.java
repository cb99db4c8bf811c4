package io.postbus.core.control;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's standing commands, one per target as on the compacted mail.control topic (the
 * latest command for a target replaces the one before; a tombstone removes it), and what they mean
 * for a job at an instant. Safe for one writer and any number of readers.
 *
 * <p>Precedence for a job: of the commands for its queue id and for ALL that reach it, the latest
 * issued decides HOLD, DELETE or REQUEUE (RELEASE just ends a hold); a message on hold or deleted is
 * never delivered, so these come before a suspension, and a suspension before a requeue (a requeue
 * does not open a suspended destination).
 */
public final class ControlState {
    private final Map<String, ControlOrder> byKey = new ConcurrentHashMap<>();

    /** Records the latest command for its target. */
    public void apply(ControlOrder order) {
        byKey.put(order.target().key(), Objects.requireNonNull(order));
    }

    /** A tombstone: the target has no standing command any more. */
    public void remove(String key) {
        byKey.remove(key);
    }

    public Optional<ControlOrder> standing(ControlTarget target) {
        return Optional.ofNullable(byKey.get(target.key()));
    }

    public int size() {
        return byKey.size();
    }

    public ControlDecision decide(ControlledJob job, Instant now) {
        ControlOrder latest = latestReaching(job, now, ControlTarget.queueId(job.queueId()), ControlTarget.all());
        if (latest != null && latest.action() == ControlAction.DELETE) {
            return ControlDecision.DELETE;
        }
        if (latest != null && latest.action() == ControlAction.HOLD) {
            return ControlDecision.HOLD;
        }
        // Before routing there is no destination or site yet: only queue-id and ALL commands apply.
        boolean routed = !job.destination().isEmpty() && !job.site().isEmpty();
        if (routed && (suspended(ControlTarget.destination(job.destination()), now) || suspended(ControlTarget.site(job.site()), now))) {
            return ControlDecision.SUSPENDED;
        }
        if (latest != null && latest.action() == ControlAction.REQUEUE) {
            return ControlDecision.REQUEUE;
        }
        return ControlDecision.PROCEED;
    }

    /** The suspension that keeps this job waiting, if any (for the event's detail). */
    public Optional<ControlOrder> suspension(ControlledJob job, Instant now) {
        if (job.destination().isEmpty() || job.site().isEmpty()) {
            return Optional.empty();
        }
        for (ControlTarget t : new ControlTarget[] {ControlTarget.site(job.site()), ControlTarget.destination(job.destination())}) {
            if (suspended(t, now)) {
                return standing(t);
            }
        }
        return Optional.empty();
    }

    private boolean suspended(ControlTarget target, Instant now) {
        ControlOrder o = byKey.get(target.key());
        return o != null && o.action() == ControlAction.SUSPEND && o.activeAt(now);
    }

    private ControlOrder latestReaching(ControlledJob job, Instant now, ControlTarget... targets) {
        ControlOrder latest = null;
        for (ControlTarget t : targets) {
            ControlOrder o = byKey.get(t.key());
            if (o != null && o.activeAt(now) && reaches(o, job) && (latest == null || o.issuedAt().isAfter(latest.issuedAt()))) {
                latest = o;
            }
        }
        return latest;
    }

    private static boolean reaches(ControlOrder o, ControlledJob job) {
        return switch (o.action()) {
            case HOLD, DELETE -> !job.receivedAt().isAfter(o.issuedAt());
            case REQUEUE -> job.enqueuedAt().isBefore(o.issuedAt());
            default -> true; // RELEASE ends a hold whenever it was issued
        };
    }
}
