package io.postbus.schemas.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DsnNotify;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.SuppressionEntry;
import io.postbus.schemas.SuppressionReason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    static ReceivedMail sample() {
        Envelope env = Envelope.newBuilder()
                .setQueueId("4XyZ0a1B2c3D")
                .setReceivedAt(Instant.ofEpochMilli(1_700_000_000_123L))
                .setIngressNode("node-1")
                .setListener(Listener.SMTP)
                .setDirection(Direction.INBOUND)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setHelo("mx.example.net").setProtocol("ESMTP").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.net").setSize(42L).build())
                .setRecipients(List.of(Recipient.newBuilder().setAddress("bob@example.com")
                        .setNotify(List.of(DsnNotify.FAILURE, DsnNotify.DELAY)).setOriginalRecipient("rfc822;bob@example.com").build()))
                .build();
        return ReceivedMail.newBuilder().setEnvelope(env)
                .setMessage(ByteBuffer.wrap("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII))).build();
    }

    @Test
    void roundTripsWithTheSingleObjectHeader() {
        AvroCodec<ReceivedMail> codec = AvroCodec.of(ReceivedMail.class);
        byte[] bytes = codec.encode(sample());

        // Single-object encoding: marker C3 01, then the 8-byte schema fingerprint (Avro spec).
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isEqualTo(sample());
    }

    @Test
    void decodesARecordWrittenByAnOlderWriterWhoseSchemaIsReleased() {
        // An "older" writer: the released v1 minus the optional detail field, registered as a release.
        Schema v1 = SchemaHistory.releases("SuppressionEntry").get(0);
        List<Schema.Field> fields = v1.getFields().stream()
                .filter(f -> !f.name().equals("detail"))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        Schema older = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
        assertThat(older.getField("detail")).as("the test schema really lacks the field").isNull();

        GenericRecord rec = new GenericData.Record(older);
        rec.put("address", "gone@example.com");
        rec.put("reason", new GenericData.EnumSymbol(older.getField("reason").schema(), "HARD_BOUNCE"));
        rec.put("at", 1_700_000_000_000L);
        rec.put("expiresAt", null);
        byte[] bytes;
        try {
            ByteBuffer buf = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(rec);
            bytes = new byte[buf.remaining()];
            buf.get(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        AvroCodec<SuppressionEntry> unaware = AvroCodec.of(SuppressionEntry.class);
        assertThatThrownBy(() -> unaware.decode(bytes))
                .as("an unregistered writer schema cannot be resolved")
                .isInstanceOf(UndecodableRecordException.class);

        var decoder = new org.apache.avro.message.BinaryMessageDecoder<SuppressionEntry>(
                org.apache.avro.specific.SpecificData.getForClass(SuppressionEntry.class), SuppressionEntry.getClassSchema());
        decoder.addSchema(older);
        SuppressionEntry decoded;
        try {
            decoded = decoder.decode(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(decoded.getAddress()).isEqualTo("gone@example.com");
        assertThat(decoded.getReason()).isEqualTo(SuppressionReason.HARD_BOUNCE);
        assertThat(decoded.getDetail()).isNull();
    }

    @Test
    void corruptBytesAreAPermanentTypedError() {
        AvroCodec<ReceivedMail> codec = AvroCodec.of(ReceivedMail.class);
        byte[] bytes = codec.encode(sample());
        byte[] truncated = java.util.Arrays.copyOf(bytes, 20);

        assertThatThrownBy(() -> codec.decode(truncated)).isInstanceOf(UndecodableRecordException.class);
        assertThatThrownBy(() -> codec.decode("not avro".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(UndecodableRecordException.class);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(UndecodableRecordException.class);
    }
}
