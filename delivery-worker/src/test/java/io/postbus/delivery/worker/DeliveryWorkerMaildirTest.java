package io.postbus.delivery.worker;

import io.postbus.delivery.smtp.TestNet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.TopicAdmin;
import io.postbus.core.kafka.TopicSpec;
import io.postbus.core.kafka.Topics;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.core.mail.QueueIdGenerator;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.DeliverySettings;
import io.postbus.delivery.core.DsnSettings;
import io.postbus.delivery.core.RetrySchedule;
import io.postbus.delivery.maildir.MaildirNames;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.TestKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery worker on a real broker with the standard agents: a MAILDIR job as the queue router
 * writes it ends as files in the mailbox's new/ and one committed Delivery event; an LMTP job to a
 * small mailbox server ends with one outcome per recipient (RFC 2033 §4.2): a Delivery for the
 * stored copy, a retry job for the full mailbox.
 */
class DeliveryWorkerMaildirTest {
    private static final AvroCodec<DeliveryJob> JOBS = AvroCodec.of(DeliveryJob.class);
    private static final Clock CLOCK = Clock.systemUTC();
    private static final QueueIdGenerator IDS = new QueueIdGenerator(CLOCK, 4);
    private static final byte[] MESSAGE = ("From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Lunch\r\n"
            + "\r\nAt noon?\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path spool;

    private static Topics topics;
    private static TransactionalStage stage;
    private static KafkaProducer<byte[], byte[]> producer;
    private static CommittedTopic events;
    private static CommittedTopic retries;

    @BeforeAll
    static void start() {
        String bootstrap = TestKafka.bootstrapServers();
        topics = new Topics(TestKafka.uniquePrefix("delivery-maildir"));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("maildir-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.deliver("default"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1m"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.received(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
        StageContext ctx = new StageContext(new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of()), topics,
                "node-4", CLOCK, new SimpleMeterRegistry());
        var agent = DeliveryAgents.standard(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                new DeliverySettings("mx.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(10)), CLOCK);
        stage = new DeliveryWorker(ctx, agent, new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m")),
                Duration.ofDays(5), BounceClassifier.builtIn(), DsnSettings.defaults("mx.postbus.test"), IDS::next).start();
        producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("maildir-test"));
        events = new CommittedTopic(bootstrap, topics.events());
        retries = new CommittedTopic(bootstrap, topics.retry("1m"));
    }

    @AfterAll
    static void stop() {
        WorkerTestParts.closeAll(producer, stage, events, retries);
    }

    @Test
    void aMaildirJobEndsAsFilesInNewAndOneDeliveryEvent() throws Exception {
        String queueId = IDS.next();
        Path maildir = spool.resolve("example.net/bob/");
        send(job(queueId, Transport.MAILDIR, maildir.toString() + "/", "bob@example.net", "bob.smith@example.net"));

        List<LifecycleEvent> delivered = awaitEvents(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(queueId));
        LifecycleEvent ev = delivered.get(0);
        assertThat(ev.getRecipients()).containsExactly("bob@example.net", "bob.smith@example.net");
        assertThat(ev.getReply().getCode()).isEqualTo(250);
        assertThat(ev.getReply().getEnhancedStatus()).isEqualTo("2.0.0");
        assertThat(ev.getRemoteHost()).as("no remote host: this process wrote the mailbox").isNull();

        List<Path> files = list(maildir.resolve("new"));
        assertThat(files).hasSize(2);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            String head = new String(bytes, 0, bytes.length - MESSAGE.length, StandardCharsets.US_ASCII);
            assertThat(head).matches("Return-Path: <alice@example\\.org>\r\nDelivered-To: bob(\\.smith)?@example\\.net\r\n");
            assertThat(Arrays.copyOfRange(bytes, bytes.length - MESSAGE.length, bytes.length)).isEqualTo(MESSAGE);
            assertThat(MaildirNames.sizeOf(f.getFileName().toString())).isEqualTo(bytes.length);
        }
        assertThat(list(maildir.resolve("tmp"))).isEmpty();
    }

    @Test
    void anLmtpJobGetsOneOutcomePerRecipientFromTheMailboxServer() throws Exception {
        String queueId = IDS.next();
        try (ServerSocket lmtp = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> serveLmtpOnce(lmtp), "lmtp-peer");
            peer.setDaemon(true);
            peer.start();
            send(job(queueId, Transport.LMTP, "[127.0.0.1]:" + lmtp.getLocalPort(), "carol@example.net", "dave@example.net"));

            LifecycleEvent ok = awaitEvents(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(queueId)).get(0);
            assertThat(ok.getRecipients()).containsExactly("carol@example.net");
            assertThat(ok.getRemoteAddress()).isEqualTo("127.0.0.1");
            LifecycleEvent later = awaitEvents(e -> e.getType() == EventType.TRANSIENT_FAILURE && e.getQueueId().equals(queueId)).get(0);
            assertThat(later.getRecipients()).containsExactly("dave@example.net");
            assertThat(later.getReply().getCode()).isEqualTo(452);
            assertThat(later.getTopic()).isEqualTo(topics.retry("1m"));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> retries.records().stream()
                .map(r -> JOBS.decode(r.value())).anyMatch(j -> j.getEnvelope().getQueueId().equals(queueId)));
        DeliveryJob retry = retries.records().stream().map(r -> JOBS.decode(r.value()))
                .filter(j -> j.getEnvelope().getQueueId().equals(queueId)).findFirst().orElseThrow();
        assertThat(retry.getRoute().getTransport()).isEqualTo(Transport.LMTP);
        assertThat(retry.getRecipients()).extracting(Recipient::getAddress).containsExactly("dave@example.net");
    }

    /** A mailbox server for one session (RFC 2033): carol's copy is stored, dave's mailbox is full. */
    private static void serveLmtpOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            Writer out = new OutputStreamWriter(s.getOutputStream(), StandardCharsets.US_ASCII);
            out.write("220 mailstore.test LMTP\r\n");
            out.flush();
            List<String> accepted = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.toUpperCase(Locale.ROOT);
                if (cmd.startsWith("LHLO ")) {
                    out.write("250-mailstore.test\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n");
                } else if (cmd.startsWith("MAIL FROM:")) {
                    out.write("250 2.1.0 ok\r\n");
                } else if (cmd.startsWith("RCPT TO:")) {
                    accepted.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')));
                    out.write("250 2.1.5 ok\r\n");
                } else if (cmd.equals("DATA")) {
                    out.write("354 go ahead\r\n");
                    out.flush();
                    while (!".".equals(in.readLine())) {
                        // the message
                    }
                    for (String r : accepted) {
                        out.write(r.startsWith("carol") ? "250 2.0.0 <" + r + "> saved\r\n"
                                : "452 4.2.2 <" + r + "> mailbox full\r\n");
                    }
                } else if (cmd.equals("QUIT")) {
                    out.write("221 2.0.0 bye\r\n");
                    out.flush();
                    return;
                } else {
                    out.write("500 5.5.1 unexpected: " + line + "\r\n");
                }
                out.flush();
            }
        } catch (IOException e) {
            // The test's assertions on the worker's events say what went wrong.
        }
    }

    private static DeliveryJob job(String queueId, Transport transport, String nextHop, String... rcpts) {
        List<Recipient> recipients = Arrays.stream(rcpts)
                .map(r -> Recipient.newBuilder().setAddress(r).setNotify(List.of()).setOriginalRecipient(null).build()).toList();
        Instant now = CLOCK.instant();
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId)
                .setReceivedAt(now)
                .setIngressNode("node-1")
                .setListener(Listener.SMTP)
                .setDirection(Direction.INBOUND)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setProtocol("ESMTP").build())
                .setMailFrom(MailFrom.newBuilder().setAddress("alice@example.org").build())
                .setRecipients(recipients)
                .build();
        String destination = (transport == Transport.MAILDIR ? "maildir:" : "lmtp:") + nextHop;
        return DeliveryJob.newBuilder()
                .setJobId(queueId + "/" + destination)
                .setEnvelope(envelope)
                .setDestination(destination)
                .setSite("default")
                .setRoute(Route.newBuilder().setTransport(transport).setNextHop(nextHop).build())
                .setRecipients(recipients)
                .setAttempt(0)
                .setFirstSeenAt(now)
                .setNotBefore(now.minusSeconds(1))
                .setLastError(null)
                .setMessage(ByteBuffer.wrap(MESSAGE))
                .build();
    }

    private static void send(DeliveryJob job) throws Exception {
        producer.send(new ProducerRecord<>(topics.deliver("default"), job.getDestination().getBytes(StandardCharsets.UTF_8),
                JOBS.encode(job))).get();
    }

    private static List<LifecycleEvent> awaitEvents(Predicate<LifecycleEvent> which) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> decodedEvents().stream().anyMatch(which));
        List<LifecycleEvent> found = decodedEvents().stream().filter(which).toList();
        assertThat(found).as("exactly one such event").hasSize(1);
        return found;
    }

    private static List<LifecycleEvent> decodedEvents() {
        return events.records().stream().map(r -> Events.codec().decode(r.value())).toList();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
