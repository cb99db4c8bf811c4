package io.postbus.loadtest.auth;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts records into mail.received as the ingress would, but all of one phase in a single transaction:
 * the worker reads {@code read_committed}, so it sees nothing until the commit and then everything at
 * once. The measurement therefore starts with a full topic, and neither the loading nor (for inbound
 * mail) the sender's signing runs while the worker is measured.
 */
final class RecordLoader implements AutoCloseable {
    private static final AvroCodec<ReceivedMail> RECEIVED = AvroCodec.of(ReceivedMail.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final AuthScenario scenario;

    RecordLoader(KafkaSettings kafka, Topics topics, AuthScenario scenario) {
        this.topics = topics;
        this.scenario = scenario;
        this.producer = new KafkaProducer<>(kafka.transactionalProducer("bench-loader", topics.prefix() + "bench-loader"));
        producer.initTransactions();
    }

    /**
     * Builds records {@code prefix0 .. prefix(count-1)} (messages {@code firstIndex ..}), in parallel since
     * inbound mail is signed here, and commits them in one transaction.
     */
    void load(String prefix, int count, long firstIndex) {
        List<ProducerRecord<byte[], byte[]>> records = IntStream.range(0, count).parallel()
                .mapToObj(i -> {
                    String queueId = prefix + i;
                    byte[] value = RECEIVED.encode(scenario.record(queueId, firstIndex + i));
                    return new ProducerRecord<>(topics.received(), queueId.getBytes(StandardCharsets.UTF_8), value);
                })
                .toList();
        producer.beginTransaction();
        for (ProducerRecord<byte[], byte[]> r : records) {
            producer.send(r);
        }
        producer.commitTransaction();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
