package io.postbus.core.control;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The facts about a queued job that control commands look at.
 *
 * @param receivedAt when the message entered the queue: HOLD and DELETE reach the mail queued when
 *                   they were issued (Postfix's postsuper acts on the queue as it is), not mail that
 *                   arrives later
 * @param enqueuedAt when this job was written where it waits now (its record's timestamp): a REQUEUE
 *                   brings forward the jobs waiting when it was issued, and no job deferred again
 *                   afterwards, or a failing destination would be retried in a tight loop
 */
public record ControlledJob(String queueId, String destination, String site, Instant receivedAt, Instant enqueuedAt) {
    public ControlledJob {
        Objects.requireNonNull(queueId, "queueId");
        destination = Objects.requireNonNull(destination, "destination").toLowerCase(Locale.ROOT);
        site = Objects.requireNonNull(site, "site").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    }
}
