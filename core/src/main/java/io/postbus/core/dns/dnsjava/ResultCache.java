package io.postbus.core.dns.dnsjava;

import io.postbus.core.dns.DnsResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded cache of finished results keyed by (name, type), each kept for its own TTL as read by
 * the injected clock. Least-recently-used entries go first when full; expired entries are dropped
 * when next read, and since nobody reads them they also drift to the LRU end.
 *
 * <p>One lock around a {@link LinkedHashMap}: a lookup holds it for a map operation only, never
 * across network I/O, so contention is negligible next to a DNS round trip.
 */
final class ResultCache {
    private record Key(String name, int type) {}

    private record Entry(DnsResult<?> result, Instant expires) {}

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<Key, Entry> entries;

    ResultCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > ResultCache.this.maxEntries;
            }
        };
    }

    /** The cached result, or null when absent or expired. */
    @SuppressWarnings("unchecked") // the key's type fixes the value type: see DnsJavaResolver.lookup
    synchronized <T> DnsResult<T> get(String name, int type) {
        Key key = new Key(name, type);
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key);
            return null;
        }
        return (DnsResult<T>) e.result();
    }

    /** Keeps the result for {@code ttl}; a zero TTL means "do not cache" (RFC 1035 §3.2.1). */
    synchronized void put(String name, int type, DnsResult<?> result, Duration ttl) {
        if (maxEntries == 0 || ttl.isZero() || ttl.isNegative()) {
            return;
        }
        entries.put(new Key(name, type), new Entry(result, clock.instant().plus(ttl)));
    }

    synchronized int size() {
        return entries.size();
    }
}
