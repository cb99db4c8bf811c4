package io.postbus.core.kafka;

import io.postbus.core.suppression.Suppression;
import io.postbus.core.suppression.SuppressionReason;
import io.postbus.schemas.SuppressionEntry;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@link Suppression} entries as records of the compacted {@code mail.suppression}: keyed by the
 * address's {@linkplain Suppression#key key form}, so compaction keeps one entry per address and a
 * tombstone (null value) removes it.
 */
public final class SuppressionRecords {
    private static final AvroCodec<SuppressionEntry> CODEC = AvroCodec.of(SuppressionEntry.class);

    private SuppressionRecords() {}

    public static ProducerRecord<byte[], byte[]> entry(Topics topics, Suppression s) {
        SuppressionEntry e = SuppressionEntry.newBuilder()
                .setAddress(s.address())
                .setReason(io.postbus.schemas.SuppressionReason.valueOf(s.reason().name()))
                .setAt(s.at())
                .setExpiresAt(s.expiresAt())
                .setDetail(s.detail())
                .build();
        return new ProducerRecord<>(topics.suppression(), key(s.address()), CODEC.encode(e));
    }

    public static ProducerRecord<byte[], byte[]> tombstone(Topics topics, String address) {
        return new ProducerRecord<>(topics.suppression(), key(Suppression.key(address)), null);
    }

    /** The entry a record holds; empty for a tombstone. */
    public static Optional<Suppression> decode(ConsumerRecord<byte[], byte[]> rec) {
        if (rec.value() == null) {
            return Optional.empty();
        }
        SuppressionEntry e = CODEC.decode(rec.value());
        return Optional.of(new Suppression(e.getAddress(), SuppressionReason.valueOf(e.getReason().name()), e.getAt(),
                e.getExpiresAt(), e.getDetail()));
    }

    /** The address a record is about, from its key (a tombstone has nothing else). */
    public static String address(ConsumerRecord<byte[], byte[]> rec) {
        return new String(rec.key(), StandardCharsets.UTF_8);
    }

    private static byte[] key(String address) {
        return address.getBytes(StandardCharsets.UTF_8);
    }
}
