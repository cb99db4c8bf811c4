package io.postbus.ingress.smtp;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One token bucket per client key, each holding {@code perMinute} tokens and refilling at
 * {@code perMinute} a minute: a client may spend a minute's allowance at once, then keeps the
 * rate. Kept as GCRA (one "theoretical arrival time" per key, integer microseconds), so there is
 * no refill loop and no floating-point drift. A refused event costs nothing. Memory is bounded:
 * least recently used keys are forgotten first. Thread-safe.
 */
final class RateBuckets {
    private static final long MICROS_PER_MINUTE = 60_000_000L;

    private final long intervalMicros;
    private final long toleranceMicros;
    private final Map<InetAddress, Long> theoreticalArrival;

    RateBuckets(int perMinute, int maxTrackedClients) {
        if (perMinute < 1 || maxTrackedClients < 1) {
            throw new IllegalArgumentException("perMinute and maxTrackedClients must be at least 1");
        }
        this.intervalMicros = Math.max(1, MICROS_PER_MINUTE / perMinute);
        this.toleranceMicros = (perMinute - 1) * intervalMicros;
        this.theoreticalArrival = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Long> eldest) {
                return size() > maxTrackedClients;
            }
        };
    }

    /** Takes a token for {@code key} at {@code nowMillis} if one is left. */
    synchronized boolean tryTake(InetAddress key, long nowMillis) {
        long now = nowMillis * 1000;
        Long tat = theoreticalArrival.get(key);
        long from = tat == null ? now : Math.max(tat, now);
        if (from - now > toleranceMicros) {
            return false;
        }
        theoreticalArrival.put(key, from + intervalMicros);
        return true;
    }

    synchronized int trackedClients() {
        return theoreticalArrival.size();
    }
}
