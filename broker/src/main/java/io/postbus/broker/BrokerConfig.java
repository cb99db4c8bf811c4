package io.postbus.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import kafka.server.KafkaConfig;

/**
 * How to run an {@link EmbeddedKafkaBroker}. Validated at construction so that a bad value fails
 * before any file is written or port bound.
 *
 * @param dataDir          holds the Kafka log and the KRaft metadata log; kept across restarts
 * @param host             address the client listener binds to
 * @param port             client port; 0 picks a free one at each start
 * @param advertisedHost   host clients are told to connect to; defaults to {@code host}, and must
 *                         be given when {@code host} is a wildcard address
 * @param nodeId           KRaft node id, stored in meta.properties at format time
 * @param overrides        extra Kafka broker properties, applied over {@link SingleNodeDefaults}
 * @param startupTimeout   how long start may take before it gives up
 */
public record BrokerConfig(
        Path dataDir,
        String host,
        int port,
        String advertisedHost,
        int nodeId,
        Map<String, String> overrides,
        Duration startupTimeout) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_NODE_ID = 1;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Keys this class derives itself. Overriding one would break what {@code bootstrapServers()}
     * reports or the single-node quorum, so they are rejected rather than silently applied.
     */
    static final Set<String> RESERVED_KEYS = Set.of(
            "process.roles", "node.id", "broker.id", "log.dir", "log.dirs", "metadata.log.dir",
            "listeners", "advertised.listeners", "listener.security.protocol.map",
            "inter.broker.listener.name", "controller.listener.names",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers");

    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "");

    public BrokerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (nodeId < 0) {
            throw new IllegalArgumentException("nodeId must not be negative, got " + nodeId);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive, got " + startupTimeout);
        }
        if (advertisedHost == null) {
            if (WILDCARDS.contains(host)) {
                throw new IllegalArgumentException(
                        "host " + host + " is a wildcard address: set advertisedHost to a name clients can reach");
            }
            advertisedHost = host;
        } else if (WILDCARDS.contains(advertisedHost)) {
            throw new IllegalArgumentException("advertisedHost must not be a wildcard address: " + advertisedHost);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
        overrides.keySet().forEach(BrokerConfig::checkOverrideKey);
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    private static void checkOverrideKey(String key) {
        if (RESERVED_KEYS.contains(key)) {
            throw new IllegalArgumentException(key + " is set by EmbeddedKafkaBroker and cannot be overridden");
        }
        // Per-listener settings are prefixed with the listener name and so are not in the ConfigDef.
        if (!key.startsWith("listener.name.") && !KafkaConfig.configDef().names().contains(key)) {
            throw new IllegalArgumentException("unknown Kafka broker property: " + key);
        }
    }

    /** Mutable builder; the record validates on {@link #build()}. */
    public static final class Builder {
        private final Path dataDir;
        private String host = DEFAULT_HOST;
        private int port;
        private String advertisedHost;
        private int nodeId = DEFAULT_NODE_ID;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder advertisedHost(String advertisedHost) {
            this.advertisedHost = advertisedHost;
            return this;
        }

        public Builder nodeId(int nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Builder property(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder properties(Map<String, String> properties) {
            overrides.putAll(properties);
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public BrokerConfig build() {
            return new BrokerConfig(dataDir, host, port, advertisedHost, nodeId, overrides, startupTimeout);
        }
    }
}
