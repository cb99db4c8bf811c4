package io.postbus.core.kafka;

import java.util.Map;

/** A topic Postbus needs, with the settings it must have. */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
        configs = Map.copyOf(configs);
    }
}
