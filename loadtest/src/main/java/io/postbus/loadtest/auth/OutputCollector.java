package io.postbus.loadtest.auth;

import io.postbus.core.kafka.DeadLetters;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.schemas.AuthenticatedMail;
import io.postbus.schemas.QuarantinedMail;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Reads what the worker committed ({@code read_committed}, so an aborted transaction's records never
 * count) from mail.authenticated, and, to say where missing records went, from mail.quarantine and
 * mail.dead. Records are told apart by key (the queue id). Partitions are assigned, not subscribed:
 * no consumer group, nothing to wait for, and it can start before the first output exists.
 */
final class OutputCollector implements AutoCloseable {
    private static final AvroCodec<AuthenticatedMail> AUTHENTICATED = AvroCodec.of(AuthenticatedMail.class);
    private static final AvroCodec<QuarantinedMail> QUARANTINED = AvroCodec.of(QuarantinedMail.class);
    private static final int SAMPLES = 3;

    /** What came out for the records whose queue ids start with one prefix. */
    static final class Tally {
        final String prefix;
        final Set<String> authenticated = new HashSet<>();
        long duplicates;
        long quarantined;
        long dead;
        long problems;
        String firstProblem;
        final List<byte[]> samples = new ArrayList<>();
        /** {@link System#nanoTime()} of the first poll that returned an output, and how many it returned. */
        long firstArrivalNanos = Long.MIN_VALUE;
        long firstPollCount;
        long lastArrivalNanos = Long.MIN_VALUE;

        Tally(String prefix) {
            this.prefix = prefix;
        }

        long accountedFor() {
            return authenticated.size() + quarantined + dead;
        }

        void problem(String what) {
            problems++;
            if (firstProblem == null) {
                firstProblem = what;
            }
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;
    private final Function<AuthenticatedMail, Optional<String>> check;

    OutputCollector(KafkaSettings kafka, Topics topics, Function<AuthenticatedMail, Optional<String>> check) {
        this.topics = topics;
        this.check = check;
        // The group id is never used (no subscribe, no commit), but read_committed needs none either.
        this.consumer = new KafkaConsumer<>(kafka.consumer("bench-collector", topics.prefix() + "bench-collector",
                500, 300_000));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.authenticated(), topics.quarantine(), topics.dead())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls until {@code tally} accounts for {@code expected} records or the deadline passes.
     *
     * @param alive      called between polls; throws when the worker has died, so nobody waits for it
     * @param onComplete run the moment the last record is seen (to read clocks before anything else)
     * @return true when all were accounted for
     */
    boolean await(Tally tally, long expected, long deadlineNanos, Runnable alive, Runnable onComplete) {
        while (tally.accountedFor() < expected) {
            if (System.nanoTime() > deadlineNanos) {
                return false;
            }
            alive.run();
            poll(tally, Duration.ofMillis(100));
        }
        onComplete.run();
        return true;
    }

    /** One poll; records of other prefixes (an earlier phase) are skipped. */
    void poll(Tally tally, Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        long now = System.nanoTime();
        long before = tally.authenticated.size() + tally.duplicates;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
            if (!id.startsWith(tally.prefix)) {
                continue;
            }
            if (r.topic().equals(topics.authenticated())) {
                if (!tally.authenticated.add(id)) {
                    tally.duplicates++;
                    continue;
                }
                AuthenticatedMail out = AUTHENTICATED.decode(r.value());
                check.apply(out).ifPresent(p -> tally.problem(id + ": " + p));
                if (tally.samples.size() < SAMPLES) {
                    tally.samples.add(bytes(out.getMessage()));
                }
            } else if (r.topic().equals(topics.quarantine())) {
                tally.quarantined++;
                tally.problem(id + " quarantined: " + QUARANTINED.decode(r.value()).getReason());
            } else {
                tally.dead++;
                Header why = r.headers().lastHeader(DeadLetters.EXCEPTION_MESSAGE);
                tally.problem(id + " dead-lettered: " + (why == null ? "?" : new String(why.value(), StandardCharsets.UTF_8)));
            }
        }
        long arrived = tally.authenticated.size() + tally.duplicates - before;
        if (arrived > 0) {
            if (tally.firstArrivalNanos == Long.MIN_VALUE) {
                tally.firstArrivalNanos = now;
                tally.firstPollCount = arrived;
            }
            tally.lastArrivalNanos = now;
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
