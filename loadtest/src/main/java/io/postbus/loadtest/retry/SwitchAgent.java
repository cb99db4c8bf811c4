package io.postbus.loadtest.retry;

import io.postbus.delivery.core.DeliveryAgent;
import io.postbus.delivery.core.DeliveryReport;
import io.postbus.delivery.core.DeliveryReport.Outcome;
import io.postbus.delivery.core.DeliveryRequest;
import io.postbus.delivery.core.RemoteReply;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The remote MTA's answers, without a network: 451 4.7.1 (greylisted) while the switch is off, 250 once
 * it is on. What the delivery worker does with either answer (the retry job, the events, the one
 * transaction with the offsets) is the real code; only the SMTP conversation is left out, so the
 * benchmark measures the queue and not loopback TCP. Safe from the worker's many delivery threads, as
 * {@link DeliveryAgent} requires; counted for the figures.
 */
final class SwitchAgent implements DeliveryAgent {
    private static final RemoteReply GREYLISTED = new RemoteReply(451, "4.7.1", "4.7.1 Greylisted, try again later");
    private static final RemoteReply QUEUED = new RemoteReply(250, "2.0.0", "2.0.0 Ok: queued");

    private volatile boolean accepting;
    private final AtomicLong deferredCalls = new AtomicLong();
    private final AtomicLong acceptedCalls = new AtomicLong();
    private final AtomicLong firstCallNanos = new AtomicLong(Long.MIN_VALUE);

    @Override
    public DeliveryReport deliver(DeliveryRequest request) {
        boolean ok = attempt();
        return DeliveryReport.all(request, ok ? Outcome.DELIVERED : Outcome.DEFERRED, ok ? QUEUED : GREYLISTED, 0L);
    }

    @Override
    public String toString() {
        return "SwitchAgent";
    }

    /** From now on the remote side says 250. */
    void accept() {
        accepting = true;
    }

    /** One attempt; true for 250, false for 451. */
    boolean attempt() {
        firstCallNanos.compareAndSet(Long.MIN_VALUE, System.nanoTime());
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
        return firstCallNanos.get();
    }
}
