package io.postbus.core.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * How every Postbus client talks to Kafka. Keys and values are bytes: Avro single-object encoding
 * happens in the stages, so the wire format does not depend on a serializer registry.
 *
 * @param maxMessageBytes the largest record a stage produces: the advertised SIZE plus envelope
 * @param compression    whole messages are compressible text: lz4 costs little CPU per byte
 * @param overrides      raw client properties applied last (security settings for a real cluster)
 */
public record KafkaSettings(String bootstrapServers, String clientIdPrefix, long maxMessageBytes,
                            String compression, Map<String, String> overrides) {
    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        overrides = Map.copyOf(overrides);
    }

    public static KafkaSettings of(String bootstrapServers, long maxMessageBytes) {
        return new KafkaSettings(bootstrapServers, "postbus", maxMessageBytes, "lz4", Map.of());
    }

    /** Idempotent, acks=all: the ingress answers 250 only after this producer's acknowledgement. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = common(clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxMessageBytes));
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(64L << 20, 2 * maxMessageBytes));
        p.putAll(overrides);
        return p;
    }

    /** A transactional producer; the id must be stable per stage instance so a restart fences its zombie. */
    public Map<String, Object> transactionalProducer(String clientId, String transactionalId) {
        Map<String, Object> p = producer(clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        // Right after a commit the coordinator is still writing the markers, and the next
        // transaction's first AddPartitions gets CONCURRENT_TRANSACTIONS: retried after
        // retry.backoff.ms, 100 ms by default, which capped every stage at a few transactions a
        // second per partition set (docs/benchmarks/retry.md: 10 ms took retries from 7,955 to
        // 9,654 jobs/s). The backoff still grows exponentially to retry.backoff.max.ms when a
        // broker is really unavailable.
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        p.putAll(overrides);
        return p;
    }

    /** read_committed, manual commits through the producer's transaction. */
    public Map<String, Object> consumer(String clientId, String groupId, int maxPollRecords, int maxPollIntervalMs) {
        Map<String, Object> c = common(clientId);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
        // An idle coordinator connection must outlive one slow batch, or a rebalance is disrupted.
        c.put(ConsumerConfig.CONNECTIONS_MAX_IDLE_MS_CONFIG, Math.max(540_000L, maxPollIntervalMs + 60_000L));
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, (int) Math.min(Integer.MAX_VALUE, maxMessageBytes));
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, (int) Math.min(Integer.MAX_VALUE, Math.max(maxMessageBytes, 50L << 20)));
        c.putAll(overrides);
        return c;
    }

    public Map<String, Object> admin(String clientId) {
        Map<String, Object> a = common(clientId);
        a.putAll(overrides);
        return a;
    }

    private Map<String, Object> common(String clientId) {
        Map<String, Object> m = new HashMap<>();
        m.put("bootstrap.servers", bootstrapServers);
        m.put("client.id", clientIdPrefix + "-" + clientId);
        return m;
    }
}
