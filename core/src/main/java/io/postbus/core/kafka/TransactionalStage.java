package io.postbus.core.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.postbus.core.error.TransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
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
 * A crash anywhere moves each record exactly once between Kafka topics. A {@link PlannedProcessor}
 * runs the same loop with its records' blocking work on a pool, the whole batch at once.
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
    private final PlannedProcessor processor;
    /** Where planned work runs; null for a {@link StageProcessor}, which does all its work while planning. */
    private final WorkPool pool;
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
        // Everything is decided while planning: the batch is processed record by record, as ever.
        this(spec, kafka, rec -> Plan.decided(processor.process(rec)), null, deadTopic, clock, metrics);
    }

    /**
     * A stage whose records' blocking work runs on {@code concurrency} threads at once, batch by
     * batch: see {@link PlannedProcessor}.
     */
    public TransactionalStage(StageSpec spec, KafkaSettings kafka, PlannedProcessor processor, int concurrency,
                              String deadTopic, Clock clock, MeterRegistry metrics) {
        this(spec, kafka, processor, new WorkPool(spec.name(), concurrency), deadTopic, clock, metrics);
    }

    private TransactionalStage(StageSpec spec, KafkaSettings kafka, PlannedProcessor processor, WorkPool pool,
                               String deadTopic, Clock clock, MeterRegistry metrics) {
        this.spec = spec;
        this.kafka = kafka;
        this.processor = processor;
        this.pool = pool;
        this.deadTopic = deadTopic;
        this.clock = clock;
        this.thread = new Thread(this::run, "stage-" + spec.name());
        this.processed = metrics.counter("postbus.stage.records", "stage", spec.name(), "outcome", "processed");
        this.deadLettered = metrics.counter("postbus.stage.records", "stage", spec.name(), "outcome", "dead");
        this.deferred = metrics.counter("postbus.stage.records", "stage", spec.name(), "outcome", "deferred");
        this.aborted = metrics.counter("postbus.stage.transactions.aborted", "stage", spec.name());
        if (pool != null) {
            metrics.gauge("postbus.stage.work.active", List.of(Tag.of("stage", spec.name())),
                    pool, WorkPool::active);
        }
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
        // The batch must be committed before max.poll.interval runs out, or the group moves its
        // partitions and the commit fails: work still running at three quarters of it is given up.
        long deadline = System.nanoTime() + spec.maxPollInterval().toNanos() / 4 * 3;
        StageBatch batch = new StageBatch();
        Map<TopicPartition, List<Step>> steps = plan(records, batch);
        if (pool != null) {
            List<Future<Callable<StageResult>>> tasks = new ArrayList<>();
            steps.values().forEach(list -> list.stream().filter(s -> s.work() != null).forEach(s -> tasks.add(s.work())));
            try {
                WorkPool.awaitAll(tasks, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        complete(steps, batch);
        if (!batch.offsets.isEmpty()) {
            commit(batch);
        }
    }

    /** One planned record: its result, or the work under way that will give it. */
    private record Step(ConsumerRecord<byte[], byte[]> rec, StageResult result, Future<Callable<StageResult>> work) {}

    /**
     * Phase 1, on this thread in offset order: plan each record, starting its work on the pool at
     * once. A partition is planned no further than its first Defer: the records behind it are
     * fetched again once it is resumed.
     */
    private Map<TopicPartition, List<Step>> plan(ConsumerRecords<byte[], byte[]> records, StageBatch batch) {
        Map<TopicPartition, List<Step>> steps = new LinkedHashMap<>();
        partitions:
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> recs = records.records(tp);
            batch.firstOffsets.put(tp, recs.get(0).offset());
            List<Step> planned = new ArrayList<>();
            steps.put(tp, planned);
            // Whether every step planned so far in this partition was decided: a flag, not a scan of
            // the steps per record, which made planning quadratic in the batch size.
            boolean allDecided = true;
            for (ConsumerRecord<byte[], byte[]> rec : recs) {
                if (!running) {
                    break partitions; // commit what is done; the rest stays for the next owner
                }
                Plan plan = planOne(rec);
                if (plan instanceof Plan.Work<?> work) {
                    planned.add(new Step(rec, null, pool.submit(work)));
                    allDecided = false;
                    continue;
                }
                StageResult result = ((Plan.Decided) plan).result();
                if (result instanceof StageResult.Emit && allDecided) {
                    // Consumed for sure: a later failure of this partition backs off from the start
                    // again, as when every record was processed before the next one was looked at.
                    failures.remove(tp);
                }
                planned.add(new Step(rec, result, null));
                if (result instanceof StageResult.Defer) {
                    continue partitions;
                }
            }
        }
        return steps;
    }

    /**
     * Phase 3, on this thread in offset order: each record's result, its work's completion run
     * here. A partition is consumed up to its first Defer (planned, or a transient failure of the
     * work), rewound to that record and paused; what its later records' work did is not committed
     * and is done again (at-least-once for the outside world, exactly-once between topics).
     */
    private void complete(Map<TopicPartition, List<Step>> steps, StageBatch batch) {
        for (var entry : steps.entrySet()) {
            TopicPartition tp = entry.getKey();
            for (Step step : entry.getValue()) {
                StageResult result = step.result() != null ? step.result() : finish(step);
                if (result instanceof StageResult.Defer d) {
                    consumer.seek(tp, step.rec().offset());
                    pause(tp, d.until());
                    deferred.increment();
                    break;
                }
                batch.consume(tp, step.rec(), (StageResult.Emit) result);
                failures.remove(tp);
            }
        }
    }

    private Plan planOne(ConsumerRecord<byte[], byte[]> rec) {
        if (poisoned.contains(coordinates(rec))) {
            return Plan.decided(deadLetter(rec, new RecordTooLargeException("an output of this record was refused by the broker")));
        }
        try {
            return Objects.requireNonNull(processor.plan(rec), "plan");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (Exception e) {
            return Plan.decided(failed(rec, e));
        }
    }

    /** A finished (or given up) task's outcome, completed on this thread. */
    private StageResult finish(Step step) {
        try {
            return Objects.requireNonNull(WorkPool.completion(step.work()).call(), "completion result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (Exception e) {
            return failed(step.rec(), e);
        }
    }

    /** Transient: retry the record after a backoff that grows per partition; anything else: dead letter. */
    private StageResult failed(ConsumerRecord<byte[], byte[]> rec, Exception e) {
        if (!(e instanceof TransientException)) {
            return deadLetter(rec, e);
        }
        TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
        Duration backoff = backoff(failures.merge(tp, 1, Integer::sum));
        log.warn("stage {}: transient failure on {}-{}@{}, retrying in {}: {}", spec.name(), rec.topic(),
                rec.partition(), rec.offset(), backoff, e.getMessage());
        return new StageResult.Defer(clock.instant().plus(backoff));
    }

    private StageResult deadLetter(ConsumerRecord<byte[], byte[]> rec, Throwable error) {
        log.error("stage {}: dead-lettering {}-{}@{}: {}", spec.name(), rec.topic(), rec.partition(), rec.offset(), error.toString());
        deadLettered.increment();
        return StageResult.emit(DeadLetters.of(deadTopic, spec.name(), rec, error, clock.instant()));
    }

    private void commit(StageBatch batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = batch.offsets;
        Map<TopicPartition, Long> firstOffsets = batch.firstOffsets;
        // Only the first refusal is the record's own: once a transaction has failed, the producer
        // fails its other pending sends with that same RecordTooLargeException.
        AtomicReference<ConsumerRecord<byte[], byte[]>> refused = new AtomicReference<>();
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> out : batch.outputs) {
                producer.send(out, (meta, err) -> {
                    if (err instanceof RecordTooLargeException) {
                        refused.compareAndSet(null, batch.sourceOf.get(out));
                    }
                });
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            processed.increment(batch.consumed); // input records, not partitions: the counter is per record
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
        } catch (ProducerFencedException fenced) {
            // The failed transaction was an old epoch's (InvalidProducerEpochException) because a
            // replacement has our transactional id: a new producer would fence the replacement back.
            throw fenced;
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
        if (pool != null) {
            pool.shutdown(); // by now every task has ended, or been given up at its batch's deadline
        }
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
