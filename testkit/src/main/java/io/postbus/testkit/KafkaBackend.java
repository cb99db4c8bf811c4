package io.postbus.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Where the tests' shared Kafka runs. */
enum KafkaBackend {
    /** EmbeddedKafkaBroker in this JVM: no Docker needed, same code as {@code postbus up}. */
    INPROC,
    /** The apache/kafka image through Testcontainers: the real distribution, isolated from the JVM. */
    DOCKER;

    static final String PROPERTY = "postbus.test.broker";

    /**
     * The property wins when set; otherwise Docker when a daemon answers, else in-process. The
     * Docker check is only made when needed, since it can take seconds.
     */
    static KafkaBackend choose(String requested, BooleanSupplier dockerAvailable) {
        if (requested != null && !requested.isBlank()) {
            String name = requested.strip().toUpperCase(Locale.ROOT);
            for (KafkaBackend backend : values()) {
                if (backend.name().equals(name)) {
                    return backend;
                }
            }
            throw new IllegalArgumentException(PROPERTY + "=" + requested + " is not one of "
                    + Arrays.stream(values()).map(b -> b.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        return dockerAvailable.getAsBoolean() ? DOCKER : INPROC;
    }
}
