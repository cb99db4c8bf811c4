package io.postbus.delivery.worker;

import io.postbus.delivery.shaping.SiteShaper;
import io.postbus.delivery.smtp.SmtpConnection;
import io.postbus.delivery.smtp.TlsPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Idle SMTP connections kept for the next message to the same host, as Postfix's scache does
 * (smtp_connection_cache_time_limit, 2 s by default): a connection is parked after a message and
 * closed (QUIT) when nobody takes it within the idle limit. The caller decides whether a connection
 * may be parked (its message count against messages-per-connection); the cache only keeps time.
 * A daemon thread closes expired connections, so a quiet site's connection does not linger until
 * the server times us out.
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
    private final Map<Key, Idle> idle = new HashMap<>();
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

    /** An idle, unexpired connection to exactly this host and address, now the caller's. */
    Optional<Cached> take(Key key) {
        Idle i;
        synchronized (this) {
            i = idle.remove(key);
            if (i == null) {
                return Optional.empty();
            }
            unparked(key);
        }
        if (expired(i) || !i.connection().isUsable()) {
            i.connection().close();
            return Optional.empty();
        }
        return Optional.of(new Cached(i.connection(), i.messagesSent()));
    }

    /** Keeps {@code c} for the next message; one idle connection per key, an older one is closed. */
    void park(Key key, SmtpConnection c, int messagesSent) {
        if (idleLimit.isZero() || !c.isUsable()) {
            c.close();
            return;
        }
        Idle previous;
        // The shaper hears of it under this lock, so the reaper cannot unpark before the park is told.
        synchronized (this) {
            previous = idle.put(key, new Idle(c, messagesSent, nanoTime.getAsLong()));
            if (shaper != null) {
                shaper.connectionParked(key.group());
            }
            if (previous != null) {
                unparked(key);
            }
        }
        if (previous != null) {
            previous.connection().close();
        }
    }

    /** Idle connections now: for tests. */
    synchronized int idleCount() {
        return idle.size();
    }

    void closeExpired() {
        List<Map.Entry<Key, Idle>> gone = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Key, Idle>> it = idle.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Key, Idle> e = it.next();
                if (expired(e.getValue())) {
                    gone.add(e);
                    it.remove();
                    unparked(e.getKey());
                }
            }
        }
        // QUIT outside the lock: a slow server must not hold up the delivery thread's take().
        for (Map.Entry<Key, Idle> e : gone) {
            e.getValue().connection().close();
        }
    }

    @Override
    public void close() {
        if (reaper != null) {
            reaper.shutdownNow();
        }
        List<Map.Entry<Key, Idle>> all;
        synchronized (this) {
            all = new ArrayList<>(idle.entrySet());
            idle.clear();
            all.forEach(e -> unparked(e.getKey()));
        }
        for (Map.Entry<Key, Idle> e : all) {
            e.getValue().connection().close();
        }
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
