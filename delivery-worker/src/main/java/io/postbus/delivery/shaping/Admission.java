package io.postbus.delivery.shaping;

import java.time.Instant;
import java.util.Objects;

/** The shaper's answer for one message to one group: go now, or not before a time and why. */
public sealed interface Admission {

    /** Deliver now; call {@link SiteShaper#finished(String)} when the attempt is over. */
    record Go(String group) implements Admission {
        public Go {
            Objects.requireNonNull(group, "group");
        }
    }

    /**
     * Not before {@code until}. Nothing was taken from the group's limits.
     *
     * @param detail for the lifecycle event and the log: which limit or which backoff rule
     */
    record Wait(String group, Instant until, Reason reason, String detail) implements Admission {
        public Wait {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(until, "until");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    enum Reason {
        /** A backoff rule suspended the group. */
        BACKOFF_SUSPENDED,
        /** A backoff rule throttled the group below its shaping limits. */
        BACKOFF_THROTTLED,
        /** messages-per-minute or messages-per-hour. */
        MESSAGE_RATE,
        /** connections-per-minute, and no idle connection to reuse. */
        CONNECTION_RATE,
        /** max-connections deliveries already under way. */
        MAX_CONNECTIONS
    }
}
