package io.postbus.loadtest.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one session, or all of them added up, saw: the end-of-data to reply latency of every
 * accepted message, the replies that were not 2xx by code, and connection trouble. Not
 * thread-safe: each session owns one, and the runner adds them up after the sessions ended.
 */
final class SessionStats {

    /** End-of-data to final reply, in microseconds; three significant digits, grows as needed. */
    final Histogram latencyMicros = new Histogram(3);
    /** MAIL FROM to its reply: where a server that throttles input (Postfix's in_flow_delay) waits. */
    final Histogram mailMicros = new Histogram(3);
    /** MAIL FROM sent to the final reply read: the whole transaction of an accepted message. */
    final Histogram transactionMicros = new Histogram(3);
    final Map<Integer, Long> rejectedByCode = new TreeMap<>();
    long accepted;
    long ioErrors;
    long connections;
    String lastError;

    void accepted(long endOfDataNanos, long transactionNanos) {
        accepted++;
        latencyMicros.recordValue(micros(endOfDataNanos));
        transactionMicros.recordValue(micros(transactionNanos));
    }

    void mailReply(long nanos) {
        mailMicros.recordValue(micros(nanos));
    }

    private static long micros(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos));
    }

    void rejected(SmtpReply reply) {
        rejectedByCode.merge(reply.code(), 1L, Long::sum);
        lastError = reply.lastLine();
    }

    void ioError(Exception e) {
        ioErrors++;
        lastError = e.toString();
    }

    long rejectedTotal() {
        return rejectedByCode.values().stream().mapToLong(Long::longValue).sum();
    }

    void add(SessionStats other) {
        latencyMicros.add(other.latencyMicros);
        mailMicros.add(other.mailMicros);
        transactionMicros.add(other.transactionMicros);
        other.rejectedByCode.forEach((code, n) -> rejectedByCode.merge(code, n, Long::sum));
        accepted += other.accepted;
        ioErrors += other.ioErrors;
        connections += other.connections;
        if (other.lastError != null) {
            lastError = other.lastError;
        }
    }
}
