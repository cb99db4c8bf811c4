package io.postbus.loadtest.retry;

import io.postbus.loadtest.auth.AuthBenchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link RetryBench} run does.
 *
 * @param jobs         delivery jobs written to mail.deliver.default, each deferred once and delivered once
 * @param messageSize  bytes of each job's message, about (a multipart mail with a base64 attachment)
 * @param destinations recipient domains the jobs are spread over (the job key, so the partition)
 * @param partitions   partitions of every topic the run creates
 * @param idle         how long the worker is watched while every job waits in the retry tier
 * @param sampleEvery  memory sample interval (each sample forces a full GC first)
 * @param timeLimit    the run gives up (and reports what it has) after this, from the broker being up
 * @param resultFile   one tab-separated line per phase is appended to it (with a header if it is new)
 * @param clientProperties Kafka client properties set on every client of the run, the worker's included
 *                     (KafkaSettings overrides): to measure what a client setting changes
 */
public record RetryBenchOptions(int jobs, int messageSize, int destinations, int partitions, Duration idle,
                                Duration sampleEvery, Duration timeLimit, Optional<Path> resultFile,
                                Map<String, String> clientProperties) {

    public static final int MAX_JOBS = 10_000_000;
    public static final int MAX_MESSAGE_SIZE = 1 << 20;

    public static final String USAGE = """
            usage: RetryBench [options]
              --jobs N                delivery jobs (default 1000000, at most %d)
              --message-size BYTES    size of each job's message, about (default 2048)
              --destinations N        recipient domains the jobs are spread over (default 1000)
              --partitions N          partitions of the topics created (default 6)
              --idle D                how long the idle worker is watched, e.g. 10s (default 10s)
              --sample-every D        memory sample interval, each after a forced GC (default 5s)
              --time-limit D          give up after D, e.g. 90m (default 2h)
              --result-file F         append one tab-separated line per phase to F
              --client-property K=V   a Kafka client property for every client, the worker's too (repeatable)
            """.formatted(MAX_JOBS);

    public RetryBenchOptions {
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("jobs must be 1.." + MAX_JOBS + ": " + jobs);
        }
        if (messageSize < 1024 || messageSize > MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("message size must be 1024.." + MAX_MESSAGE_SIZE + ": " + messageSize);
        }
        if (destinations < 1 || destinations > 1_000_000) {
            throw new IllegalArgumentException("destinations must be 1..1000000: " + destinations);
        }
        if (partitions < 1 || partitions > 256) {
            throw new IllegalArgumentException("partitions must be 1..256: " + partitions);
        }
        positive("idle", idle);
        positive("sample interval", sampleEvery);
        positive("time limit", timeLimit);
        Objects.requireNonNull(resultFile, "resultFile");
        clientProperties = Map.copyOf(clientProperties);
    }

    public static RetryBenchOptions defaults() {
        return new RetryBenchOptions(1_000_000, 2048, 1000, 6, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofHours(2), Optional.empty(), Map.of());
    }

    /** @throws IllegalArgumentException with a message for the user, for anything unknown or out of range */
    public static RetryBenchOptions parse(String... args) {
        RetryBenchOptions d = defaults();
        int jobs = d.jobs();
        int messageSize = d.messageSize();
        int destinations = d.destinations();
        int partitions = d.partitions();
        Duration idle = d.idle();
        Duration sampleEvery = d.sampleEvery();
        Duration timeLimit = d.timeLimit();
        Optional<Path> resultFile = Optional.empty();
        Map<String, String> client = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--jobs" -> jobs = AuthBenchOptions.integer(name, value);
                case "--message-size" -> messageSize = AuthBenchOptions.integer(name, value);
                case "--destinations" -> destinations = AuthBenchOptions.integer(name, value);
                case "--partitions" -> partitions = AuthBenchOptions.integer(name, value);
                case "--idle" -> idle = AuthBenchOptions.duration(value);
                case "--sample-every" -> sampleEvery = AuthBenchOptions.duration(value);
                case "--time-limit" -> timeLimit = AuthBenchOptions.duration(value);
                case "--result-file" -> resultFile = Optional.of(Path.of(value));
                case "--client-property" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--client-property takes KEY=VALUE, not " + value);
                    }
                    client.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new RetryBenchOptions(jobs, messageSize, destinations, partitions, idle, sampleEvery, timeLimit,
                resultFile, client);
    }

    private static void positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be above 0: " + d);
        }
    }
}
