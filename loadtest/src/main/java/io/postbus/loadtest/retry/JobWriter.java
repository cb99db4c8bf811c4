package io.postbus.loadtest.retry;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.loadtest.auth.SampleMail;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the run's delivery jobs to mail.deliver.default as the queue router would: one job per message
 * and destination, keyed by destination, so the jobs spread over the partitions by domain. Streamed
 * through an idempotent producer, never held in memory together (a million 2 KB jobs are 2 GB).
 *
 * <p>Job {@code i} is queue id {@code rb<i>}, one recipient {@code user<i>@d<i mod destinations>.example},
 * and a {@link SampleMail} of about the asked size (different bytes for every job, so lz4 compresses it
 * as it would real mail).
 */
final class JobWriter {
    static final String QUEUE_ID_PREFIX = "rb";
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);

    /** What was written: how many jobs, their encoded bytes and the messages' bytes. */
    record Written(long jobs, long jobBytes, long messageBytes, double seconds) {}

    private JobWriter() {}

    static long indexOf(String queueId) {
        if (!queueId.startsWith(QUEUE_ID_PREFIX)) {
            return -1;
        }
        try {
            return Long.parseLong(queueId.substring(QUEUE_ID_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static Written write(KafkaSettings kafka, Topics topics, RetryBenchOptions o, Instant now) {
        int bodySize = bodySizeFor(o.messageSize());
        String topic = topics.deliver("default");
        AtomicReference<Exception> failed = new AtomicReference<>();
        long jobBytes = 0;
        long messageBytes = 0;
        long start = System.nanoTime();
        Map<String, Object> config = kafka.producer("bench-retry-writer");
        // One request in flight per partition: the topic was created a moment ago, and a second request
        // that overtakes a first one refused with NOT_LEADER_OR_FOLLOWER leaves the first one failing with
        // OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms (KAFKA-15591; seen here on Kafka 4.4.0).
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < o.jobs() && failed.get() == null; i++) {
                String domain = "d" + (i % o.destinations()) + ".example";
                byte[] message = new SampleMail("alice@example.com", "user" + i + "@" + domain, bodySize).message(i);
                byte[] value = JOB.encode(job(i, domain, message, now));
                jobBytes += value.length;
                messageBytes += message.length;
                producer.send(new ProducerRecord<>(topic, domain.getBytes(StandardCharsets.UTF_8), value), (meta, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("writing the jobs failed: " + failed.get(), failed.get());
        }
        return new Written(o.jobs(), jobBytes, messageBytes, (System.nanoTime() - start) / 1e9);
    }

    static DeliveryJob job(long index, String domain, byte[] message, Instant now) {
        String queueId = QUEUE_ID_PREFIX + index;
        Recipient rcpt = Recipient.newBuilder().setAddress("user" + index + "@" + domain).build();
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId).setReceivedAt(now.minusSeconds(60)).setIngressNode("bench")
                .setListener(Listener.SUBMISSION).setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setProtocol("ESMTPSA").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.com").build())
                .setRecipients(List.of(rcpt))
                .build();
        return DeliveryJob.newBuilder()
                .setJobId(queueId + "/" + domain).setEnvelope(envelope).setDestination(domain).setSite("default")
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop(null).build())
                .setRecipients(List.of(rcpt)).setAttempt(0)
                .setFirstSeenAt(now.minusSeconds(60)).setNotBefore(now.minusSeconds(1))
                .setMessage(ByteBuffer.wrap(message))
                .build();
    }

    /** The body size that makes message 0 about {@code messageSize} bytes (within one base64 line). */
    static int bodySizeFor(int messageSize) {
        int guess = Math.max(0, messageSize - 700);
        int actual = new SampleMail("alice@example.com", "user0@d0.example", guess).message(0).length;
        return Math.max(0, guess + messageSize - actual);
    }
}
