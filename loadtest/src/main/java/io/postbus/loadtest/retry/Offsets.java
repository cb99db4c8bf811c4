package io.postbus.loadtest.retry;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the worker's consumer group stands in its topics: what it has consumed (committed with its
 * transactions) and what it has left.
 */
final class Offsets {
    private final Admin admin;
    private final Topics topics;
    private final int partitions;

    Offsets(Admin admin, Topics topics, int partitions) {
        this.admin = admin;
        this.topics = topics;
        this.partitions = partitions;
    }

    /** Records in {@code topic} (end offsets: no compaction or deletion happens in a run). */
    long end(String topic) {
        return ends(parts(topic)).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records of {@code topic} the group has consumed: the sum of its committed offsets. */
    long committed(String groupId, String topic) {
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        return parts(topic).stream().map(committed::get).mapToLong(c -> c == null ? 0 : c.offset()).sum();
    }

    /** Unconsumed records of the delivery topic and the retry tier. */
    long unconsumed(KafkaSettings kafka, String groupId) {
        return unconsumed(kafka, groupId, topics.deliver("default")) + unconsumed(kafka, groupId, topics.retry(RetryBench.TIER));
    }

    /**
     * Records of {@code topic} after the group's committed offsets, read {@code read_committed}. Not
     * end minus committed: each transaction leaves a commit marker, which takes an offset but is no record.
     */
    long unconsumed(KafkaSettings kafka, String groupId, String topic) {
        List<TopicPartition> parts = parts(topic);
        Map<TopicPartition, Long> ends = ends(parts);
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer("bench-retry-left", groupId + "-check", 500, 300_000))) {
            c.assign(parts);
            for (TopicPartition tp : parts) {
                OffsetAndMetadata at = committed.get(tp);
                c.seek(tp, at == null ? 0 : at.offset());
            }
            long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < giveUp) {
                n += c.poll(Duration.ofMillis(200)).count();
            }
        }
        return n;
    }

    private List<TopicPartition> parts(String topic) {
        return IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
    }

    private Map<TopicPartition, Long> ends(List<TopicPartition> parts) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(latest).all()).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading offsets: " + e, e);
        }
    }
}
