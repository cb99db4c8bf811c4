package io.postbus.ingress.server;

import io.postbus.ingress.smtp.SessionDeadlines;
import io.postbus.ingress.smtp.SessionTimeouts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives one connection's {@link SessionDeadlines} with a single Vert.x timer. The timer is set
 * for the earliest deadline and, when it fires, asks whether anything really ran out (bytes may
 * have come in meanwhile) and sets itself again if not; it is moved only when a deadline comes
 * nearer (a new phase, an unfinished line), so arriving data costs no timer work at all.
 * Monotonic time ({@link System#nanoTime}), so a wall-clock step cannot cut sessions short.
 */
final class DeadlineTimer {
    private static final long NONE = Long.MAX_VALUE;

    private final Vertx vertx;
    private final SessionDeadlines deadlines;
    private final Consumer<SessionTimeouts.Kind> onExpiry;
    private long timerId = -1;
    private long armedFor = NONE;
    private boolean stopped;

    DeadlineTimer(Vertx vertx, SessionTimeouts timeouts, Consumer<SessionTimeouts.Kind> onExpiry) {
        this.vertx = vertx;
        this.deadlines = new SessionDeadlines(timeouts, now());
        this.onExpiry = onExpiry;
        rearmIfNearer();
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    SessionDeadlines.Phase phase() {
        return deadlines.phase();
    }

    void enter(SessionDeadlines.Phase phase) {
        deadlines.enter(phase, now());
        rearmIfNearer();
    }

    /** Bytes from the client, before they are parsed. */
    void received(Buffer bytes) {
        long now = now();
        deadlines.received(now);
        if (deadlines.watchesLines()) {
            deadlines.commandBytes(bytes.getBytes(), now);
            rearmIfNearer();
        }
    }

    /** Fires the expiry now if a limit has already run out (say, the session's while we were busy). */
    boolean expireIfDue() {
        Optional<SessionTimeouts.Kind> expired = stopped ? Optional.empty() : deadlines.expired(now());
        expired.ifPresent(this::expire);
        return expired.isPresent();
    }

    void stop() {
        stopped = true;
        cancel();
    }

    private void rearmIfNearer() {
        long next = deadlines.nextDeadline();
        if (!stopped && next < armedFor) {
            arm(next);
        }
    }

    private void arm(long at) {
        cancel();
        armedFor = at;
        if (at != NONE) {
            timerId = vertx.setTimer(Math.max(1, at - now()), id -> fire());
        }
    }

    private void fire() {
        timerId = -1;
        armedFor = NONE;
        if (!stopped && !expireIfDue()) {
            arm(deadlines.nextDeadline());
        }
    }

    private void expire(SessionTimeouts.Kind kind) {
        stop();
        onExpiry.accept(kind);
    }

    private void cancel() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
        armedFor = NONE;
    }
}
