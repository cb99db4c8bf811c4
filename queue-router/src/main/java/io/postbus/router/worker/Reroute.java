package io.postbus.router.worker;

import io.postbus.core.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Recipients deferred at routing wait in {@code mail.reroute}: the ScoredMail again, its envelope cut
 * down to those recipients, and headers saying when to try again, how often it was tried, which
 * recipients are already rewritten and the last error. Every record there waits the same delay, so
 * the head of each partition is always the first one due, and the consumer pauses only that
 * partition until then (the retry tiers' design). The topic is not {@code mail.retry.*}: delivery
 * workers subscribe to that pattern and would take these records for delivery jobs.
 */
final class Reroute {
    static final String NOT_BEFORE = "postbus.route.not.before";
    static final String ATTEMPT = "postbus.route.attempt";
    static final String REWRITTEN = "postbus.route.rewritten";
    static final String LAST_ERROR = "postbus.route.last.error";

    private Reroute() {}

    static String topic(Topics topics) {
        return topics.prefix() + "mail.reroute";
    }

    static void write(ProducerRecord<byte[], byte[]> out, Instant notBefore, int attempt, Set<String> rewritten,
                      String lastError) {
        put(out.headers(), NOT_BEFORE, Long.toString(notBefore.toEpochMilli()));
        put(out.headers(), ATTEMPT, Integer.toString(attempt));
        rewritten.forEach(a -> put(out.headers(), REWRITTEN, a));
        put(out.headers(), LAST_ERROR, lastError);
    }

    /** When a rerouted record is due; the epoch for a record without the header (never wait). */
    static Instant notBefore(ConsumerRecord<byte[], byte[]> rec) {
        String v = last(rec.headers(), NOT_BEFORE);
        return v == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(v));
    }

    /** Routing attempts made so far: 1 after the first deferral. */
    static int attempt(ConsumerRecord<byte[], byte[]> rec) {
        String v = last(rec.headers(), ATTEMPT);
        return v == null ? 0 : Integer.parseInt(v);
    }

    static Set<String> rewritten(ConsumerRecord<byte[], byte[]> rec) {
        Set<String> out = new LinkedHashSet<>();
        for (Header h : rec.headers().headers(REWRITTEN)) {
            out.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String lastError(ConsumerRecord<byte[], byte[]> rec) {
        String v = last(rec.headers(), LAST_ERROR);
        return v == null ? "" : v;
    }

    private static String last(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
