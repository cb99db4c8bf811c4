package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mailbox classes on the real pipeline up to the router: local users and virtual mailboxes become
 * Maildir jobs, a transport_maps lmtp: entry an LMTP job. Delivering those is the delivery worker's
 * part, so it is not started here; the test reads the jobs from mail.deliver.default.
 */
class MailboxRoutesPipelineTest {
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);

    @TempDir
    Path tmp;

    private Pipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void localVirtualMailboxAndLmtpRecipientsBecomeMailboxJobs() throws Exception {
        Path aliases = Files.writeString(tmp.resolve("aliases"), "sales: joe, ann\n");
        Path vmailbox = Files.writeString(tmp.resolve("vmailbox"), "bob@hosted.test  hosted.test/bob/\n");
        Path transport = Files.writeString(tmp.resolve("transport"), "dovecot.test  lmtp:[127.0.0.1]:24\n");
        Path spool = tmp.resolve("spool");
        Path vmail = tmp.resolve("vmail");
        Map<String, String> s = TestPipelines.settings("mailbox", 9);
        s.put("relayhost", "");
        s.put("myorigin", "postbus.test");
        s.put("mydestination", "postbus.test");
        s.put("alias.maps", aliases.toString());
        s.put("mail.spool.directory", spool.toString());
        s.put("virtual.mailbox.domains", "hosted.test");
        s.put("virtual.mailbox.maps", vmailbox.toString());
        s.put("virtual.mailbox.base", vmail.toString());
        s.put("relay.domains", "dovecot.test");
        s.put("transport.maps", transport.toString());
        PostbusConfig config = PostbusConfig.parse(s);
        pipeline = Pipeline.start(config, Set.of(Component.INGRESS, Component.AUTH, Component.SPAM, Component.ROUTER),
                Clock.systemUTC(), null);
        int port = pipeline.smtpPorts().get(ListenerKind.SMTP);

        String id = Swaks.queueId(Swaks.send(port, "someone@client.test",
                "sales@postbus.test,bob@hosted.test,carol@dovecot.test,dave@dovecot.test", null));

        List<DeliveryJob> jobs = jobs(pipeline.bootstrapServers(), config.topics().deliver("default"), 4, Duration.ofSeconds(60));
        assertThat(jobs).allSatisfy(j -> assertThat(j.getEnvelope().getQueueId()).isEqualTo(id));
        assertThat(jobs).extracting(j -> j.getRoute().getTransport(), j -> j.getRoute().getNextHop(),
                j -> j.getRecipients().stream().map(Recipient::getAddress).toList()).containsExactlyInAnyOrder(
                tuple(Transport.MAILDIR, spool.resolve("joe").toString(), List.of("joe@postbus.test")),
                tuple(Transport.MAILDIR, spool.resolve("ann").toString(), List.of("ann@postbus.test")),
                tuple(Transport.MAILDIR, vmail.resolve("hosted.test/bob").toString(), List.of("bob@hosted.test")),
                tuple(Transport.LMTP, "[127.0.0.1]:24", List.of("carol@dovecot.test", "dave@dovecot.test")));
        assertThat(jobs).filteredOn(j -> j.getRecipients().get(0).getAddress().equals("joe@postbus.test")).singleElement()
                .satisfies(j -> assertThat(j.getRecipients().get(0).getOriginalRecipient()).isEqualTo("rfc822;sales@postbus.test"));
    }

    /** Reads delivery jobs from the start of a topic until {@code n} have arrived, read_committed. */
    private static List<DeliveryJob> jobs(String bootstrap, String topic, int n, Duration timeout) {
        List<DeliveryJob> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "jobs-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            consumer.subscribe(List.of(topic));
            Instant end = Instant.now().plus(timeout);
            while (out.size() < n && Instant.now().isBefore(end)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(JOB.decode(r.value())));
            }
        }
        return out;
    }
}
