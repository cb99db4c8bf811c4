package io.postbus.delivery.shaping;

import java.time.Instant;

/**
 * A rate limit as the Generic Cell Rate Algorithm (the token bucket written with one timestamp, as
 * KumoMTA's throttle and redis-cell keep it): up to {@code count} events at once after a quiet
 * spell, then one every {@code interval}. Its whole state is the theoretical arrival time, so a
 * limit of 20,000/h costs one {@link Instant}, not 20,000 timestamps as a sliding log would.
 *
 * <p>An event may be recorded when it does not conform (a connection the rate did not foresee):
 * the bucket goes into debt and later events wait longer, so the long-run rate still holds.
 * Not thread-safe; {@link SiteShaper} guards it.
 */
final class RateBucket {
    private final Rate rate;
    private Instant theoreticalArrival = Instant.MIN;

    RateBucket(Rate rate) {
        this.rate = rate;
    }

    /**
     * A bucket with nothing left in it: the first event waits one interval. A backoff throttle
     * starts so, since the reply that set it already said "too fast".
     */
    static RateBucket drained(Rate rate, Instant now) {
        RateBucket b = new RateBucket(rate);
        b.theoreticalArrival = now.plus(rate.per());
        return b;
    }

    /** True when the bucket is full again: forgetting it changes nothing. */
    boolean isRested(Instant now) {
        return !theoreticalArrival.isAfter(now);
    }

    Rate rate() {
        return rate;
    }

    /** The earliest instant at which one more event conforms; {@code now} or earlier means now. */
    Instant nextAllowed(Instant now) {
        Instant tat = theoreticalArrival.isAfter(now) ? theoreticalArrival : now;
        // Burst tolerance: a full bucket lets count events through at once.
        return tat.minus(rate.per()).plus(rate.interval());
    }

    /** Records one event at {@code now}, conforming or not. */
    void take(Instant now) {
        Instant tat = theoreticalArrival.isAfter(now) ? theoreticalArrival : now;
        theoreticalArrival = tat.plus(rate.interval());
    }
}
