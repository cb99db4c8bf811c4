package io.postbus.loadtest.jmh;

import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.codec.AvroCodec;
import org.apache.avro.specific.SpecificRecordBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Avro single-object encoding as the pipeline does it ({@link AvroCodec}, the codec every stage uses
 * for its Kafka values), for the records one message becomes: the ingress's ReceivedMail and the
 * router's DeliveryJob, each carrying the 5 KB message, and the delivery worker's DELIVERY event.
 * {@link #encodedBytes} is the size on the topic (JMH's -prof gc gives the allocation per operation).
 */
@State(Scope.Benchmark)
public class AvroCodecBenchmark extends BenchmarkDefaults {
    @Param({"ReceivedMail", "DeliveryJob", "LifecycleEvent"})
    public String record;

    @Param({"5120"})
    public int bodySize;

    private AvroCodec<SpecificRecordBase> codec;
    private SpecificRecordBase value;
    private byte[] encoded;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        switch (record) {
            case "ReceivedMail":
                codec = (AvroCodec<SpecificRecordBase>) (AvroCodec<?>) AvroCodec.of(ReceivedMail.class);
                value = PipelineRecords.receivedMail(bodySize);
                break;
            case "DeliveryJob":
                codec = (AvroCodec<SpecificRecordBase>) (AvroCodec<?>) AvroCodec.of(DeliveryJob.class);
                value = PipelineRecords.deliveryJob(bodySize);
                break;
            case "LifecycleEvent":
                codec = (AvroCodec<SpecificRecordBase>) (AvroCodec<?>) AvroCodec.of(LifecycleEvent.class);
                value = PipelineRecords.deliveryEvent();
                break;
            default:
                throw new IllegalArgumentException("no such record: " + record);
        }
        encoded = codec.encode(value);
        if (!codec.decode(encoded).equals(value)) {
            throw new IllegalStateException(record + " does not survive encode → decode");
        }
    }

    @Benchmark
    public byte[] encode() {
        return codec.encode(value);
    }

    @Benchmark
    public SpecificRecordBase decode() {
        return codec.decode(encoded);
    }

    /** Bytes of the encoded record, as it sits on its topic. */
    public int encodedBytes() {
        return encoded.length;
    }
}
