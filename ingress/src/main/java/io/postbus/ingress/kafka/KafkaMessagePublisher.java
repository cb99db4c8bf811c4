package io.postbus.ingress.kafka;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.ingress.server.ConnectionInfo;
import io.postbus.ingress.server.MessagePublisher;
import io.postbus.ingress.smtp.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Stage;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted mail to {@code mail.received} with an idempotent, acks=all producer and completes
 * only on the broker's acknowledgement. {@code send} can block while metadata is missing (broker
 * down), so it runs on its own thread, never on an event loop; the time to acknowledgement is
 * bounded by {@code delivery.timeout.ms}, after which the client gets 451 and nothing is kept
 * as far as the client knows (a late duplicate is possible, as in every MTA, and is harmless).
 */
public final class KafkaMessagePublisher implements MessagePublisher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaMessagePublisher.class);
    private static final AvroCodec<ReceivedMail> CODEC = AvroCodec.of(ReceivedMail.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ingress-kafka-send");
        t.setDaemon(true);
        return t;
    });
    private final Topics topics;
    private final Events events;
    private final String node;
    private final Clock clock;

    public KafkaMessagePublisher(KafkaSettings kafka, Topics topics, String node, Clock clock, Duration ackTimeout) {
        Map<String, Object> props = kafka.producer("ingress-" + node);
        long timeout = ackTimeout.toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        int requestTimeout = (int) Math.min(timeout, 30_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
        // Kafka insists on delivery.timeout >= linger + request.timeout.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout, requestTimeout + 10));
        this.producer = new KafkaProducer<>(props);
        this.topics = topics;
        this.events = new Events(topics, Stage.INGRESS, node, clock);
        this.node = node;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> publish(Envelope.Accepted message, ConnectionInfo connection) {
        ReceivedMail mail = ReceivedMailMapper.toAvro(message, connection, node, clock.instant());
        byte[] key = message.queueId().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    producer.send(new ProducerRecord<>(topics.received(), key, CODEC.encode(mail)), (meta, err) -> {
                        if (err != null) {
                            acked.completeExceptionally(err);
                        } else {
                            acked.complete(null);
                            // Not here: this callback runs on the producer's I/O thread, and a send
                            // that waits for metadata would block the thread that fetches it.
                            try {
                                sender.execute(() -> reception(mail));
                            } catch (RejectedExecutionException closing) {
                                log.warn("Reception event for {} not written: shutting down", mail.getEnvelope().getQueueId());
                            }
                        }
                    });
                } catch (RuntimeException e) { // metadata wait ran out, or the producer is closed
                    acked.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** The Reception event follows the acknowledged message; its loss would not lose mail. */
    private void reception(ReceivedMail mail) {
        var env = mail.getEnvelope();
        var event = events.event(EventType.RECEPTION, env.getQueueId())
                .setAt(env.getReceivedAt())
                .setSender(env.getMailFrom().getAddress())
                .setRecipients(env.getRecipients().stream().map(r -> r.getAddress()).toList())
                .setSize((long) mail.getMessage().remaining())
                .setRemoteAddress(env.getClient().getAddress())
                .setRemoteHost(env.getClient().getReverseName())
                .setTls(env.getTls())
                .setTopic(topics.received())
                .build();
        producer.send(events.record(event), (meta, err) -> {
            if (err != null) {
                log.warn("Reception event for {} not written: {}", env.getQueueId(), err.toString());
            }
        });
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }

    static List<String> addresses(Envelope.Accepted m) {
        return m.recipients().stream().map(Envelope.Recipient::address).toList();
    }
}
