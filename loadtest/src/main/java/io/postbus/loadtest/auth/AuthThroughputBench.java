package io.postbus.loadtest.auth;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.auth.AuthWorker;
import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicPlan;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * End-to-end throughput of the auth-worker: the real {@link AuthWorker} with the real authenticator
 * ({@link io.postbus.auth.AuthSetup}), consuming mail.received and producing mail.authenticated through
 * Kafka transactions, as {@code postbus up} runs it.
 *
 * <p>The run: start an embedded broker (or use {@code --bootstrap-servers}), create topics under a fresh
 * prefix, start the workers and wait for their partitions, put the warm-up records through, then commit
 * the measured records in one transaction and time them from the first one reaching the authenticator to
 * the last one read back from mail.authenticated ({@code read_committed}). Records are counted by queue
 * id, so a lost or doubled record is reported, and each output's verdicts are checked.
 *
 * <pre>java -cp loadtest/target/classes:loadtest/target/lib/* io.postbus.loadtest.auth.AuthThroughputBench --mode inbound</pre>
 */
public final class AuthThroughputBench {
    static final String WARMUP_PREFIX = "w-";
    static final String MEASURED_PREFIX = "m-";
    /** Message indexes of warm-up records start here, so no warm-up body equals a measured one. */
    private static final long WARMUP_INDEX = 10_000_000L;
    /** After the last expected record, how long to keep reading for records that come twice. */
    private static final Duration DUPLICATE_GRACE = Duration.ofMillis(500);

    private AuthThroughputBench() {}

    public static void main(String[] args) throws Exception {
        AuthBenchOptions options;
        try {
            options = AuthBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("AuthThroughputBench: " + e.getMessage());
            System.err.print(AuthBenchOptions.USAGE);
            System.exit(64);
            return;
        }
        AuthBenchResult result = run(options, System.err);
        System.out.print(result.text());
        if (options.resultFile().isPresent()) {
            result.appendTo(options.resultFile().get());
        }
        System.exit(result.complete() ? 0 : 1);
    }

    /** One run; progress goes to {@code log}. Everything started is stopped and deleted before it returns. */
    public static AuthBenchResult run(AuthBenchOptions options, PrintStream log) throws IOException {
        Path dir = Files.createTempDirectory("postbus-bench-auth-");
        try {
            Clock clock = Clock.systemUTC();
            Path keys = Files.createDirectory(dir.resolve("keys"));
            AuthScenario scenario = AuthScenario.create(options.mode(), keys, options.bodySize(),
                    options.publicSuffixList(), clock);
            EmbeddedKafkaBroker broker = null;
            if (options.bootstrapServers().isEmpty()) {
                log.println("starting an embedded Kafka broker");
                broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir.resolve("kafka")).build());
            }
            try {
                String bootstrap = broker != null ? broker.bootstrapServers() : options.bootstrapServers().get();
                return measure(options, scenario, bootstrap, broker != null, clock, log);
            } finally {
                if (broker != null) {
                    broker.close();
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static AuthBenchResult measure(AuthBenchOptions options, AuthScenario scenario, String bootstrap,
                                           boolean embedded, Clock clock, PrintStream log) {
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        Topics topics = new Topics("bench-auth-" + System.currentTimeMillis() + ".");
        KafkaSettings kafka = KafkaSettings.of(bootstrap, TopicPlan.maxMessageBytesFor(options.bodySize() + (64 << 10)));
        List<TopicSpec> specs = new TopicPlan(topics, options.partitions(), (short) 1,
                TopicPlan.maxMessageBytesFor(options.bodySize() + (64 << 10)), Duration.ofHours(1), Duration.ofHours(1),
                List.of(), List.of()).specs();
        try (Admin admin = Admin.create(kafka.admin("bench-admin"))) {
            new TopicAdmin(admin, Duration.ofSeconds(60)).ensure(specs);
            List<TransactionalStage> stages = new ArrayList<>();
            List<CountingAuthenticator> counters = new ArrayList<>();
            try (OutputCollector collector = new OutputCollector(kafka, topics, scenario::problem);
                 RecordLoader loader = new RecordLoader(kafka, topics, scenario)) {
                for (int i = 0; i < options.workers(); i++) {
                    CountingAuthenticator counting = new CountingAuthenticator(scenario.authenticator(clock), MEASURED_PREFIX);
                    counters.add(counting);
                    StageContext ctx = new StageContext(kafka, topics, "bench-" + i, clock, new SimpleMeterRegistry());
                    stages.add(AuthWorker.start(ctx, counting));
                }
                Runnable alive = () -> requireRunning(stages);
                awaitAssignment(stages, deadline, alive);
                if (options.warmup() > 0) {
                    log.printf("warm-up: %d records%n", options.warmup());
                    loader.load(WARMUP_PREFIX, options.warmup(), WARMUP_INDEX);
                    OutputCollector.Tally warm = new OutputCollector.Tally(WARMUP_PREFIX);
                    if (!collector.await(warm, options.warmup(), deadline, alive, () -> { })) {
                        return stopped(options, embedded, warm, "time limit reached during the warm-up");
                    }
                }
                log.printf("measuring: %d records, %s%n", options.records(), options.mode().name().toLowerCase(java.util.Locale.ROOT));
                loader.load(MEASURED_PREFIX, options.records(), 0);
                OutputCollector.Tally tally = new OutputCollector.Tally(MEASURED_PREFIX);
                long[] end = new long[2];
                boolean done = collector.await(tally, options.records(), deadline, alive, () -> {
                    end[0] = System.nanoTime();
                    end[1] = ProcessCpu.nanos();
                });
                if (!done) {
                    end[0] = System.nanoTime();
                    end[1] = ProcessCpu.nanos();
                }
                long graceEnd = System.nanoTime() + DUPLICATE_GRACE.toNanos();
                while (System.nanoTime() < graceEnd) {
                    collector.poll(tally, Duration.ofMillis(100));
                }
                for (byte[] sample : tally.samples) {
                    scenario.verifySignatures(sample, clock).ifPresent(p -> tally.problem("sample: " + p));
                }
                return result(options, embedded, tally, counters, end, done ? Optional.empty()
                        : Optional.of("time limit reached after " + tally.accountedFor() + " of " + options.records()));
            } finally {
                stages.forEach(TransactionalStage::close);
                if (!embedded) {
                    deleteTopics(admin, specs, log);
                }
            }
        }
    }

    private static AuthBenchResult result(AuthBenchOptions options, boolean embedded, OutputCollector.Tally tally,
                                          List<CountingAuthenticator> counters, long[] end, Optional<String> stop) {
        CountingAuthenticator first = counters.stream().filter(c -> c.firstMeasuredNanos() != Long.MIN_VALUE)
                .min(Comparator.comparingLong(CountingAuthenticator::firstMeasuredNanos)).orElse(null);
        long calls = counters.stream().mapToLong(CountingAuthenticator::measuredCalls).sum();
        double authCpu = counters.stream().mapToLong(CountingAuthenticator::measuredCpuNanos).sum() / 1e9;
        double seconds = first == null ? 0 : (end[0] - first.firstMeasuredNanos()) / 1e9;
        double cpu = first == null ? 0 : (end[1] - first.processCpuAtFirst()) / 1e9;
        long steadyRecords = tally.authenticated.size() - tally.firstPollCount;
        double steadySeconds = tally.firstArrivalNanos == Long.MIN_VALUE ? 0
                : (tally.lastArrivalNanos - tally.firstArrivalNanos) / 1e9;
        return new AuthBenchResult(options, embedded, tally.authenticated.size(), tally.duplicates, tally.quarantined,
                tally.dead, tally.problems, stop.or(() -> Optional.ofNullable(tally.firstProblem)), calls, seconds,
                steadyRecords, steadySeconds, cpu, authCpu);
    }

    private static AuthBenchResult stopped(AuthBenchOptions options, boolean embedded, OutputCollector.Tally tally,
                                           String why) {
        return new AuthBenchResult(options, embedded, 0, 0, 0, 0, tally.problems, Optional.of(why), 0, 0, 0, 0, 0, 0);
    }

    /** Loading before every worker has its partitions would measure the group's rebalancing. */
    private static void awaitAssignment(List<TransactionalStage> stages, long deadline, Runnable alive) {
        while (!stages.stream().allMatch(TransactionalStage::hasAssignment)) {
            alive.run();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("time limit reached before the workers were assigned partitions");
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static void requireRunning(List<TransactionalStage> stages) {
        for (TransactionalStage s : stages) {
            if (!s.isRunning()) {
                Throwable cause = s.stopped().handle((v, e) -> e).getNow(null);
                throw new IllegalStateException("auth-worker stage stopped: " + cause, cause);
            }
        }
    }

    /** A cluster we were lent is left as we found it; failing to tidy up is reported, not fatal to the figures. */
    private static void deleteTopics(Admin admin, List<TopicSpec> specs, PrintStream log) {
        try {
            admin.deleteTopics(specs.stream().map(TopicSpec::name).toList()).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.println("interrupted while deleting the run's topics");
        } catch (ExecutionException | TimeoutException e) {
            log.println("could not delete the run's topics (prefix " + specs.get(0).name() + "): " + e);
        }
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
