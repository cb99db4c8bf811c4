package io.postbus.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that stands still until a test moves it: every core takes an injected
 * {@link Clock}, and this is the one tests inject when time matters (retry tiers, caches, reloads,
 * rate limits, signature timestamps). Thread-safe for one mover and many readers.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Moves forward (or, with a negative duration, back: an NTP step). */
    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * A view of this clock in another zone (the ingress dates its Received headers in the system
     * zone): it moves when this clock moves.
     */
    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(ZoneOffset.UTC) ? this : new Zoned(this, zone);
    }

    private static final class Zoned extends Clock {
        private final MutableClock source;
        private final ZoneId zone;

        Zoned(MutableClock source, ZoneId zone) {
            this.source = source;
            this.zone = zone;
        }

        @Override
        public Instant instant() {
            return source.instant();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return source.withZone(other);
        }
    }
}
