package io.postbus.loadtest.delivery;

import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.loadtest.bench.BenchMessage;
import io.postbus.loadtest.bench.BodyContent;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Puts delivery jobs on mail.deliver.default as the queue-router would for a relayhost: one
 * recipient each, next hop {@code [host]:port}, due now. The message is the accept benchmark's
 * ({@link BenchMessage}: headers with a Message-ID per message, a body of base64 lines of random
 * bytes), so Postfix in scripts/bench-delivery is given the same mail by AcceptBench.
 *
 * <p>Each phase is one transaction: the worker reads {@code read_committed}, so it sees none of the
 * jobs until the commit and then all of them; the loading is not part of the measurement.
 */
final class JobLoader implements AutoCloseable {
    static final String SITE = "default";
    static final String SENDER = "bench@example.net";
    static final String RECIPIENT = "sink@example.com";
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final String nextHop;
    private final BenchMessage message;
    private final byte[] scratch;
    private final SplittableRandom random = new SplittableRandom(6);
    private final Clock clock;

    JobLoader(KafkaSettings kafka, Topics topics, String nextHop, int bodySize, Clock clock) {
        this.topics = topics;
        this.nextHop = nextHop;
        this.clock = clock;
        this.message = new BenchMessage(SENDER, RECIPIENT, bodySize, BodyContent.RANDOM);
        this.scratch = new byte[bodySize];
        this.producer = new KafkaProducer<>(kafka.transactionalProducer("bench-jobs", topics.prefix() + "bench-jobs"));
        producer.initTransactions();
    }

    /** Sends jobs {@code prefix0 .. prefix(count-1)} in an open transaction; {@link #commit()} shows them. */
    void send(String prefix, int count) {
        producer.beginTransaction();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) {
            DeliveryJob job = job(prefix + i, now);
            records.add(new ProducerRecord<>(topics.deliver(SITE), job.getDestination().getBytes(StandardCharsets.UTF_8),
                    JOB.encode(job)));
        }
        records.forEach(producer::send);
        producer.flush();
    }

    void commit() {
        producer.commitTransaction();
    }

    private DeliveryJob job(String queueId, Instant now) {
        byte[] headers = message.headers(queueId);
        byte[] body = message.body(scratch, random);
        byte[] bytes = new byte[headers.length + body.length];
        System.arraycopy(headers, 0, bytes, 0, headers.length);
        System.arraycopy(body, 0, bytes, headers.length, body.length);
        Recipient rcpt = Recipient.newBuilder().setAddress(RECIPIENT).build();
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId).setReceivedAt(now).setIngressNode("bench")
                .setListener(Listener.SMTP).setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("127.0.0.1").setPort(40000).setProtocol("ESMTP").build())
                .setMailFrom(MailFrom.newBuilder().setAddress(SENDER).build())
                .setRecipients(List.of(rcpt))
                .build();
        String domain = RECIPIENT.substring(RECIPIENT.indexOf('@') + 1);
        return DeliveryJob.newBuilder()
                .setJobId(queueId + "/" + domain).setEnvelope(envelope).setDestination(domain).setSite(SITE)
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop(nextHop).build())
                .setRecipients(List.of(rcpt)).setAttempt(0)
                .setFirstSeenAt(now).setNotBefore(now.minusSeconds(1))
                .setMessage(ByteBuffer.wrap(bytes))
                .build();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
