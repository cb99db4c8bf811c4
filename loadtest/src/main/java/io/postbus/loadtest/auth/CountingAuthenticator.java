package io.postbus.loadtest.auth;

import io.postbus.auth.MessageAuthenticator;
import io.postbus.schemas.Envelope;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps the worker's authenticator to see the measurement from inside the stage: when the first measured
 * record reached it (and the process CPU time then), how many calls it got (more calls than records means
 * records were processed again after an aborted transaction), and the CPU time spent in the
 * authenticator itself, which separates the auth cores' cost from Kafka's.
 */
final class CountingAuthenticator implements MessageAuthenticator {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final MessageAuthenticator delegate;
    private final String measuredPrefix;
    private final AtomicLong firstMeasuredNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile long processCpuAtFirst;
    private final AtomicLong measuredCalls = new AtomicLong();
    private final AtomicLong measuredCpuNanos = new AtomicLong();

    /**
     * @param measuredPrefix queue ids of measured records start with it; warm-up records do not
     */
    CountingAuthenticator(MessageAuthenticator delegate, String measuredPrefix) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.measuredPrefix = Objects.requireNonNull(measuredPrefix, "measuredPrefix");
    }

    @Override
    public Outcome authenticate(Envelope envelope, byte[] message) {
        if (!envelope.getQueueId().startsWith(measuredPrefix)) {
            return delegate.authenticate(envelope, message);
        }
        if (firstMeasuredNanos.get() == Long.MIN_VALUE) {
            long cpu = ProcessCpu.nanos();
            if (firstMeasuredNanos.compareAndSet(Long.MIN_VALUE, System.nanoTime())) {
                processCpuAtFirst = cpu;
            }
        }
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            return delegate.authenticate(envelope, message);
        } finally {
            measuredCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuBefore);
            measuredCalls.incrementAndGet();
        }
    }

    /** {@link System#nanoTime()} when the first measured record arrived; {@link Long#MIN_VALUE} before. */
    long firstMeasuredNanos() {
        return firstMeasuredNanos.get();
    }

    long processCpuAtFirst() {
        return processCpuAtFirst;
    }

    long measuredCalls() {
        return measuredCalls.get();
    }

    /** CPU time of the stage threads inside the authenticator, over all measured calls. */
    long measuredCpuNanos() {
        return measuredCpuNanos.get();
    }
}
