package io.postbus.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;

/** The shared test Kafka as an EmbeddedKafkaBroker on a temporary directory, removed at JVM exit. */
final class InProcessKafka {
    private InProcessKafka() {
    }

    static String start() {
        Path dir = createTempDir();
        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir).build());
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        // One hook for both steps: the directory can only go once the broker has closed its files.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            deleteRecursively(dir);
        }, "postbus-test-kafka-stop"));
        return broker.bootstrapServers();
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("postbus-test-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // Left behind in the temp directory; not worth failing a finished test run for.
        }
    }
}
