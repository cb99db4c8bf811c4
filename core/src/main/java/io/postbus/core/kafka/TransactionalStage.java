package io.postbus.core.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.postbus.core.error.TransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's transactional consume → process → produce loop, one thread per stage instance:
 * poll a batch ({@code read_committed}), run the {@link StageProcessor} on each record, then produce
 * every output and commit the input offsets in one transaction ({@code sendOffsetsToTransaction}).
 * A crash anywhere moves each record exactly once between Kafka topics.
 *
 * <ul>
 *   <li>Transient processing errors and {@link StageResult.Defer} pause only that record's
 *       partition (back-pressure without head-of-line blocking) and rewind it to the record.</li>
 *   <li>Any other processing error, and an output the broker rejects for good (too large),
 *       dead-letters the input with provenance headers; the loop goes on.</li>
 *   <li>A failed transaction is aborted and its partitions rewound; fencing, authorization and
 *       version errors are fatal and stop the stage (another instance has taken over).</li>
 * </ul>
 */
public final class TransactionalStage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TransactionalStage.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final StageSpec spec;
    private final KafkaSettings kafka;
    private final StageProcessor processor;
    private final String deadTopic;
    private final Clock clock;
    private final Thread thread;
    private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
    private final Map<TopicPartition, Integer> failures = new HashMap<>();
    /**
     * Inputs whose outputs the broker refused for good: dead-lettered whenever they come round again,
     * until a transaction with their dead letter commits (that one may fail too, for another record).
     */
    private final Set<String> poisoned = new HashSet<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Counter processed;
    private final Counter deadLettered;
    private final Counter deferred;
    private final Counter aborted;
    private volatile boolean running = true;
    private volatile boolean assigned;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;

    public TransactionalStage(StageSpec spec, KafkaSettings kafka, StageProcessor processor, String deadTopic,
                              Clock clock, MeterRegistry metrics) {
        this.spec = spec;
        this.kafka = kafka;
        this.processor = processor;
        this.deadTopic = deadTopic;
        this.clock = clock;
        this.thread = new Thread(this::run, "stage-" + spec.name());
        this.processed = metrics.counter("postbus.stage.records", "stage", spec.name(), "outcome", "processed");
        this.deadLettered = metrics.counter("postbus.stage.records", "stage", spec.name(), "outcome", "dead");
        this.deferred = metrics.counter("postbus.stage.records", "stage", spec.name(), "outcome", "deferred");
        this.aborted = metrics.counter("postbus.stage.transactions.aborted", "stage", spec.name());
    }

    public TransactionalStage start() {
        thread.start();
        return this;
    }

    /** True while the loop runs; false after a fatal error or {@link #close()}. */
    public boolean isRunning() {
        return running && !stopped.isDone();
    }

    /** True once the group has given this instance its partitions at least once. */
    public boolean hasAssignment() {
        return assigned;
    }

    public String name() {
        return spec.name();
    }

    /** Completes when the loop has ended and the clients are closed; exceptionally after a fatal error. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    private void run() {
        try {
            consumer = new KafkaConsumer<>(kafka.consumer(spec.name() + "-" + spec.instanceId(), spec.groupId(),
                    spec.maxPollRecords(), (int) spec.maxPollInterval().toMillis()));
            producer = newProducer();
            subscribe();
            while (running) {
                pollOnce();
            }
            stopped.complete(null);
        } catch (WakeupException e) {
            stopped.complete(null); // close() woke us: a normal end
        } catch (Throwable t) {
            log.error("stage {} stopped by a fatal error", spec.name(), t);
            stopped.completeExceptionally(t);
        } finally {
            running = false;
            closeQuietly();
        }
    }

    /**
     * A transactional producer, ready. While the broker is unreachable {@code initTransactions}
     * times out; that is an outage to wait out, not a reason to stop the stage for good (in
     * {@code postbus up} nothing would restart it). Fencing and authorization errors stay fatal.
     */
    private KafkaProducer<byte[], byte[]> newProducer() {
        int attempt = 0;
        while (true) {
            KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                    kafka.transactionalProducer(spec.name() + "-" + spec.instanceId(), spec.transactionalId()));
            try {
                p.initTransactions();
                return p;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                p.close(Duration.ZERO);
                if (!running) {
                    throw new WakeupException();
                }
                Duration wait = backoff(++attempt);
                log.warn("stage {}: broker not reachable for initTransactions, retrying in {}: {}", spec.name(), wait, e.getMessage());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new WakeupException();
                }
            }
        }
    }

    private void subscribe() {
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // Batches are committed before the next poll, so nothing is in flight here.
                forget(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assigned = true;
                log.debug("stage {} assigned {}", spec.name(), partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                forget(partitions);
            }
        };
        if (spec.topicPattern() != null) {
            consumer.subscribe(spec.topicPattern(), listener);
        } else {
            consumer.subscribe(spec.topics(), listener);
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        pausedUntil.keySet().removeAll(partitions);
        failures.keySet().removeAll(partitions);
    }

    private void pollOnce() {
        Duration timeout = resumeDuePartitions();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        if (!records.isEmpty()) {
            processBatch(records);
        }
    }

    /** Resumes partitions whose pause has run out; returns how long the next poll may wait. */
    private Duration resumeDuePartitions() {
        Instant now = clock.instant();
        Duration wait = POLL_TIMEOUT;
        List<TopicPartition> due = new ArrayList<>();
        for (var e : pausedUntil.entrySet()) {
            if (!e.getValue().isAfter(now)) {
                due.add(e.getKey());
            } else {
                Duration left = Duration.between(now, e.getValue());
                if (left.compareTo(wait) < 0) {
                    wait = left;
                }
            }
        }
        if (!due.isEmpty()) {
            due.forEach(pausedUntil::remove);
            due.retainAll(consumer.assignment());
            consumer.resume(due);
        }
        return wait;
    }

    private void processBatch(ConsumerRecords<byte[], byte[]> records) {
        List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>();
        // By identity: two inputs may well produce equal output records.
        Map<ProducerRecord<byte[], byte[]>, ConsumerRecord<byte[], byte[]>> sourceOf = new IdentityHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        int consumed = 0;

        partitions:
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> recs = records.records(tp);
            firstOffsets.put(tp, recs.get(0).offset());
            for (ConsumerRecord<byte[], byte[]> rec : recs) {
                if (!running) {
                    break partitions; // commit what is done; the rest stays for the next owner
                }
                StageResult result = processOne(rec);
                if (result instanceof StageResult.Defer d) {
                    consumer.seek(tp, rec.offset());
                    pause(tp, d.until());
                    deferred.increment();
                    continue partitions;
                }
                for (ProducerRecord<byte[], byte[]> out : ((StageResult.Emit) result).records()) {
                    outputs.add(out);
                    sourceOf.put(out, rec);
                }
                offsets.put(tp, new OffsetAndMetadata(rec.offset() + 1));
                consumed++;
                failures.remove(tp);
            }
        }
        if (!offsets.isEmpty()) {
            commit(outputs, sourceOf, offsets, firstOffsets, consumed);
        }
    }

    private StageResult processOne(ConsumerRecord<byte[], byte[]> rec) {
        if (poisoned.contains(coordinates(rec))) {
            return deadLetter(rec, new RecordTooLargeException("an output of this record was refused by the broker"));
        }
        try {
            return processor.process(rec);
        } catch (TransientException e) {
            TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
            Duration backoff = backoff(failures.merge(tp, 1, Integer::sum));
            log.warn("stage {}: transient failure on {}-{}@{}, retrying in {}: {}", spec.name(), rec.topic(),
                    rec.partition(), rec.offset(), backoff, e.getMessage());
            return new StageResult.Defer(clock.instant().plus(backoff));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (Exception e) {
            return deadLetter(rec, e);
        }
    }

    private StageResult deadLetter(ConsumerRecord<byte[], byte[]> rec, Throwable error) {
        log.error("stage {}: dead-lettering {}-{}@{}: {}", spec.name(), rec.topic(), rec.partition(), rec.offset(), error.toString());
        deadLettered.increment();
        return StageResult.emit(DeadLetters.of(deadTopic, spec.name(), rec, error, clock.instant()));
    }

    private void commit(List<ProducerRecord<byte[], byte[]>> outputs,
                        Map<ProducerRecord<byte[], byte[]>, ConsumerRecord<byte[], byte[]>> sourceOf,
                        Map<TopicPartition, OffsetAndMetadata> offsets, Map<TopicPartition, Long> firstOffsets,
                        int consumed) {
        // Only the first refusal is the record's own: once a transaction has failed, the producer
        // fails its other pending sends with that same RecordTooLargeException.
        AtomicReference<ConsumerRecord<byte[], byte[]>> refused = new AtomicReference<>();
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> out : outputs) {
                producer.send(out, (meta, err) -> {
                    if (err instanceof RecordTooLargeException) {
                        refused.compareAndSet(null, sourceOf.get(out));
                    }
                });
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            processed.increment(consumed); // input records, not partitions: the counter is per record
            if (!poisoned.isEmpty()) {
                offsets.forEach((tp, next) -> poisoned.removeIf(c -> isBefore(c, tp, next.offset())));
            }
        } catch (ProducerFencedException
                 | InvalidConfigurationException e) {
            throw e; // fatal: another instance owns our transactional id, or the cluster forbids us (authorization and unsupported-version errors are configuration errors)
        } catch (KafkaException e) {
            aborted.increment();
            log.warn("stage {}: transaction failed, aborting and rewinding: {}", spec.name(), e.toString());
            boolean recreated = abortOrRecreate();
            ConsumerRecord<byte[], byte[]> tooLarge = refused.get();
            if (tooLarge != null) {
                poisoned.add(coordinates(tooLarge));
            }
            // When the abort failed, the transaction may have committed after all: a commit that
            // timed out can still complete, and the new producer's initTransactions finishes it.
            // Resume from what is committed then, or the batch would be produced twice.
            Map<TopicPartition, OffsetAndMetadata> committed =
                    recreated ? consumer.committed(firstOffsets.keySet()) : Map.of();
            for (var entry : firstOffsets.entrySet()) {
                OffsetAndMetadata done = committed.get(entry.getKey());
                consumer.seek(entry.getKey(), done != null ? done.offset() : entry.getValue());
                if (tooLarge == null) { // a refused record retries at once, as a dead letter
                    pause(entry.getKey(), clock.instant().plus(backoff(failures.merge(entry.getKey(), 1, Integer::sum))));
                }
            }
        }
    }

    /** Returns true when the producer had to be recreated, leaving the old transaction's outcome open. */
    private boolean abortOrRecreate() {
        try {
            producer.abortTransaction();
            return false;
        } catch (KafkaException abortFailed) {
            log.warn("stage {}: abort failed, recreating the producer: {}", spec.name(), abortFailed.toString());
            producer.close(Duration.ofSeconds(5));
            producer = newProducer();
            return true;
        }
    }

    private void pause(TopicPartition tp, Instant until) {
        consumer.pause(List.of(tp));
        pausedUntil.merge(tp, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    private static Duration backoff(int failuresSoFar) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(failuresSoFar - 1, 20);
        return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
    }

    private static String coordinates(ConsumerRecord<?, ?> r) {
        return r.topic() + "/" + r.partition() + "/" + r.offset();
    }

    /** True when {@code coordinates} name a record of {@code tp} below {@code offset}. */
    private static boolean isBefore(String coordinates, TopicPartition tp, long offset) {
        String prefix = tp.topic() + "/" + tp.partition() + "/";
        return coordinates.startsWith(prefix) && Long.parseLong(coordinates.substring(prefix.length())) < offset;
    }

    private void closeQuietly() {
        try {
            if (consumer != null) {
                consumer.close(); // leaves the group at once, so partitions move without waiting for a timeout
            }
        } catch (RuntimeException e) {
            log.debug("closing consumer of {}", spec.name(), e);
        }
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        } catch (RuntimeException e) {
            log.debug("closing producer of {}", spec.name(), e);
        }
    }

    /** Graceful stop: finish and commit the current batch, leave the group, close the clients. */
    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            stopped.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("stage {} ended with {}", spec.name(), e.toString());
        }
    }
}
