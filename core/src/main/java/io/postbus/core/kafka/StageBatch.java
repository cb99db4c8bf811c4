package io.postbus.core.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What one poll batch commits in its transaction: the outputs of the inputs consumed, each tagged
 * with its input, and per partition the offset after the last one consumed. Since a partition is
 * consumed in order and only up to its first deferred record, that offset covers exactly the inputs
 * whose outputs are here.
 */
final class StageBatch {
    final List<ProducerRecord<byte[], byte[]>> outputs = new ArrayList<>();
    /** By identity: two inputs may well produce equal output records. */
    final Map<ProducerRecord<byte[], byte[]>, ConsumerRecord<byte[], byte[]>> sourceOf = new IdentityHashMap<>();
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    /** Where each partition's part of the batch began: the rewind point when the transaction fails. */
    final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    int consumed;

    void consume(TopicPartition tp, ConsumerRecord<byte[], byte[]> rec, StageResult.Emit result) {
        for (ProducerRecord<byte[], byte[]> out : result.records()) {
            outputs.add(out);
            sourceOf.put(out, rec);
        }
        offsets.put(tp, new OffsetAndMetadata(rec.offset() + 1));
        consumed++;
    }
}
