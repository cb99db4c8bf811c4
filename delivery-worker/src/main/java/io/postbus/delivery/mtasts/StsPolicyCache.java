package io.postbus.delivery.mtasts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Policies by domain, each until its max_age has passed since it was fetched (RFC 8461 §3.3), and
 * the id of the TXT record it came with, so that a new id can be noticed (§3.3, §10.2). Also
 * remembers, for a short while, domains whose fetch failed with nothing cached, so that a domain
 * with a dead policy server does not cost every delivery a fetch timeout.
 *
 * <p>Thread-safe; the least recently used entry goes when the cache is full.
 */
public final class StsPolicyCache {

    /** A policy as fetched, with its TXT record id. */
    public record Cached(String id, StsPolicy policy, Instant fetchedAt) {
        public Cached {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(fetchedAt, "fetchedAt");
        }

        public Instant expiresAt() {
            return fetchedAt.plus(policy.maxAge());
        }
    }

    private final Clock clock;
    private final Duration failureBackoff;
    private final Map<String, Cached> policies;
    private final Map<String, Instant> failedUntil;

    /**
     * @param maxEntries     the most domains kept
     * @param failureBackoff how long a failed fetch (with nothing cached) is not repeated
     */
    public StsPolicyCache(Clock clock, int maxEntries, Duration failureBackoff) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.failureBackoff = Objects.requireNonNull(failureBackoff, "failureBackoff");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.policies = lru(maxEntries);
        this.failedUntil = lru(maxEntries);
    }

    /** The domain's policy, unless none was stored or its max_age has passed. */
    public synchronized Optional<Cached> get(String domain) {
        Cached c = policies.get(domain);
        if (c == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(c.expiresAt())) {
            policies.remove(domain);
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** Stores a freshly fetched policy, fetched now. */
    public synchronized Cached put(String domain, String id, StsPolicy policy) {
        Cached c = new Cached(id, policy, clock.instant());
        policies.put(domain, c);
        failedUntil.remove(domain);
        return c;
    }

    /** Notes a failed fetch; {@link #recentlyFailed} is true for the backoff from now. */
    public synchronized void fetchFailed(String domain) {
        failedUntil.put(domain, clock.instant().plus(failureBackoff));
    }

    public synchronized boolean recentlyFailed(String domain) {
        Instant until = failedUntil.get(domain);
        if (until == null) {
            return false;
        }
        if (!clock.instant().isBefore(until)) {
            failedUntil.remove(domain);
            return false;
        }
        return true;
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }
}
