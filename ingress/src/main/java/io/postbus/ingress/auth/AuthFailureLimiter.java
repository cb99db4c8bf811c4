package io.postbus.ingress.auth;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Limits failed AUTH attempts per client address with a token bucket: each address may fail
 * {@code burst} times, then earns one more attempt per {@code refillInterval}. Implemented as
 * GCRA (the "virtual scheduling" form of a token bucket): one timestamp per address, integer
 * milliseconds, no floating-point drift. The shell asks
 * {@link #check} before running a mechanism (and replies {@code 454 4.7.0} when refused) and
 * calls {@link #recordFailure} after each {@code 535} or malformed exchange.
 *
 * <p>Choices, and why:
 * <ul>
 *   <li>IPv6 clients are counted per /64, the block one host or subscriber normally gets; per
 *       address, a single machine would have 2^64 buckets.
 *   <li>Every failure costs a token even when the bucket is already empty (it goes into debt),
 *       so an attacker running many connections in parallel from one address still gets one
 *       guess per interval on average, not one per connection.
 *   <li>Success resets nothing: an attacker holding one valid account must not be able to clear
 *       the failures of its guesses at others. Other addresses are never affected.
 *   <li>Memory is bounded: at most {@code maxTrackedClients} buckets, least recently used
 *       evicted first; buckets that have refilled completely are dropped.
 * </ul>
 * Thread-safe (one lock; the work under it is a map lookup and some arithmetic).
 */
public final class AuthFailureLimiter {

    /** Whether an AUTH attempt may go ahead, and if not, how long until it may. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOW = new Decision(true, Duration.ZERO);
    }

    public static final int DEFAULT_BURST = 5;
    public static final Duration DEFAULT_REFILL_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_TRACKED_CLIENTS = 65_536;

    private final Clock clock;
    private final int burst;
    private final long refillMillis;
    /** Per key, the GCRA theoretical arrival time: when all recorded failures will have been forgiven. */
    private final Map<InetAddress, Long> forgivenAt;

    /** Five failures, then one attempt a minute, for up to 65,536 addresses. */
    public static AuthFailureLimiter withDefaults(Clock clock) {
        return new AuthFailureLimiter(clock, DEFAULT_BURST, DEFAULT_REFILL_INTERVAL, DEFAULT_MAX_TRACKED_CLIENTS);
    }

    public AuthFailureLimiter(Clock clock, int burst, Duration refillInterval, int maxTrackedClients) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (burst < 1 || maxTrackedClients < 1) {
            throw new IllegalArgumentException("burst and maxTrackedClients must be at least 1");
        }
        if (refillInterval.toMillis() < 1) {
            throw new IllegalArgumentException("refillInterval must be at least 1 ms");
        }
        this.burst = burst;
        this.refillMillis = refillInterval.toMillis();
        this.forgivenAt = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Long> eldest) {
                return size() > maxTrackedClients;
            }
        };
    }

    /** Whether {@code client} may try to authenticate now. Does not use up an attempt. */
    public synchronized Decision check(InetAddress client) {
        InetAddress key = key(client);
        Long until = forgivenAt.get(key);
        long now = clock.millis();
        if (until == null) {
            return Decision.ALLOW;
        }
        if (until <= now) {
            forgivenAt.remove(key); // every failure forgiven; no need to remember the address
            return Decision.ALLOW;
        }
        // Fewer than `burst` failures still outstanding means a token is left.
        long wait = until - now - (burst - 1) * refillMillis;
        return wait <= 0 ? Decision.ALLOW : new Decision(false, Duration.ofMillis(wait));
    }

    /** One failed attempt by {@code client} (wrong credentials, or a malformed exchange). */
    public synchronized void recordFailure(InetAddress client) {
        long now = clock.millis();
        forgivenAt.merge(key(client), now + refillMillis, (until, ignored) -> Math.max(until, now) + refillMillis);
    }

    /** How many addresses currently have failures on record. */
    public synchronized int trackedClients() {
        return forgivenAt.size();
    }

    private static InetAddress key(InetAddress client) {
        return ClientKey.of(client);
    }
}
