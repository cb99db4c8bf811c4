package io.postbus.delivery.shaping;

import java.time.Duration;
import java.util.Objects;

/** What a matching backoff rule does to the site that sent the reply. */
public sealed interface BackoffAction {
    /** How long the action lasts from the reply on. */
    Duration lasting();

    /** No new delivery to the site for a while (PowerMTA's backoff "pause"). */
    record Suspend(Duration lasting) implements BackoffAction {
        public Suspend {
            requirePositive(lasting);
        }

        @Override
        public String toString() {
            return "suspend " + lasting.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** At most {@code rate} messages to the site for a while, on top of its shaping limits. */
    record Throttle(Rate rate, Duration lasting) implements BackoffAction {
        public Throttle {
            Objects.requireNonNull(rate, "rate");
            requirePositive(lasting);
        }

        @Override
        public String toString() {
            return "throttle " + rate + " for " + lasting.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static void requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a backoff lasts a positive time: " + d);
        }
    }
}
