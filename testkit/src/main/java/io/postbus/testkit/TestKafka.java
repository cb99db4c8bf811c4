package io.postbus.testkit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;

/**
 * One Kafka for all tests in a JVM, started on first use. Tests see only a bootstrap string, so the
 * same test runs against a container or the in-process broker.
 *
 * <p>Which one: the system property {@code postbus.test.broker} ({@code inproc} or {@code docker})
 * decides when set; otherwise a container when a Docker daemon answers, else in-process.
 */
public final class TestKafka {
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static final int MAX_HINT_LENGTH = 60;

    private static String bootstrapServers;
    private static KafkaBackend backend;
    private static RuntimeException startFailure;

    private TestKafka() {
    }

    /** The shared broker's bootstrap servers, starting it on first call. */
    public static synchronized String bootstrapServers() {
        if (startFailure != null) {
            // Every later test gets the first cause, not a confusing second attempt.
            throw new IllegalStateException("the shared test Kafka failed to start earlier", startFailure);
        }
        if (bootstrapServers == null) {
            try {
                backend = KafkaBackend.choose(System.getProperty(KafkaBackend.PROPERTY), DockerProbe::available);
                bootstrapServers = backend == KafkaBackend.DOCKER ? ContainerKafka.start() : InProcessKafka.start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return bootstrapServers;
    }

    /** "inproc" or "docker", once the shared broker has started; for test diagnostics. */
    public static synchronized String backend() {
        bootstrapServers();
        return backend.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A topic-name prefix no other test in this JVM gets, like {@code t-outbound-7.}, so tests that
     * share the broker never see each other's topics or groups.
     */
    public static String uniquePrefix(String hint) {
        String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-").replaceAll("^-+|-+$", "");
        if (clean.length() > MAX_HINT_LENGTH) {
            clean = clean.substring(0, MAX_HINT_LENGTH);
        }
        return "t-" + (clean.isEmpty() ? "x" : clean) + "-" + PREFIXES.incrementAndGet() + ".";
    }

    /**
     * A broker of the test's own on {@code dir}, always in-process, for tests that stop and restart
     * Kafka (durability). Starting again on the same directory keeps its topics and offsets.
     */
    public static EmbeddedKafkaBroker startDedicated(Path dir) {
        return EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build());
    }
}
