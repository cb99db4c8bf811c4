package io.postbus.loadtest.runner;

import io.postbus.loadtest.generator.LoadMessage;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SinkPolicy;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sink's answer at end of data for a configured share of messages, chosen by message id so
 * the choice is the same for every system under test: a 451 for the first attempt only (the MTA
 * must retry; RFC 5321 §4.2.5 says a 4yz is transient), a 550 for good (the MTA must bounce).
 * Messages without a load-test id (bounces) are always accepted.
 *
 * @param deferPerMille  ids deferred once, 0..1000 per thousand
 * @param rejectPerMille ids refused, 0..1000 per thousand, disjoint from the deferred ones
 */
public record SinkFaults(int deferPerMille, int rejectPerMille) {

    public static final String DEFER_REPLY = "451 4.3.0 load test: try again later";
    public static final String REJECT_REPLY = "550 5.7.1 load test: refused";

    public SinkFaults {
        if (deferPerMille < 0 || rejectPerMille < 0 || deferPerMille + rejectPerMille > 1000) {
            throw new IllegalArgumentException("shares must be >= 0 and add up to at most 1000 per mille");
        }
    }

    public static SinkFaults none() {
        return new SinkFaults(0, 0);
    }

    /** Whether message {@code id} is one the sink refuses for good. */
    public boolean rejects(long id) {
        long slot = slot(id);
        return slot >= deferPerMille && slot < deferPerMille + rejectPerMille;
    }

    /** Whether message {@code id} is deferred on its first attempt. */
    public boolean defers(long id) {
        return slot(id) < deferPerMille;
    }

    /** The policy; {@code onReject} hears of each refused message (on the event loop). */
    public SinkPolicy policy(java.util.function.BiConsumer<Long, ReceivedMessage> onReject) {
        return policy(onReject, () -> true);
    }

    /** The policy, answering faults only while {@code active} says so (not during a warm-up). */
    public SinkPolicy policy(java.util.function.BiConsumer<Long, ReceivedMessage> onReject, java.util.function.BooleanSupplier active) {
        if (deferPerMille == 0 && rejectPerMille == 0) {
            return SinkPolicy.acceptAll();
        }
        Set<Long> deferredOnce = ConcurrentHashMap.newKeySet();
        return SinkPolicy.acceptAll().withEndOfData(m -> {
            OptionalLong id = LoadMessage.id(m.data());
            if (id.isEmpty() || !active.getAsBoolean()) {
                return null;
            }
            long i = id.getAsLong();
            if (rejects(i)) {
                onReject.accept(i, m);
                return REJECT_REPLY;
            }
            // One deferral per id and recipient list: a split message's parts are deferred apiece.
            if (defers(i) && deferredOnce.add(i * 31 + m.recipients().hashCode())) {
                return DEFER_REPLY;
            }
            return null;
        });
    }

    /** An even spread of ids over 0..999 that does not follow the id order (a multiplicative hash). */
    private static long slot(long id) {
        return Long.remainderUnsigned(id * 0x9E3779B97F4A7C15L >>> 11, 1000);
    }
}
