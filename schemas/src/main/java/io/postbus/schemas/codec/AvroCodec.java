package io.postbus.schemas.codec;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding (schema fingerprint in a 10-byte header) for one record type.
 * The decoder knows the current schema and every released one, so old records still decode after
 * the schema evolves. Thread-safe: Avro's message encoder and decoder keep per-thread buffers.
 */
public final class AvroCodec<T extends SpecificRecordBase> {
    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        for (Schema released : SchemaHistory.releases(schema.getName())) {
            decoder.addSchema(released);
        }
    }

    public static <T extends SpecificRecordBase> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    public byte[] encode(T value) {
        try {
            ByteBuffer buf = encoder.encode(value);
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        } catch (IOException | AvroRuntimeException e) {
            // A record that cannot be encoded is a programming or data error; retrying won't help.
            throw new UndecodableRecordException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Decodes a single-object-encoded record; an unknown fingerprint or corrupt bytes are permanent. */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new UndecodableRecordException("null value where a " + type.getSimpleName() + " was expected", null);
        }
        try {
            return decoder.decode(bytes);
        } catch (IOException | AvroRuntimeException e) {
            throw new UndecodableRecordException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public Class<T> type() {
        return type;
    }
}
