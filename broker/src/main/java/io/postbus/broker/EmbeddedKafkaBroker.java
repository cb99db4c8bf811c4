package io.postbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker running inside this JVM in KRaft combined mode: one node that is both
 * broker and its own controller. It is the embedded default of {@code postbus up} and the broker
 * tests run against.
 *
 * <p>The data directory is formatted on first use only; later starts on the same directory keep
 * all topics, committed offsets and transactions, and the cluster id.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    /** Free ports are picked before Kafka binds them; another process can win that race. */
    private static final int BIND_ATTEMPTS = 3;

    private final BrokerConfig config;
    private final DataDirLock lock;
    private final KafkaRaftServer server;
    private final String clusterId;
    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaBroker(BrokerConfig config, DataDirLock lock, KafkaRaftServer server,
                                String clusterId, String bootstrapServers) {
        this.config = config;
        this.lock = lock;
        this.server = server;
        this.clusterId = clusterId;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker and returns once it serves clients, or throws after the startup timeout. */
    public static EmbeddedKafkaBroker start(BrokerConfig config) {
        long began = System.nanoTime();
        Instant deadline = Instant.now().plus(config.startupTimeout());
        if (config.port() != 0) {
            Ports.requireFree(config.host(), config.port());
        }
        createDirectories(config.dataDir());
        DataDirLock lock = DataDirLock.acquire(config.dataDir());
        try {
            String clusterId = StorageFormat.ensureFormatted(
                    config.dataDir(), config.nodeId(), BrokerProperties.CONTROLLER_LISTENER);
            for (int attempt = 1; ; attempt++) {
                int clientPort = config.port() != 0 ? config.port() : Ports.pickFree(config.host());
                String bootstrap = Ports.hostPort(config.advertisedHost(), clientPort);
                KafkaRaftServer server = startServer(config, clientPort, bootstrap, deadline, attempt);
                if (server != null) {
                    LOG.info("Kafka broker for cluster {} serving {} (data {}) after {} ms",
                            clusterId, bootstrap, config.dataDir(), Duration.ofNanos(System.nanoTime() - began).toMillis());
                    return new EmbeddedKafkaBroker(config, lock, server, clusterId, bootstrap);
                }
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** One try at starting Kafka; null when a port was taken meanwhile and a retry may succeed. */
    private static KafkaRaftServer startServer(
            BrokerConfig config, int clientPort, String bootstrap, Instant deadline, int attempt) {
        int controllerPort = Ports.pickFree(BrokerProperties.CONTROLLER_HOST);
        KafkaConfig kafkaConfig = new KafkaConfig(BrokerProperties.of(config, clientPort, controllerPort), false);
        KafkaRaftServer server = null;
        try {
            // The constructor already opens the data directory, so it belongs inside the try.
            server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            server.startup();
            ReadinessProbe.awaitReady(bootstrap, deadline);
            return server;
        } catch (RuntimeException | TimeoutException e) {
            stopQuietly(server);
            // Almost always the controller port, picked free a moment earlier and taken since.
            if (isBindFailure(e) && attempt < BIND_ATTEMPTS) {
                LOG.warn("port taken while starting broker (attempt {}), retrying with new ports", attempt);
                return null;
            }
            throw new IllegalStateException("Kafka broker on " + config.dataDir() + " failed to start", e);
        } catch (InterruptedException e) {
            stopQuietly(server);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka broker", e);
        }
    }

    /** The {@code host:port} clients use, with the port actually bound. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The cluster id stored in the data directory; the same after every restart. */
    public String clusterId() {
        return clusterId;
    }

    public BrokerConfig config() {
        return config;
    }

    /** Shuts the broker down and waits until its threads have stopped and its files are closed. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long began = System.nanoTime();
            try {
                server.shutdown();
                server.awaitShutdown();
            } finally {
                lock.close();
            }
            LOG.info("Kafka broker {} stopped in {} ms",
                    bootstrapServers, Duration.ofNanos(System.nanoTime() - began).toMillis());
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("error while stopping a broker that failed to start", e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dir, e);
        }
    }
}
