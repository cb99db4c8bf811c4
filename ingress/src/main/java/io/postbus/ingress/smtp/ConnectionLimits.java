package io.postbus.ingress.smtp;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Postfix's anvil enforces at connect: sessions per client at once
 * ({@code smtpd_client_connection_count_limit}), connections per client per minute
 * ({@code smtpd_client_connection_rate_limit}), and sessions in total. Trusted networks are exempt
 * ({@code smtpd_client_event_limit_exceptions = $mynetworks}). Per node: a cluster's limit is the
 * sum over its ingress nodes. Thread-safe; memory for rates is bounded.
 *
 * @param maxTotal         sessions on this node at once
 * @param maxPerClient     sessions from one address at once
 * @param maxPerMinute     new connections from one address per minute; 0 = no limit
 */
public final class ConnectionLimits {
    private static final int TRACKED_RATES = 65_536;

    private final int maxTotal;
    private final int maxPerClient;
    private final int maxPerMinute;
    private final RelayPolicy exemptions;
    private final Clock clock;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, long[]> windows = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, long[]> eldest) {
            return size() > TRACKED_RATES;
        }
    };

    public ConnectionLimits(int maxTotal, int maxPerClient, int maxPerMinute, RelayPolicy exemptions, Clock clock) {
        if (maxTotal < 1 || maxPerClient < 1 || maxPerMinute < 0) {
            throw new IllegalArgumentException("connection limits must be positive (rate 0 = unlimited)");
        }
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
        this.maxPerMinute = maxPerMinute;
        this.exemptions = exemptions;
        this.clock = clock;
    }

    /** Counts a new session in, or says why not (421: the client should come back later). */
    public Optional<Reply> admit(InetAddress client) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return Optional.of(Reply.of(421, "4.3.2", "Service temporarily unavailable: too many connections"));
        }
        if (exemptions.isTrusted(client)) {
            open.computeIfAbsent(client, a -> new AtomicInteger()).incrementAndGet();
            return Optional.empty();
        }
        if (maxPerMinute > 0 && !withinRate(client)) {
            total.decrementAndGet();
            return Optional.of(Reply.of(421, "4.7.0", "Error: too many connections from " + client.getHostAddress()));
        }
        AtomicInteger mine = open.computeIfAbsent(client, a -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerClient) {
            release(client);
            return Optional.of(Reply.of(421, "4.7.0", "Error: too many concurrent connections from " + client.getHostAddress()));
        }
        return Optional.empty();
    }

    /** The session counted in by {@link #admit} has ended. */
    public void release(InetAddress client) {
        total.decrementAndGet();
        open.computeIfPresent(client, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    public int openSessions() {
        return total.get();
    }

    private synchronized boolean withinRate(InetAddress client) {
        long now = clock.millis();
        long[] w = windows.computeIfAbsent(client, a -> new long[] {now, 0});
        if (now - w[0] >= Duration.ofMinutes(1).toMillis()) {
            w[0] = now;
            w[1] = 0;
        }
        return ++w[1] <= maxPerMinute;
    }
}
