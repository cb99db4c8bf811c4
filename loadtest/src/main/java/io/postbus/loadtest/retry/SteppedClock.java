package io.postbus.loadtest.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The delivery worker's injected clock: it stands still, so every retry job of the run gets the same
 * due time and the phases cannot overlap however long the first one takes, and moves only when the
 * benchmark steps it past that due time. (testkit's MutableClock is the same idea, but the testkit is
 * a test-only module: it brings JUnit and Testcontainers along.)
 */
final class SteppedClock extends Clock {
    private volatile Instant now;

    SteppedClock(Instant start) {
        this.now = start;
    }

    void step(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("fixed to UTC");
    }
}
