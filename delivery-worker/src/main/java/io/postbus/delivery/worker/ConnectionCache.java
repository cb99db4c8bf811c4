package io.postbus.delivery.worker;

import io.postbus.delivery.shaping.SiteLimits;
import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.smtp.SmtpConnection;
import io.postbus.delivery.smtp.TlsPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Idle SMTP connections kept for the next message to the same host, as Postfix's scache does
 * (smtp_connection_cache_time_limit, 2 s by default): a connection is parked after a message and
 * closed (QUIT) when nobody takes it within the idle limit. Up to the site's max-connections are
 * kept per host and address, so concurrent deliveries to one site reuse all their connections. The caller decides whether a connection
 * may be parked (its message count against messages-per-connection); the cache only keeps time.
 * A daemon thread closes expired connections (the QUIT itself runs on the connection's event loop),
 * so a quiet site's connection does not linger until the server times us out.
 *
 * <p>The key includes the shaping group, so one group's idle connections are counted for it alone
 * (the {@link SiteShaper} skips the connection rate while a group has one), and the TLS level the
 * connection was opened at, since two destinations on one host may have different policies. The
 * protocol is the owning agent's: one cache per agent.
 */
final class ConnectionCache implements AutoCloseable {
    /**
     * @param tls      the level the connection was opened at: a VERIFY delivery never reuses a MAY connection
     * @param source   the local address it was bound to: mail for another pool address needs its own
     * @param saslUser who it authenticated as: another user's mail must not ride on this login
     */
    record Key(String group, String host, InetSocketAddress address, TlsPolicy tls, Optional<InetAddress> source,
               Optional<String> saslUser) {
        Key {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(saslUser, "saslUser");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(address, "address");
        }
    }

    /** A connection taken from the cache, with the number of messages it has carried so far. */
    record Cached(SmtpConnection connection, int messagesSent) {}

    private record Idle(SmtpConnection connection, int messagesSent, long parkedAt) {}

    private final Duration idleLimit;
    private final SiteShaper shaper;
    private final LongSupplier nanoTime;
    private final Map<Key, Deque<Idle>> idle = new HashMap<>();
    private final ScheduledExecutorService reaper;

    /** @param shaper told when a group's idle connections come and go; null for none */
    ConnectionCache(Duration idleLimit, SiteShaper shaper, LongSupplier nanoTime) {
        this.idleLimit = Objects.requireNonNull(idleLimit, "idleLimit");
        this.shaper = shaper;
        this.nanoTime = nanoTime;
        if (idleLimit.isZero()) {
            this.reaper = null;
        } else {
            this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "smtp-connection-reaper");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(100, idleLimit.toMillis() / 2);
            reaper.scheduleWithFixedDelay(this::closeExpired, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The most recently parked usable, unexpired connection to exactly this host and address, now
     * the caller's. Taking the newest keeps the older ones idle, so that when traffic drops they
     * expire and the pool shrinks to what the traffic needs.
     */
    Optional<Cached> take(Key key) {
        while (true) {
            Idle i;
            synchronized (this) {
                Deque<Idle> parked = idle.get(key);
                if (parked == null) {
                    return Optional.empty();
                }
                i = parked.pollFirst();
                if (parked.isEmpty()) {
                    idle.remove(key);
                }
                unparked(key);
            }
            if (!expired(i) && i.connection().isUsable()) {
                return Optional.of(new Cached(i.connection(), i.messagesSent()));
            }
            // Dropped by the server while idle (or past its time): a newer one may still be good.
            i.connection().close();
        }
    }

    /**
     * Keeps {@code c} for the next message, newest first. Up to the group's max-connections are kept
     * per key (with one, concurrent deliveries to a site would close all but one of their connections
     * after each wave of messages and open them again for the next); the oldest beyond that is closed.
     */
    void park(Key key, SmtpConnection c, int messagesSent) {
        if (idleLimit.isZero() || !c.isUsable()) {
            c.close();
            return;
        }
        int room = maxIdle(key.group());
        List<Idle> surplus = new ArrayList<>();
        // The shaper hears of it under this lock, so the reaper cannot unpark before the park is told.
        synchronized (this) {
            Deque<Idle> parked = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
            parked.addFirst(new Idle(c, messagesSent, nanoTime.getAsLong()));
            if (shaper != null) {
                shaper.connectionParked(key.group());
            }
            while (room > 0 && parked.size() > room) {
                surplus.add(parked.pollLast());
                unparked(key);
            }
        }
        surplus.forEach(s -> s.connection().close());
    }

    /** Idle connections now, over all keys: for tests. */
    synchronized int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    void closeExpired() {
        List<Idle> gone = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Deque<Idle>>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Deque<Idle>> e = it.next();
                Deque<Idle> parked = e.getValue();
                // Newest first: the expired ones are at the tail.
                while (!parked.isEmpty() && expired(parked.peekLast())) {
                    gone.add(parked.pollLast());
                    unparked(e.getKey());
                }
                if (parked.isEmpty()) {
                    it.remove();
                }
            }
        }
        // QUIT outside the lock; it runs on the connection's event loop, so the reaper does not wait for it.
        gone.forEach(i -> i.connection().close());
    }

    @Override
    public void close() {
        if (reaper != null) {
            reaper.shutdownNow();
        }
        List<Idle> all = new ArrayList<>();
        synchronized (this) {
            idle.forEach((key, parked) -> parked.forEach(i -> {
                all.add(i);
                unparked(key);
            }));
            idle.clear();
        }
        // Shutting down: wait for the QUITs (each bounded by its QUIT timeout), or the event loops
        // may stop before they are sent. Never called on an event loop.
        CompletableFuture.allOf(all.stream().map(i -> i.connection().quit().toCompletableFuture())
                .toArray(CompletableFuture[]::new)).join();
    }

    /** The group's max-connections (0: no limit but the idle time); the defaults' without a shaper. */
    private int maxIdle(String group) {
        return (shaper == null ? SiteLimits.DEFAULTS : shaper.limits(group)).maxConnections();
    }

    private boolean expired(Idle i) {
        return nanoTime.getAsLong() - i.parkedAt() >= idleLimit.toNanos();
    }

    private void unparked(Key key) {
        if (shaper != null) {
            shaper.connectionUnparked(key.group());
        }
    }
}
