package io.postbus.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.postbus.broker.SingleNodeDefaults;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The shared test Kafka as an apache/kafka container, with the same broker settings as in-process. */
final class ContainerKafka {
    static final String IMAGE_PROPERTY = "postbus.test.kafka.image";

    private ContainerKafka() {
    }

    /** Starts the container; Testcontainers' reaper removes it when the JVM ends. */
    static String start() {
        String image = System.getProperty(IMAGE_PROPERTY, defaultImage());
        KafkaContainer kafka = new KafkaContainer(DockerImageName.parse(image));
        environment().forEach(kafka::withEnv);
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop, "postbus-test-kafka-stop"));
        return kafka.getBootstrapServers();
    }

    /** apache/kafka at the project's Kafka version, so tests run against the broker the code ships with. */
    static String defaultImage() {
        try (InputStream in = ContainerKafka.class.getResourceAsStream("kafka-image.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("image");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The apache/kafka image reads KAFKA_FOO_BAR as the broker property foo.bar. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        SingleNodeDefaults.properties().forEach((key, value) ->
                env.put("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        return env;
    }
}
