package io.postbus.core.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity and consumption settings of one stage instance.
 *
 * @param name            stage name, used in metrics, logs and dead-letter provenance
 * @param groupId         consumer group: all instances of a stage share it and split the partitions
 * @param instanceId      stable per process (pod name, node name): makes the transactional id
 *                        stable, so a restarted instance fences its own zombie
 * @param topics          topics to consume, or empty when {@code topicPattern} is used
 * @param topicPattern    pattern subscription (delivery topics appear as sites are added)
 * @param maxPollRecords  batch size; small for stages that block per record (delivery)
 * @param maxPollInterval longest time one batch may take before the group evicts the instance
 */
public record StageSpec(String name, String groupId, String instanceId, List<String> topics, Pattern topicPattern,
                        int maxPollRecords, Duration maxPollInterval) {
    public StageSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(instanceId, "instanceId");
        topics = List.copyOf(topics);
        if (topics.isEmpty() == (topicPattern == null)) {
            throw new IllegalArgumentException("a stage consumes either listed topics or a pattern");
        }
    }

    public static StageSpec of(String name, String groupId, String instanceId, String topic) {
        return new StageSpec(name, groupId, instanceId, List.of(topic), null, 200, Duration.ofMinutes(5));
    }

    public String transactionalId() {
        return groupId + "-" + instanceId;
    }
}
