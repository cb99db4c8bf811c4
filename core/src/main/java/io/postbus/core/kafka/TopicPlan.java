package io.postbus.core.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which topics exist and how each is set up. Mail topics carry whole messages, so their
 * {@code max.message.bytes} follows the advertised SIZE plus room for the envelope and headers.
 */
public record TopicPlan(Topics topics, int partitions, short replicationFactor, long maxMessageBytes,
                        Duration mailRetention, Duration eventRetention, List<String> sites, List<String> retryTiers) {

    /** Kafka batch and record overhead plus the Avro envelope: generous, but bounded. */
    public static long maxMessageBytesFor(long messageSizeLimit) {
        return messageSizeLimit + messageSizeLimit / 8 + 1024 * 1024;
    }

    public List<TopicSpec> specs() {
        Map<String, String> mail = Map.of(
                "max.message.bytes", Long.toString(maxMessageBytes),
                "retention.ms", Long.toString(mailRetention.toMillis()),
                "min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
        Map<String, String> events = Map.of(
                "retention.ms", Long.toString(eventRetention.toMillis()),
                "min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
        Map<String, String> compacted = Map.of(
                "cleanup.policy", "compact",
                "min.insync.replicas", Integer.toString(Math.min(2, replicationFactor)));
        List<TopicSpec> out = new ArrayList<>();
        out.add(spec(topics.received(), mail));
        out.add(spec(topics.authenticated(), mail));
        out.add(spec(topics.scored(), mail));
        out.add(spec(topics.quarantine(), mail));
        out.add(spec(topics.dead(), mail));
        for (String site : sites) {
            out.add(spec(topics.deliver(site), mail));
        }
        for (String tier : retryTiers) {
            out.add(spec(topics.retry(tier), mail));
        }
        out.add(spec(topics.events(), events));
        out.add(spec(topics.control(), compacted));
        out.add(spec(topics.suppression(), compacted));
        return out;
    }

    private TopicSpec spec(String name, Map<String, String> configs) {
        return new TopicSpec(name, partitions, replicationFactor, configs);
    }
}
