package io.postbus.loadtest.runner;

import io.postbus.loadtest.generator.AcceptListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Correlates what the generator saw accepted with what reached the sink, by message id and
 * recipient. A message is delivered when every recipient its 250 covered has arrived; a
 * recipient arriving twice is a duplicate; an id the generator never saw accepted is unexpected
 * (e.g. the 250 was lost to a timeout). End-to-end latency is from the 250 to the last recipient's
 * arrival, one value per message.
 *
 * <p>Times are {@link System#nanoTime()} readings of this JVM, where both the generator and the
 * sink run. An arrival may be recorded before its accept (the generator thread was not scheduled
 * yet): it is kept until the accept comes. Thread-safe; one lock, a few microseconds per event.
 */
public final class DeliveryTracker implements AcceptListener {

    /** Latencies are recorded in microseconds, up to an hour, with 3 significant digits. */
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Map<Long, Pending> open = new HashMap<>();
    private final Map<Long, List<Arrival>> early = new HashMap<>();
    private final Set<Long> done = new HashSet<>();
    private final Histogram endToEnd = new Histogram(MAX_MICROS, 3);
    private final Histogram acceptLatency = new Histogram(MAX_MICROS, 3);
    private final List<Long> acceptTimes = new ArrayList<>();
    private final List<Long> deliveryTimes = new ArrayList<>();
    private long accepted;
    private long duplicates;
    private long bounced;
    private long unexpected;
    private long recipientArrivals;

    private static final class Pending {
        final long acceptedAt;
        final Set<String> waiting;
        boolean refused;

        Pending(long acceptedAt, List<String> recipients) {
            this.acceptedAt = acceptedAt;
            this.waiting = new HashSet<>(recipients);
        }
    }

    private record Arrival(List<String> recipients, long at, boolean refused) { }

    @Override
    public synchronized void accepted(long id, List<String> recipients, long acceptedAtNanos, long acceptLatencyNanos) {
        if (open.containsKey(id) || done.contains(id)) {
            throw new IllegalStateException("message " + id + " accepted twice: the generator reused an id");
        }
        accepted++;
        acceptTimes.add(acceptedAtNanos);
        acceptLatency.recordValue(clamp(acceptLatencyNanos));
        open.put(id, new Pending(acceptedAtNanos, recipients));
        List<Arrival> before = early.remove(id);
        if (before != null) {
            for (Arrival a : before) {
                apply(id, a);
            }
        }
        notifyAll();
    }

    /** One SMTP transaction at the sink carrying message {@code id} to {@code recipients}. */
    public synchronized void arrived(long id, List<String> recipients, long atNanos) {
        recipientArrivals += recipients.size();
        apply(id, new Arrival(List.copyOf(recipients), atNanos, false));
    }

    /**
     * The sink refused message {@code id} for {@code recipients} with a 5xx (a configured fault):
     * those recipients will bounce, not arrive, so the message is settled without a latency.
     */
    public synchronized void refusedAtSink(long id, List<String> recipients, long atNanos) {
        apply(id, new Arrival(List.copyOf(recipients), atNanos, true));
    }

    private void apply(long id, Arrival a) {
        Pending p = open.get(id);
        if (p == null) {
            if (done.contains(id)) {
                duplicates += a.refused() ? 0 : a.recipients().size();
            } else {
                early.computeIfAbsent(id, k -> new ArrayList<>()).add(a);
            }
            return;
        }
        for (String r : a.recipients()) {
            if (!p.waiting.remove(r) && !a.refused()) {
                duplicates++;
            }
        }
        p.refused |= a.refused();
        if (p.waiting.isEmpty()) {
            open.remove(id);
            done.add(id);
            if (p.refused) {
                bounced++;
            } else {
                endToEnd.recordValue(clamp(a.at() - p.acceptedAt));
                deliveryTimes.add(a.at());
            }
            notifyAll();
        }
    }

    /** A message at the sink without our id header (a bounce, a delay notice). */
    public synchronized void arrivedWithoutId() {
        unexpected++;
    }

    /** Waits until no accepted message is still waiting for a recipient, or the deadline. */
    public synchronized boolean awaitAllDelivered(long deadlineNanos) throws InterruptedException {
        while (!open.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        return true;
    }

    /** The figures so far; the histograms and time lists are copies. */
    public synchronized Outcome outcome() {
        long strays = early.values().stream().mapToLong(List::size).sum();
        return new Outcome(accepted, done.size() - bounced, bounced, open.size(), duplicates, unexpected + strays, recipientArrivals,
                endToEnd.copy(), acceptLatency.copy(), List.copyOf(acceptTimes), List.copyOf(deliveryTimes),
                open.keySet().stream().sorted().limit(20).toList());
    }

    /**
     * @param accepted       messages the generator saw accepted
     * @param delivered      of those, messages whose every recipient arrived
     * @param bounced        of those, messages the sink refused (a configured 5xx share) for some recipient
     * @param lost           accepted but not (completely) delivered
     * @param duplicates     recipient arrivals beyond the first
     * @param unexpected     arrivals without our id, or with an id never accepted
     * @param recipientArrivals recipients carried by all arrivals
     * @param endToEnd       accept → last arrival, microseconds
     * @param acceptLatency  end of data → 250, microseconds
     * @param acceptTimes    nanoTime of each accept
     * @param deliveryTimes  nanoTime of each completed delivery
     * @param someLost       up to 20 lost ids, for the report
     */
    public record Outcome(long accepted, long delivered, long bounced, long lost, long duplicates, long unexpected, long recipientArrivals,
                          Histogram endToEnd, Histogram acceptLatency, List<Long> acceptTimes, List<Long> deliveryTimes,
                          List<Long> someLost) { }

    private static long clamp(long nanos) {
        return Math.max(0, Math.min(MAX_MICROS, TimeUnit.NANOSECONDS.toMicros(nanos)));
    }
}
