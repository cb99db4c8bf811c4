package io.postbus.core.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What a {@link StageProcessor} decided for one record. */
public sealed interface StageResult {

    /** Produce these records (possibly none) and consume the input. */
    record Emit(List<ProducerRecord<byte[], byte[]>> records) implements StageResult {
        public Emit {
            records = List.copyOf(records);
        }
    }

    /**
     * Not yet: leave this record (and everything after it in its partition) unconsumed and pause
     * the partition until {@code until}. Retry tiers and throttles use it; other partitions keep flowing.
     */
    record Defer(Instant until) implements StageResult {
        public Defer {
            Objects.requireNonNull(until, "until");
        }
    }

    static StageResult emit(List<ProducerRecord<byte[], byte[]>> records) {
        return new Emit(records);
    }

    @SafeVarargs
    static StageResult emit(ProducerRecord<byte[], byte[]>... records) {
        return new Emit(List.of(records));
    }
}
