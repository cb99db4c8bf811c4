package io.postbus.loadtest.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link AuthThroughputBench} run does. Bounded twice: a fixed number of records, and a time
 * limit on the whole run after the broker is up (topics, loading, warm-up and measurement).
 *
 * @param mode              originating (sign) or inbound (verify)
 * @param records           measured records
 * @param warmup            records put through first, not measured, so the JIT has compiled the hot paths
 * @param bodySize          body bytes of each message
 * @param timeLimit         the run gives up (and reports what it has) after this
 * @param bootstrapServers  an existing Kafka; empty = start an embedded broker in this process
 * @param partitions        partitions of the topics the run creates
 * @param workers           auth-worker instances in this process, each one stage thread
 * @param publicSuffixList  for DMARC; empty = Debian's publicsuffix package
 * @param resultFile        one tab-separated line is appended to it (with a header line if it is new)
 */
public record AuthBenchOptions(AuthScenario.Mode mode, int records, int warmup, int bodySize, Duration timeLimit,
                               Optional<String> bootstrapServers, int partitions, int workers,
                               Optional<Path> publicSuffixList, Optional<Path> resultFile) {

    public static final int MAX_RECORDS = 1_000_000;
    public static final int MAX_BODY_SIZE = 10 << 20;
    public static final Duration MAX_TIME_LIMIT = Duration.ofHours(1);
    /** Measured records are encoded in memory before they are loaded in one transaction. */
    public static final long MAX_LOADED_BYTES = 2L << 30;

    public static final String USAGE = """
            usage: AuthThroughputBench --mode originating|inbound [options]
              --mode M                 originating: sign with RSA-2048 from a KeyTable/SigningTable;
                                       inbound: verify DKIM (RSA-2048), SPF, DMARC against zone data
              --records N              measured records (default 10000, at most %d)
              --warmup N               records put through first and not measured (default 2000)
              --body-size BYTES        body bytes of each message (default 5120)
              --time-limit D           give up after D, e.g. 300s, 5m (default 300s, at most 1h)
              --bootstrap-servers H:P  use this Kafka (topics under a fresh prefix, deleted afterwards);
                                       default: an embedded broker in this process
              --partitions N           partitions of the topics created (default 6)
              --workers N              auth-worker instances, one stage thread each (default 1)
              --public-suffix-list F   for DMARC (default: Debian's /usr/share/publicsuffix)
              --result-file F          append one tab-separated result line to F
            """.formatted(MAX_RECORDS);

    public AuthBenchOptions {
        Objects.requireNonNull(mode, "mode");
        if (records < 1 || records > MAX_RECORDS) {
            throw new IllegalArgumentException("records must be 1.." + MAX_RECORDS + ": " + records);
        }
        if (warmup < 0 || warmup > MAX_RECORDS) {
            throw new IllegalArgumentException("warm-up must be 0.." + MAX_RECORDS + ": " + warmup);
        }
        if (bodySize < 0 || bodySize > MAX_BODY_SIZE) {
            throw new IllegalArgumentException("body size must be 0.." + MAX_BODY_SIZE + ": " + bodySize);
        }
        if ((long) Math.max(records, warmup) * (bodySize + 2048L) > MAX_LOADED_BYTES) {
            throw new IllegalArgumentException("records x body size above " + (MAX_LOADED_BYTES >> 20)
                    + " MiB: they are held in memory while loading");
        }
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero() || timeLimit.compareTo(MAX_TIME_LIMIT) > 0) {
            throw new IllegalArgumentException("time limit must be above 0 and at most " + MAX_TIME_LIMIT + ": " + timeLimit);
        }
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (partitions < 1 || partitions > 256) {
            throw new IllegalArgumentException("partitions must be 1..256: " + partitions);
        }
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers must be 1..64: " + workers);
        }
        Objects.requireNonNull(publicSuffixList, "publicSuffixList");
        Objects.requireNonNull(resultFile, "resultFile");
    }

    public static AuthBenchOptions defaults(AuthScenario.Mode mode) {
        return new AuthBenchOptions(mode, 10_000, 2_000, 5120, Duration.ofSeconds(300), Optional.empty(), 6, 1,
                Optional.empty(), Optional.empty());
    }

    /** @throws IllegalArgumentException with a message for the user, for anything unknown or out of range */
    public static AuthBenchOptions parse(String... args) {
        AuthScenario.Mode mode = null;
        AuthBenchOptions d = defaults(AuthScenario.Mode.INBOUND);
        int records = d.records();
        int warmup = d.warmup();
        int bodySize = d.bodySize();
        Duration timeLimit = d.timeLimit();
        Optional<String> bootstrap = Optional.empty();
        int partitions = d.partitions();
        int workers = d.workers();
        Optional<Path> psl = Optional.empty();
        Optional<Path> resultFile = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--mode" -> mode = mode(value);
                case "--records" -> records = integer(name, value);
                case "--warmup" -> warmup = integer(name, value);
                case "--body-size" -> bodySize = integer(name, value);
                case "--time-limit" -> timeLimit = duration(value);
                case "--bootstrap-servers" -> bootstrap = Optional.of(value);
                case "--partitions" -> partitions = integer(name, value);
                case "--workers" -> workers = integer(name, value);
                case "--public-suffix-list" -> psl = Optional.of(Path.of(value));
                case "--result-file" -> resultFile = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("--mode is required");
        }
        return new AuthBenchOptions(mode, records, warmup, bodySize, timeLimit, bootstrap, partitions, workers, psl,
                resultFile);
    }

    private static AuthScenario.Mode mode(String value) {
        try {
            return AuthScenario.Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--mode takes originating or inbound, not " + value, e);
        }
    }

    /** A whole number, with or without {@code _} between digits. */
    public static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a whole number, not " + value, e);
        }
    }

    /** {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h}. */
    public static Duration duration(String value) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration is a number and ms, s, m or h, not " + value);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
