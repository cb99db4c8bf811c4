package io.postbus.loadtest.generator;

import java.time.Duration;
import java.util.Objects;

/**
 * What the generator sends. A run is always bounded twice: it stops after {@code messages}
 * accepted-or-refused messages or after {@code duration}, whichever comes first.
 *
 * @param messages           messages to send, 1..10,000,000
 * @param duration           longest time spent sending
 * @param sessions           concurrent SMTP sessions, each on its own thread
 * @param bodySize           body bytes per message (headers come on top)
 * @param recipientsPerMessage RCPTs per message
 * @param domains            where the recipients are
 * @param ratePerSecond      target messages per second over all sessions; 0 = as fast as accepted
 * @param replyTimeout       longest wait for one reply
 * @param seed               seeds the recipient draw, so a run can be repeated exactly
 */
public record GeneratorOptions(long messages, Duration duration, int sessions, int bodySize, int recipientsPerMessage,
                               ZipfDomains domains, double ratePerSecond, Duration replyTimeout, long seed) {

    public GeneratorOptions {
        if (messages < 1 || messages > 10_000_000) {
            throw new IllegalArgumentException("messages must be within 1..10,000,000: " + messages);
        }
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (sessions < 1 || sessions > 1000) {
            throw new IllegalArgumentException("sessions must be within 1..1000: " + sessions);
        }
        if (bodySize < 2 || bodySize > 64 << 20) {
            throw new IllegalArgumentException("body size must be within 2 bytes..64 MiB: " + bodySize);
        }
        if (recipientsPerMessage < 1 || recipientsPerMessage > 1000) {
            throw new IllegalArgumentException("recipients per message must be within 1..1000: " + recipientsPerMessage);
        }
        Objects.requireNonNull(domains, "domains");
        if (!(ratePerSecond >= 0)) {
            throw new IllegalArgumentException("rate must be >= 0: " + ratePerSecond);
        }
        Objects.requireNonNull(replyTimeout, "replyTimeout");
    }
}
