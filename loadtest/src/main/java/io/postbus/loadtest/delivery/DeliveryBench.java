package io.postbus.loadtest.delivery;

import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Delivery throughput of Postbus's delivery-worker (issue 6): messages per second from mail.deliver
 * to an SMTP sink, at a given {@code delivery.concurrency} and {@code delivery.tls}.
 *
 * <p>The run: start an embedded Kafka broker, start the worker as a process of its own
 * ({@link WorkerMain} by default, built as {@code postbus delivery-worker} builds it; it creates the topics), deliver the warm-up jobs (the JIT,
 * the connection cache and the consumer's assignment settle), then send the measured jobs in one
 * transaction and time them from its commit to the last measured Delivery event read back from
 * mail.events ({@code read_committed}, so an event counts only once the worker's transaction with
 * the offsets is committed). Jobs are counted by queue id: a lost job, a deferral or a bounce is
 * reported and makes the run incomplete. Arrivals at the sink are counted by the caller (the sink
 * is shared with Postfix in scripts/bench-delivery).
 *
 * <pre>java -cp loadtest/target/classes:loadtest/target/lib/* io.postbus.loadtest.delivery.DeliveryBench \
 *     --sink 127.0.0.1:2526 --concurrency 20 --tls none --messages 5000</pre>
 */
public final class DeliveryBench {
    static final String WARMUP_PREFIX = "w-";
    static final String MEASURED_PREFIX = "m-";

    private DeliveryBench() {}

    public static void main(String[] args) throws Exception {
        DeliveryBenchOptions options;
        try {
            options = DeliveryBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("DeliveryBench: " + e.getMessage());
            System.err.print(DeliveryBenchOptions.USAGE);
            System.exit(64);
            return;
        }
        DeliveryBenchResult result = run(options, System.err);
        System.out.print(result.text());
        if (options.resultFile().isPresent()) {
            result.appendTo(options.resultFile().get());
        }
        System.exit(result.complete() ? 0 : 1);
    }

    /** One run; progress goes to {@code log}. Everything started is stopped and deleted before it returns. */
    public static DeliveryBenchResult run(DeliveryBenchOptions options, PrintStream log) throws IOException {
        Path dir = Files.createTempDirectory("postbus-bench-delivery-");
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        try {
            log.println("starting an embedded Kafka broker");
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir.resolve("kafka")).build())) {
                Topics topics = new Topics("bench-delivery.");
                Path workerLog = options.workerLog().orElse(dir.resolve("worker.log"));
                log.printf("starting the worker: concurrency %d, TLS %s%n", options.concurrency(), options.tls());
                try (WorkerProcess worker = WorkerProcess.start(options.worker(), workerArgs(options, broker, topics, dir), workerLog)) {
                    worker.awaitReady(deadline);
                    return measure(options, KafkaSettings.of(broker.bootstrapServers(), 1 << 20), topics, worker,
                            deadline, log);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The worker's settings: ours, not its defaults, only where the bench needs them; shaping,
     * connection reuse and timeouts are Postbus's defaults (20 connections and 100 messages per
     * connection for a site, ADR 0009).
     */
    static List<String> workerArgs(DeliveryBenchOptions options, EmbeddedKafkaBroker broker, Topics topics, Path dir) {
        return List.of("--bootstrap-servers", broker.bootstrapServers(), "--data-dir", dir.resolve("worker").toString(),
                "--set", "kafka.topic.prefix=" + topics.prefix(), "--set", "node.name=bench-worker",
                "--set", "delivery.concurrency=" + options.concurrency(), "--set", "delivery.tls=" + options.tls(),
                "--set", "http.listen=");
    }

    private static DeliveryBenchResult measure(DeliveryBenchOptions options, KafkaSettings kafka, Topics topics,
                                               WorkerProcess worker, long deadline, PrintStream log) {
        Runnable alive = worker::requireAlive;
        try (JobLoader loader = new JobLoader(kafka, topics, options.nextHop(), options.bodySize(), Clock.systemUTC());
             OutcomeReader reader = new OutcomeReader(kafka, topics)) {
            if (options.warmup() > 0) {
                log.printf("warm-up: %d jobs%n", options.warmup());
                loader.send(WARMUP_PREFIX, options.warmup());
                loader.commit();
                OutcomeReader.Tally warm = new OutcomeReader.Tally(WARMUP_PREFIX);
                if (!reader.await(warm, options.warmup(), deadline, alive)) {
                    return new DeliveryBenchResult(options, 0, 0, 0, 0, 0, 0, Optional.of("warm-up incomplete: "
                            + warm.delivered.size() + " delivered, " + warm.deferred + " deferred, " + warm.bounced + " bounced"));
                }
            }
            log.printf("measuring: %d jobs%n", options.messages());
            loader.send(MEASURED_PREFIX, options.messages());
            OutcomeReader.Tally tally = new OutcomeReader.Tally(MEASURED_PREFIX);
            Duration cpuBefore = worker.cpu();
            long start = System.nanoTime();
            loader.commit();
            boolean done = reader.await(tally, options.messages(), deadline, alive);
            long end = done ? tally.lastDeliveryNanos : System.nanoTime();
            Duration cpu = worker.cpu().minus(cpuBefore);
            // A short look for Delivery events that come twice (a retried transaction).
            long graceEnd = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < graceEnd) {
                reader.poll(tally, Duration.ofMillis(100));
            }
            return new DeliveryBenchResult(options, tally.delivered.size(), tally.duplicates, tally.deferred, tally.bounced,
                    (end - start) / 1e9, cpu.toNanos() / 1e9, done ? Optional.empty()
                    : Optional.of("stopped after " + tally.delivered.size() + " of " + options.messages() + " delivered"));
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
