package io.postbus.loadtest.retry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicPlan;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.worker.DeliveryWorker;
import io.postbus.loadtest.auth.ProcessCpu;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * The retry tier under a million deferred jobs: the real delivery worker ({@code DeliveryWorker} on
 * {@link TransactionalStage}) against an embedded KRaft broker in this process, with a stepped clock.
 *
 * <ol>
 *   <li><b>load</b>: N delivery jobs are written to mail.deliver.default (before the worker starts).</li>
 *   <li><b>defer</b>: the worker attempts each; the remote side ({@link SwitchAgent}) says 451, so each
 *       attempt commits a retry job to mail.retry.5m and a TransientFailure event, with its offset.</li>
 *   <li><b>wait</b>: the clock stands before the tier's due time; the worker should sit with its retry
 *       partitions paused. CPU, partition pauses and attempts are measured over {@code --idle}.</li>
 *   <li><b>retry</b>: the remote side now says 250 and the clock steps past the due time; the worker
 *       drains the tier into Delivery events.</li>
 * </ol>
 *
 * Memory is sampled throughout ({@link MemorySampler}); mail.events is read {@code read_committed}
 * throughout ({@link EventTally}) and decides when a phase is over and whether anything was lost or doubled.
 *
 * <pre>java -cp "loadtest/target/classes:loadtest/target/lib/*:delivery-worker/target/classes" io.postbus.loadtest.retry.RetryBench --jobs 100000</pre>
 */
public final class RetryBench {
    static final String TIER = "5m";
    /** Postfix's tiers of deferral, as the delivery worker's defaults. */
    static final List<String> TIERS = List.of("1m", "5m", "15m", "1h", "4h");
    /** Postfix minimal_backoff_time (300 s): a first failure waits in the 5m tier. */
    static final Duration MINIMAL_BACKOFF = Duration.ofMinutes(5);
    static final Duration MAXIMAL_BACKOFF = Duration.ofHours(4);
    static final Duration MAX_LIFETIME = Duration.ofDays(5);
    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
    private static final String STAGE_THREAD = "stage-delivery-worker";
    /** After the last expected event, how long to keep reading for events that come twice. */
    private static final Duration DUPLICATE_GRACE = Duration.ofSeconds(2);

    private RetryBench() {}

    public static void main(String[] args) throws Exception {
        RetryBenchOptions options;
        try {
            options = RetryBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("RetryBench: " + e.getMessage());
            System.err.print(RetryBenchOptions.USAGE);
            System.exit(64);
            return;
        }
        RetryBenchResult result = run(options, System.err);
        System.out.print(result.text());
        if (options.resultFile().isPresent()) {
            result.appendTo(options.resultFile().get());
        }
        System.exit(result.complete() ? 0 : 1);
    }

    /** One run; progress goes to {@code log}. Everything started is stopped and deleted before it returns. */
    public static RetryBenchResult run(RetryBenchOptions options, PrintStream log) throws IOException {
        Path dir = Files.createTempDirectory("postbus-bench-retry-");
        try (MemorySampler sampler = new MemorySampler(options.sampleEvery())) {
            log.println("starting an embedded Kafka broker");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir.resolve("kafka")).build())) {
                return new Run(options, broker.bootstrapServers(), dir.resolve("kafka"), sampler, log).measure();
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** The state of one run, so that the phases read as the steps they are. */
    private static final class Run {
        private final RetryBenchOptions o;
        private final Path kafkaDir;
        private final MemorySampler sampler;
        private final PrintStream log;
        private final long deadline;
        private final Topics topics = new Topics("bench-retry.");
        private final KafkaSettings kafka;
        private final SteppedClock clock = new SteppedClock(START);
        private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        private final SwitchAgent agent = new SwitchAgent();
        private final List<PhaseFigures> phases = new ArrayList<>();
        private TransactionalStage stage;
        /** Retry-tier records the worker had consumed at the end of the wait; -1 until the wait is over. */
        private long consumedWhileWaiting = -1;

        Run(RetryBenchOptions o, String bootstrap, Path kafkaDir, MemorySampler sampler, PrintStream log) {
            this.o = o;
            this.kafkaDir = kafkaDir;
            this.sampler = sampler;
            this.log = log;
            this.deadline = System.nanoTime() + o.timeLimit().toNanos();
            KafkaSettings defaults = KafkaSettings.of(bootstrap, TopicPlan.maxMessageBytesFor(o.messageSize() + (64 << 10)));
            this.kafka = new KafkaSettings(defaults.bootstrapServers(), defaults.clientIdPrefix(), defaults.maxMessageBytes(),
                    defaults.compression(), o.clientProperties());
        }

        RetryBenchResult measure() {
            var specs = new TopicPlan(topics, o.partitions(), (short) 1, kafka.maxMessageBytes(), Duration.ofDays(7),
                    Duration.ofDays(7), List.of("default"), TIERS).specs();
            try (Admin admin = Admin.create(kafka.admin("bench-retry-admin"))) {
                new TopicAdmin(admin, Duration.ofSeconds(60)).ensure(specs);
                Offsets offsets = new Offsets(admin, topics, o.partitions());
                sampler.phase("load");
                log.printf("load: writing %d jobs to %s%n", o.jobs(), topics.deliver("default"));
                long cpu0 = ProcessCpu.nanos();
                JobWriter.Written written = JobWriter.write(kafka, topics, o, START);
                sampler.sample();
                phases.add(new PhaseFigures("load", written.jobs(), written.seconds(), (ProcessCpu.nanos() - cpu0) / 1e9,
                        0, 0, 0, sampler.stats("load")));
                Optional<String> stop = Optional.empty();
                try (EventTally tally = new EventTally(kafka, topics, topics.retry(TIER), o.partitions())) {
                    try {
                        stop = phases(tally);
                        long graceEnd = System.nanoTime() + DUPLICATE_GRACE.toNanos();
                        while (System.nanoTime() < graceEnd) {
                            sleep(Duration.ofMillis(100));
                        }
                    } finally {
                        if (stage != null) {
                            stage.close();
                        }
                    }
                    tally.close();
                    Optional<String> firstOdd = Optional.ofNullable(tally.firstUnexpected());
                    return new RetryBenchResult(o, phases, written.jobBytes(), written.messageBytes(), tally.deferred(),
                            tally.delivered(), tally.deferredTwice() + tally.deliveredTwice(), tally.unexpected(),
                            offsets.end(topics.dead()), consumedWhileWaiting, offsets.unconsumed(kafka, groupId()),
                            diskBytes(topics.deliver("default")), diskBytes(topics.retry(TIER)), diskBytes(topics.events()),
                            stop.or(() -> firstOdd));
                }
            }
        }

        private Optional<String> phases(EventTally tally) {
            // defer: the worker starts now, with every job already in its topic.
            sampler.phase("defer");
            Phase defer = new Phase();
            // The constructor postbus up uses without DSNs.
            stage = new DeliveryWorker(new StageContext(kafka, topics, "bench", clock, metrics), agent,
                    new RetrySchedule(MINIMAL_BACKOFF, MAXIMAL_BACKOFF, TIERS), MAX_LIFETIME).start();
            log.printf("defer: the worker attempts %d jobs, the remote side says 451%n", o.jobs());
            if (!await(tally, tally::deferred, "defer")) {
                phases.add(defer.end("defer", tally.deferred(), agent.firstCallNanos()));
                return Optional.of("time limit reached in the defer phase after " + tally.deferred() + " jobs");
            }
            phases.add(defer.end("defer", tally.deferred(), agent.firstCallNanos()));

            // wait: nothing is due; the worker should cost nothing.
            sampler.phase("wait");
            sampler.quiet(true);
            log.printf("wait: every job is in %s, due at %s; watching the idle worker for %s%n", topics.retry(TIER),
                    START.plus(MINIMAL_BACKOFF), o.idle());
            Phase wait = new Phase();
            sleep(o.idle());
            PhaseFigures waited = wait.end("wait", 0, Long.MIN_VALUE);
            sampler.quiet(false);
            sampler.sample();
            phases.add(waited);
            try (Admin admin = Admin.create(kafka.admin("bench-retry-lag"))) {
                consumedWhileWaiting = new Offsets(admin, topics, o.partitions()).committed(groupId(), topics.retry(TIER));
            }

            // retry: the remote side accepts now, then the clock passes the due time.
            sampler.phase("retry");
            agent.accept();
            Phase retry = new Phase();
            clock.step(MINIMAL_BACKOFF.plusSeconds(1));
            log.printf("retry: clock stepped to %s, the remote side says 250%n", clock.instant());
            boolean done = await(tally, tally::delivered, "retry");
            phases.add(retry.end("retry", tally.delivered(), Long.MIN_VALUE));
            return done ? Optional.empty()
                    : Optional.of("time limit reached in the retry phase after " + tally.delivered() + " jobs");
        }

        private boolean await(EventTally tally, LongSupplier count, String phase) {
            long next = System.nanoTime();
            while (count.getAsLong() < o.jobs()) {
                tally.requireRunning();
                if (!stage.isRunning()) {
                    Throwable cause = stage.stopped().handle((v, e) -> e).getNow(null);
                    throw new IllegalStateException("delivery-worker stage stopped: " + cause, cause);
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                if (System.nanoTime() >= next) {
                    log.printf("%s: %d of %d%n", phase, count.getAsLong(), o.jobs());
                    next = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                }
                sleep(Duration.ofMillis(20));
            }
            return true;
        }

        /** CPU and counters at a phase's start, to be subtracted at its end. */
        private final class Phase {
            final long nanos = System.nanoTime();
            final long cpu = ProcessCpu.nanos();
            final long stageCpu = stageCpuNanos();
            final double pauses = pauses();
            final long attempts = agent.calls();

            /** @param from when the phase really started, if later than this object (the first attempt) */
            PhaseFigures end(String name, long jobs, long from) {
                long endNanos = System.nanoTime();
                long start = from == Long.MIN_VALUE ? nanos : from;
                return new PhaseFigures(name, jobs, (endNanos - start) / 1e9, (ProcessCpu.nanos() - cpu) / 1e9,
                        (stageCpuNanos() - stageCpu) / 1e9, (long) (pauses() - pauses), agent.calls() - attempts,
                        sampler.stats(name));
            }
        }

        private double pauses() {
            Counter c = metrics.find("postbus.stage.records").tag("outcome", "deferred").counter();
            return c == null ? 0 : c.count();
        }

        private String groupId() {
            return topics.prefix() + "delivery-worker";
        }

        /**
         * Bytes of the log segments ({@code .log} files: the records as stored, after lz4) of {@code topic}.
         * Not the index files: the broker preallocates 10 MB for each of them, whatever the segment holds.
         */
        private long diskBytes(String topic) {
            try (Stream<Path> paths = Files.walk(kafkaDir)) {
                return paths.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".log"))
                        .filter(p -> p.getParent().getFileName().toString().matches(java.util.regex.Pattern.quote(topic) + "-\\d+"))
                        .mapToLong(p -> {
                            try {
                                return Files.size(p);
                            } catch (IOException e) {
                                return 0;
                            }
                        }).sum();
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** CPU time of the delivery worker's stage thread, 0 before it exists. */
    static long stageCpuNanos() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(STAGE_THREAD)) {
                return Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return 0;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
