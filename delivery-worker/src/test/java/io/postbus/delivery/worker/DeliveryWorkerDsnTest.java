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
import io.postbus.schemas.BodyType;
import io.postbus.schemas.BounceClass;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryFailure;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Direction;
import io.postbus.schemas.DsnNotify;
import io.postbus.schemas.DsnReturn;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.SmtpReply;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.FakeMx;
import io.postbus.testkit.TestKafka;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.angus.mail.dsn.DeliveryStatus;
import org.eclipse.angus.mail.dsn.MultipartReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery worker on a real broker against a receiving MTA on a real socket (the test kit's FakeMx)
 * that refuses some recipients: the reports it writes to mail.received, in the attempt's transaction, read
 * back as the next stage would and parsed with Angus Mail (RFC 3464, RFC 3461, RFC 6522).
 */
class DeliveryWorkerDsnTest {
    private static final String MYHOSTNAME = "mail.postbus.test";
    private static final AvroCodec<DeliveryJob> JOBS = AvroCodec.of(DeliveryJob.class);
    private static final AvroCodec<ReceivedMail> RECEIVED = AvroCodec.of(ReceivedMail.class);
    private static final Clock CLOCK = Clock.systemUTC();
    private static final QueueIdGenerator IDS = new QueueIdGenerator(CLOCK, 3);
    private static final Duration BOUNCE_LIFETIME = Duration.ofDays(2);

    private static FakeMx sink;
    /** A receiving MTA that offers DSN (RFC 3461): it takes the parameters, and the reports with them. */
    private static FakeMx dsnSink;
    private static Topics topics;
    private static TransactionalStage stage;
    private static KafkaProducer<byte[], byte[]> producer;
    private static CommittedTopic received;
    private static CommittedTopic events;

    @BeforeAll
    static void start() {
        sink = FakeMx.start();
        for (String r : List.of("nobody@example.net", "nobody2@example.net", "nobody-postmaster@example.net")) {
            sink.rcpt(r, FakeMx.RcptScript.always(
                    "550 5.1.1 <" + r + ">: Recipient address rejected: User unknown in virtual mailbox table"));
        }
        for (String r : List.of("busy@example.net", "busy-bounce@example.net", "busy-ordinary@example.net")) {
            sink.rcpt(r, FakeMx.RcptScript.always("450 4.2.1 <" + r + ">: mailbox busy, try again later"));
        }
        dsnSink = FakeMx.start().reply(FakeMx.Command.EHLO, "250-dsn.example.net\n250-8BITMIME\n250-DSN\n250 ENHANCEDSTATUSCODES");
        dsnSink.rcpt("nobody@example.net", FakeMx.RcptScript.always("550 5.1.1 <nobody@example.net>: User unknown"));
        String bootstrap = TestKafka.bootstrapServers();
        topics = new Topics(TestKafka.uniquePrefix("delivery-dsn"));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap, 1 << 20).admin("dsn-test"))) {
            new TopicAdmin(admin, Duration.ofSeconds(30)).ensure(List.of(
                    new TopicSpec(topics.deliver("default"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.retry("1m"), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.received(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.events(), 1, (short) 1, Map.of()),
                    new TopicSpec(topics.dead(), 1, (short) 1, Map.of())));
        }
        StageContext ctx = new StageContext(new KafkaSettings(bootstrap, "test", 1 << 20, "lz4", Map.of()), topics,
                "node-3", CLOCK, new SimpleMeterRegistry());
        var agent = new SmtpDeliveryAgent(TestNet.vertx(), ZoneFileResolver.fromString("invalid.", ""),
                new DeliverySettings("client.postbus.test", false, Duration.ofSeconds(5), Duration.ofSeconds(10)));
        stage = new DeliveryWorker(ctx, agent, new RetrySchedule(Duration.ofMinutes(1), Duration.ofHours(1), List.of("1m")),
                Duration.ofDays(5), BounceClassifier.builtIn(),
                DsnSettings.defaults(MYHOSTNAME).withDelayWarningTime(Duration.ofHours(4)), IDS::next)
                .expiringBouncesAfter(BOUNCE_LIFETIME).start();
        producer = new KafkaProducer<>(KafkaSettings.of(bootstrap, 1 << 20).producer("dsn-test"));
        received = new CommittedTopic(bootstrap, topics.received());
        events = new CommittedTopic(bootstrap, topics.events());
    }

    @AfterAll
    static void stop() {
        WorkerTestParts.closeAll(producer, stage, received, events, sink, dsnSink);
    }

    @Test
    void aRecipientRefusedWith550GetsTheSenderOneFailureReport() throws Exception {
        String queueId = IDS.next();
        Instant now = CLOCK.instant();
        DeliveryJob job = job(queueId, "alice@example.org", DsnReturn.HDRS, "ENV-42", now, null,
                rcpt("ok@example.net"),
                rcpt("nobody@example.net", "rfc822;Nobody@Example.NET", DsnNotify.FAILURE),
                rcpt("nobody2@example.net"));
        send(job);

        List<ReceivedMail> reports = awaitReports(queueId, 1);
        ReceivedMail dsn = reports.get(0);
        Envelope env = dsn.getEnvelope();
        assertThat(env.getMailFrom().getAddress()).as("MAIL FROM:<>").isEmpty();
        assertThat(env.getRecipients()).extracting(Recipient::getAddress).containsExactly("alice@example.org");
        assertThat(env.getListener()).isEqualTo(Listener.LOCAL);
        assertThat(env.getDirection()).as("signed by the auth worker like our own mail").isEqualTo(Direction.ORIGINATING);
        assertThat(env.getClient().getProtocol()).isEqualTo("LOCAL");
        assertThat(env.getIngressNode()).isEqualTo("node-3");
        assertThat(QueueIdGenerator.isValid(env.getQueueId())).isTrue();
        assertThat(env.getQueueId()).isNotEqualTo(queueId);
        assertThat(env.getMailFrom().getBody()).isEqualTo(BodyType.SEVEN_BIT);

        MimeMessage m = parse(dsn);
        assertThat(m.getHeader("Received", null)).startsWith("by mail.postbus.test (Postbus) id " + env.getQueueId() + ";");
        assertThat(m.getHeader("From", null)).isEqualTo("Mail Delivery System <MAILER-DAEMON@mail.postbus.test>");
        assertThat(m.getHeader("To", null)).isEqualTo("alice@example.org");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(m.getMessageID()).matches("<\\d{14}\\." + env.getQueueId() + "@mail\\.postbus\\.test>");
        MultipartReport report = (MultipartReport) m.getContent();
        assertThat(report.getText().replaceAll("\\r?\\n {4}", " ")).contains("host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <nobody@example.net>");
        DeliveryStatus status = (DeliveryStatus) report.getReport();
        assertThat(status.getMessageDSN().getHeader("Reporting-MTA", null)).isEqualTo("dns; mail.postbus.test");
        assertThat(status.getMessageDSN().getHeader("Original-Envelope-Id", null)).isEqualTo("ENV-42");
        assertThat(status.getMessageDSN().getHeader("X-Postbus-Queue-ID", null)).isEqualTo(queueId);
        assertThat(status.getRecipientDSNCount()).as("one report for both refused recipients").isEqualTo(2);
        var bob = status.getRecipientDSN(0);
        assertThat(bob.getHeader("Original-Recipient", null)).isEqualTo("rfc822; Nobody@Example.NET");
        assertThat(bob.getHeader("Final-Recipient", null)).isEqualTo("rfc822; nobody@example.net");
        assertThat(bob.getHeader("Action", null)).isEqualTo("failed");
        assertThat(bob.getHeader("Status", null)).isEqualTo("5.1.1");
        assertThat(bob.getHeader("Remote-MTA", null)).isEqualTo("dns; 127.0.0.1");
        assertThat(bob.getHeader("Diagnostic-Code", null).replaceAll("\r\n[ \t]+", " "))
                .isEqualTo("smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table");
        assertThat(status.getRecipientDSN(1).getHeader("Final-Recipient", null)).isEqualTo("rfc822; nobody2@example.net");
        // RET=HDRS
        assertThat(report.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        assertThat(report.getReturnedMessage().getSubject()).isEqualTo("Quarterly figures");

        // In the same transaction: the Bounce event with its class, and the report's Reception event.
        List<LifecycleEvent> evs = awaitEvents(e -> e.getType() == EventType.BOUNCE && e.getQueueId().equals(queueId), 1);
        assertThat(evs.get(0).getBounceClass()).isEqualTo(BounceClass.BAD_MAILBOX);
        assertThat(evs.get(0).getDetail()).startsWith("bounce class by rule built-in bounce-rules.txt:");
        List<LifecycleEvent> reception = awaitEvents(e -> e.getType() == EventType.RECEPTION
                && e.getQueueId().equals(env.getQueueId()), 1);
        assertThat(reception.get(0).getDetail()).isEqualTo("failure notification for " + queueId + " (2 recipients)");
        assertThat(reception.get(0).getSender()).isEmpty();
        assertThat(sink.transactions()).anyMatch(t -> t.accepted() && t.recipients().equals(List.of("ok@example.net")));
    }

    @Test
    void notifySuccessGetsARelayedReportAndNeverGetsNothing() throws Exception {
        String queueId = IDS.next();
        DeliveryJob job = job(queueId, "alice@example.org", null, null, CLOCK.instant(), null,
                rcpt("ok@example.net", null, DsnNotify.SUCCESS, DsnNotify.FAILURE),
                rcpt("nobody@example.net", null, DsnNotify.NEVER));
        send(job);

        awaitEvents(e -> e.getType() == EventType.BOUNCE && e.getQueueId().equals(queueId), 1);
        List<ReceivedMail> reports = awaitReports(queueId, 1);
        DeliveryStatus status = (DeliveryStatus) ((MultipartReport) parse(reports.get(0)).getContent()).getReport();
        assertThat(parse(reports.get(0)).getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(status.getRecipientDSNCount()).isEqualTo(1);
        assertThat(status.getRecipientDSN(0).getHeader("Final-Recipient", null)).isEqualTo("rfc822; ok@example.net");
        assertThat(status.getRecipientDSN(0).getHeader("Action", null)).isEqualTo("relayed");
        assertThat(status.getRecipientDSN(0).getHeader("Status", null)).isEqualTo("2.0.0");
        // The refused NOTIFY=NEVER recipient: its Bounce event is committed, its report never written.
        assertThat(reportsAbout(queueId)).hasSize(1);
    }

    @Test
    void notifySuccessToAServerThatTookTheDsnParametersGetsNoReportFromUs() throws Exception {
        // RFC 3461 §5.2.2 (and §4.1): the request for a success report went on with the message, so the
        // DSN-capable server reports; a "relayed" report from us as well would be one too many.
        String queueId = IDS.next();
        DeliveryJob job = via(dsnSink, job(queueId, "alice@example.org", DsnReturn.HDRS, "ENV-7", CLOCK.instant(), null,
                rcpt("ok@example.net", "rfc822;OK@example.net", DsnNotify.SUCCESS, DsnNotify.FAILURE),
                rcpt("nobody@example.net", null, DsnNotify.FAILURE)));
        send(job);

        awaitEvents(e -> e.getType() == EventType.DELIVERY && e.getQueueId().equals(queueId), 1);
        // The refused recipient's failure report is written in the same transaction as a success
        // report would be: once it is visible, a success report would be too.
        List<ReceivedMail> reports = awaitReports(queueId, 1);
        assertThat(parse(reports.get(0)).getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        DeliveryStatus status = (DeliveryStatus) ((MultipartReport) parse(reports.get(0)).getContent()).getReport();
        assertThat(status.getRecipientDSNCount()).isEqualTo(1);
        assertThat(status.getRecipientDSN(0).getHeader("Final-Recipient", null)).isEqualTo("rfc822; nobody@example.net");
        assertThat(reportsAbout(queueId)).as("no success report").hasSize(1);
        assertThat(dsnSink.transactions()).anyMatch(t -> t.accepted() && t.recipients().equals(List.of("ok@example.net")));
    }

    @Test
    void aFailedNullSenderMessageIsReportedToThePostmasterOnce() throws Exception {
        String queueId = IDS.next();
        send(job(queueId, "", null, null, CLOCK.instant(), null,
                rcpt("nobody@example.net"), rcpt("nobody-postmaster@example.net")));
        List<ReceivedMail> reports = awaitReports(queueId, 1);
        assertThat(reports.get(0).getEnvelope().getRecipients()).extracting(Recipient::getAddress)
                .containsExactly("postmaster@mail.postbus.test");
        assertThat(parse(reports.get(0)).getSubject()).isEqualTo("Postmaster Copy: Undelivered Mail");

        // A double bounce that fails in turn (here: expires) makes no third report.
        String expiredId = IDS.next();
        send(job(expiredId, "", null, null, CLOCK.instant().minus(Duration.ofDays(6)), null,
                rcpt("postmaster@mail.postbus.test")));
        awaitEvents(e -> e.getType() == EventType.EXPIRATION && e.getQueueId().equals(expiredId), 1);
        assertThat(reportsAbout(expiredId)).isEmpty();
    }

    @Test
    void theFirstAttemptPastDelayWarningTimeWarnsTheSender() throws Exception {
        String queueId = IDS.next();
        Instant now = CLOCK.instant();
        // Queued 5 hours ago; the previous attempt was 4.5 hours ago, before the 4-hour line.
        DeliveryFailure previous = DeliveryFailure.newBuilder().setAt(now.minus(Duration.ofMinutes(270)))
                .setReply(SmtpReply.newBuilder().setCode(450).setEnhancedStatus("4.2.1").setText("busy").build())
                .setRemoteHost("127.0.0.1").setDetail("450 4.2.1 busy").build();
        send(job(queueId, "alice@example.org", DsnReturn.FULL, null, now.minus(Duration.ofHours(5)), previous,
                rcpt("busy@example.net")));

        List<ReceivedMail> reports = awaitReports(queueId, 1);
        MimeMessage m = parse(reports.get(0));
        assertThat(m.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        MultipartReport report = (MultipartReport) m.getContent();
        DeliveryStatus status = (DeliveryStatus) report.getReport();
        assertThat(status.getRecipientDSN(0).getHeader("Action", null)).isEqualTo("delayed");
        assertThat(status.getRecipientDSN(0).getHeader("Status", null)).isEqualTo("4.2.1");
        assertThat(status.getRecipientDSN(0).getHeader("Will-Retry-Until", null)).isNotNull();
        assertThat(report.getBodyPart(2).getContentType()).as("RFC 3461 §4.3: no failure, headers only")
                .isEqualTo("text/rfc822-headers");

        // The retry job goes to its tier; its last error is now past the line, so it will not warn again.
        awaitEvents(e -> e.getType() == EventType.TRANSIENT_FAILURE && e.getQueueId().equals(queueId), 1);
    }

    @Test
    void anExpiredJobBouncesWithItsLastErrorAndNoConnection() throws Exception {
        String queueId = IDS.next();
        int connections = sink.connectionCount();
        Instant now = CLOCK.instant();
        DeliveryFailure previous = DeliveryFailure.newBuilder().setAt(now.minus(Duration.ofHours(1)))
                .setReply(SmtpReply.newBuilder().setCode(451).setEnhancedStatus("4.4.1").setText("connection refused").build())
                .setRemoteHost(null).setDetail("451 4.4.1 connection refused").build();
        send(job(queueId, "alice@example.org", null, null, now.minus(Duration.ofDays(6)), previous, rcpt("late@example.net")));

        List<ReceivedMail> reports = awaitReports(queueId, 1);
        MultipartReport report = (MultipartReport) parse(reports.get(0)).getContent();
        DeliveryStatus status = (DeliveryStatus) report.getReport();
        assertThat(status.getRecipientDSN(0).getHeader("Action", null)).isEqualTo("failed");
        assertThat(status.getRecipientDSN(0).getHeader("Status", null)).as("Postfix keeps the last 4.x.x").isEqualTo("4.4.1");
        assertThat(status.getRecipientDSN(0).getHeader("Diagnostic-Code", null)).isEqualTo("X-Postbus; 451 4.4.1 connection refused");
        assertThat(report.getBodyPart(2).getContentType()).as("no RET: the whole message").isEqualTo("message/rfc822");
        assertThat(sink.connectionCount()).isEqualTo(connections);
    }

    @Test
    void nullSenderMailExpiresAfterTheBounceLifetimeOtherMailOnlyAfterTheMaximalOne() throws Exception {
        // Postfix bounce_queue_lifetime: both queued 3 days ago, past the 2-day bounce lifetime and
        // inside the 5-day maximal one; both to a recipient the server defers.
        Instant threeDaysAgo = CLOCK.instant().minus(Duration.ofDays(3));
        String bounce = IDS.next();
        String ordinary = IDS.next();
        int connections = sink.connectionCount();
        send(job(bounce, "", null, null, threeDaysAgo, null, rcpt("busy-bounce@example.net")));
        List<LifecycleEvent> expired = awaitEvents(e -> e.getType() == EventType.EXPIRATION && e.getQueueId().equals(bounce), 1);
        assertThat(expired.get(0).getSender()).isEmpty();
        assertThat(expired.get(0).getRecipients()).containsExactly("busy-bounce@example.net");
        assertThat(sink.connectionCount()).as("expired before any attempt").isEqualTo(connections);

        send(job(ordinary, "alice@example.org", null, null, threeDaysAgo, null, rcpt("busy-ordinary@example.net")));
        List<LifecycleEvent> deferred = awaitEvents(e -> e.getType() == EventType.TRANSIENT_FAILURE
                && e.getQueueId().equals(ordinary), 1);
        assertThat(deferred.get(0).getReply().getCode()).isEqualTo(450);
        assertThat(decodedEvents()).noneMatch(e -> e.getType() == EventType.EXPIRATION && e.getQueueId().equals(ordinary));
        // Committed with the Expiration event: only the postmaster's double-bounce copy, never a sender's report.
        assertThat(reportsAbout(bounce)).singleElement().satisfies(r -> assertThat(r.getEnvelope().getRecipients())
                .extracting(Recipient::getAddress).containsExactly("postmaster@mail.postbus.test"));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Recipient rcpt(String address) {
        return rcpt(address, null);
    }

    private static Recipient rcpt(String address, String orcpt, DsnNotify... notify) {
        return Recipient.newBuilder().setAddress(address).setNotify(Arrays.asList(notify)).setOriginalRecipient(orcpt).build();
    }

    private static DeliveryJob job(String queueId, String sender, DsnReturn ret, String envid, Instant firstSeen,
                                   DeliveryFailure lastError, Recipient... rcpts) {
        byte[] message = ("From: Alice <alice@example.org>\r\nTo: team@example.net\r\nSubject: Quarterly figures\r\n"
                + "Message-ID: <" + queueId + "@example.org>\r\n\r\nThe figures are attached.\r\n").getBytes(StandardCharsets.US_ASCII);
        Envelope envelope = Envelope.newBuilder()
                .setQueueId(queueId)
                .setReceivedAt(firstSeen)
                .setIngressNode("node-1")
                .setListener(Listener.SUBMISSION)
                .setDirection(Direction.ORIGINATING)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.7").setPort(40000).setProtocol("ESMTPSA").build())
                .setMailFrom(MailFrom.newBuilder().setAddress(sender).setRet(ret).setEnvelopeId(envid).build())
                .setRecipients(List.of(rcpts))
                .build();
        return DeliveryJob.newBuilder()
                .setJobId(queueId + "/example.net")
                .setEnvelope(envelope)
                .setDestination("example.net")
                .setSite("default")
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop("[127.0.0.1]:" + sink.port()).build())
                .setRecipients(List.of(rcpts))
                .setAttempt(lastError == null ? 0 : 1)
                .setFirstSeenAt(firstSeen)
                .setNotBefore(CLOCK.instant().minusSeconds(1))
                .setLastError(lastError)
                .setMessage(ByteBuffer.wrap(message))
                .build();
    }

    private static DeliveryJob via(FakeMx mx, DeliveryJob job) {
        return DeliveryJob.newBuilder(job)
                .setRoute(Route.newBuilder().setTransport(Transport.SMTP).setNextHop("[127.0.0.1]:" + mx.port()).build())
                .build();
    }

    private static void send(DeliveryJob job) throws Exception {
        producer.send(new ProducerRecord<>(topics.deliver("default"), "example.net".getBytes(StandardCharsets.UTF_8),
                JOBS.encode(job))).get();
    }

    /** Reports on mail.received about the message {@code queueId} (named in their delivery-status part). */
    private static List<ReceivedMail> reportsAbout(String queueId) {
        return received.records().stream().map(r -> RECEIVED.decode(r.value()))
                .filter(m -> new String(bytes(m), StandardCharsets.UTF_8).contains("X-Postbus-Queue-ID: " + queueId))
                .toList();
    }

    private static List<ReceivedMail> awaitReports(String queueId, int n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> reportsAbout(queueId).size() >= n);
        List<ReceivedMail> reports = reportsAbout(queueId);
        assertThat(reports).hasSize(n);
        return reports;
    }

    private static List<LifecycleEvent> awaitEvents(java.util.function.Predicate<LifecycleEvent> which, int n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> decodedEvents().stream().filter(which).count() >= n);
        return decodedEvents().stream().filter(which).collect(Collectors.toList());
    }

    private static List<LifecycleEvent> decodedEvents() {
        return events.records().stream().map(r -> Events.codec().decode(r.value())).toList();
    }

    private static byte[] bytes(ReceivedMail m) {
        ByteBuffer b = m.getMessage().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static MimeMessage parse(ReceivedMail m) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes(m)));
    }
}
