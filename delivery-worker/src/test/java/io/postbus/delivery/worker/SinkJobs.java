package io.postbus.delivery.worker;

import static org.awaitility.Awaitility.await;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.Transport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Delivery jobs for one recipient, routed to a test sink, and the events they make: shared by the worker tests. */
final class SinkJobs {
    private SinkJobs() {}

    /** A first-attempt SMTP job due now, received five seconds ago, next hop the sink on {@code sinkPort}. */
    static DeliveryJob job(String queueId, String rcpt, String site, Instant now, int sinkPort, String subject) {
        byte[] message = ("From: alice@example.org\r\nTo: " + rcpt + "\r\nSubject: " + subject + "\r\nMessage-ID: <" + queueId
                + "@example.org>\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
        Recipient r = Recipient.newBuilder().setAddress(rcpt).build();
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId).setReceivedAt(now.minusSeconds(5)).setIngressNode("node-1")
                .setListener(Listener.SUBMISSION).setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setProtocol("ESMTPSA").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.org").build())
                .setRecipients(List.of(r))
                .build();
        String domain = rcpt.substring(rcpt.indexOf('@') + 1);
        return DeliveryJob.newBuilder()
                .setJobId(queueId + "/" + domain).setEnvelope(envelope).setDestination(domain).setSite(site)
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop("[127.0.0.1]:" + sinkPort).build())
                .setRecipients(List.of(r)).setAttempt(0)
                .setFirstSeenAt(now.minusSeconds(5)).setNotBefore(now.minusSeconds(1))
                .setMessage(ByteBuffer.wrap(message))
                .build();
    }

    /** One partition each of the catch-all site's delivery topic, the 1m retry tier, events and dead letters. */
    static void ensureOneSiteTopics(String bootstrap, Topics topics) throws Exception {
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("sink-jobs"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.deliver("default"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1m"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
    }

    /** Puts the jobs on the catch-all site's delivery topic, keyed by destination, each acknowledged. */
    static void sendToDefaultSite(String bootstrap, Topics topics, List<DeliveryJob> jobs) throws Exception {
        AvroCodec<DeliveryJob> codec = AvroCodec.of(DeliveryJob.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("sink-jobs"))) {
            for (DeliveryJob job : jobs) {
                producer.send(new ProducerRecord<>(topics.deliver("default"), job.getDestination().getBytes(StandardCharsets.UTF_8),
                        codec.encode(job))).get();
            }
        }
    }

    static List<LifecycleEvent> decoded(CommittedTopic events) {
        return events.records().stream().map(r -> Events.codec().decode(r.value())).toList();
    }

    static LifecycleEvent awaitEvent(CommittedTopic events, Predicate<LifecycleEvent> which) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> decoded(events).stream().anyMatch(which));
        return decoded(events).stream().filter(which).findFirst().orElseThrow();
    }
}
