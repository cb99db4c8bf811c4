package io.postbus.loadtest.retry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The remote MTA's answers, without a network: 451 4.7.1 (greylisted) while the switch is off, 250 once
 * it is on. What the delivery worker does with either answer (the retry job, the events, the one
 * transaction with the offsets) is the real code; only the SMTP conversation is left out, so the
 * benchmark measures the queue and not loopback TCP. Called on the stage thread only; counted for the
 * figures.
 */
final class SwitchAgent {
    private volatile boolean accepting;
    private final AtomicLong deferredCalls = new AtomicLong();
    private final AtomicLong acceptedCalls = new AtomicLong();
    private volatile long firstCallNanos = Long.MIN_VALUE;

    /** From now on the remote side says 250. */
    void accept() {
        accepting = true;
    }

    /** One attempt; true for 250, false for 451. */
    boolean attempt() {
        if (firstCallNanos == Long.MIN_VALUE) {
            firstCallNanos = System.nanoTime();
        }
        boolean ok = accepting;
        (ok ? acceptedCalls : deferredCalls).incrementAndGet();
        return ok;
    }

    long calls() {
        return deferredCalls.get() + acceptedCalls.get();
    }

    long deferredCalls() {
        return deferredCalls.get();
    }

    long acceptedCalls() {
        return acceptedCalls.get();
    }

    /** {@link System#nanoTime()} of the first attempt, or {@link Long#MIN_VALUE} before it. */
    long firstCallNanos() {
        return firstCallNanos;
    }
}
