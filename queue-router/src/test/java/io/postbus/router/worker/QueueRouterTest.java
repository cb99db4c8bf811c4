package io.postbus.router.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.core.address.AddressClassifier;
import io.postbus.core.address.AddressingConfig;
import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlOrder;
import io.postbus.core.control.ControlState;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.Topics;
import io.postbus.core.table.LookupTable;
import io.postbus.core.table.ReloadingTable;
import io.postbus.core.table.TableSource;
import io.postbus.core.suppression.Suppression;
import io.postbus.core.suppression.SuppressionAction;
import io.postbus.core.suppression.SuppressionList;
import io.postbus.core.suppression.SuppressionReason;
import io.postbus.router.core.RecipientOutcome;
import io.postbus.router.core.RecipientSuppression;
import io.postbus.router.core.Router;
import io.postbus.router.core.RouterConfig;
import io.postbus.router.core.RoutingTable;
import io.postbus.schemas.AuthResults;
import io.postbus.schemas.BounceClass;
import io.postbus.schemas.ClientInfo;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.DsnNotify;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.Listener;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.SpamVerdict;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import io.postbus.testkit.MutableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's records for a routing plan, without a broker: what goes to mail.deliver.*, mail.events
 * and mail.reroute for one input record, and how a rerouted record comes back.
 */
class QueueRouterTest {
    private static final AvroCodec<ScoredMail> MAIL = AvroCodec.of(ScoredMail.class);
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Topics TOPICS = new Topics("t.");

    @TempDir
    Path tmp;

    private MutableClock clock;
    private Path virtual;
    private ReloadingTable virtualTable;
    private final List<List<RecipientOutcome.Bounced>> notified = new ArrayList<>();
    private QueueRouter stage;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(T0);
        virtual = tmp.resolve("virtual");
        Files.writeString(virtual, """
                team@alias.example   a@x.example, b@y.example
                loop@alias.example   loop2@alias.example
                loop2@alias.example  loop@alias.example
                """);
        virtualTable = new ReloadingTable(TableSource.postmap(virtual), Duration.ZERO, clock);
        AddressingConfig addressing = AddressingConfig.builder("example.com")
                .mydestination(List.of("example.com"))
                .virtualAliasDomains(List.of("alias.example"))
                .virtualAliasMaps(List.<LookupTable>of(virtualTable))
                .build();
        Router router = new Router(RouterConfig.builder(new AddressClassifier(addressing), Path.of("/var/mail"))
                .routing(new RoutingTable(null, Map.of()))
                .transportMaps(List.of(new ReloadingTable(TableSource.postmap(write("transport",
                        "gone.example  error:5.1.2 gone for good\n")), Duration.ZERO, clock)))
                .senderCanonicalMaps(List.of(new ReloadingTable(TableSource.postmap(write("sender_canonical",
                        "alice@example.com  alice.smith@example.com\n")), Duration.ZERO, clock)))
                .build());
        StageContext ctx = new StageContext(KafkaSettings.of("unused:9092", 1 << 20), TOPICS, "node-1", clock,
                new SimpleMeterRegistry());
        RouterBounces seam = (mail, failed) -> {
            notified.add(failed);
            return List.of(new ProducerRecord<>("t.dsn-test", new byte[0], new byte[0]));
        };
        stage = new QueueRouter(ctx, router, new QueueRouter.Settings(Duration.ofMinutes(5), Duration.ofDays(5), Duration.ofDays(1)),
                seam);
    }

    @Test
    void anOperatorsHoldParksTheMessageInRerouteAndReleasePlusRequeueRoutesIt() {
        ControlState control = new ControlState();
        stage.obeying(control, Duration.ofSeconds(30));
        control.apply(order(ControlAction.HOLD, ControlTarget.queueId("4Qabc123")));
        clock.advance(Duration.ofSeconds(1));
        List<ProducerRecord<byte[], byte[]>> held = emit(stage.process(scored(rcpt("a@x.example"))));
        assertThat(jobs(held)).as("nothing routed while held").isEmpty();
        assertThat(events(held)).extracting(LifecycleEvent::getType).containsExactly(EventType.HELD);
        ProducerRecord<byte[], byte[]> parked = single(held, "t.mail.reroute");

        assertThat(stage.process(consumed(parked))).as("still held, not due: wait, and look again within the recheck")
                .isEqualTo(new StageResult.Defer(T0.plus(Duration.ofSeconds(31))));
        control.apply(order(ControlAction.RELEASE, ControlTarget.queueId("4Qabc123")));
        control.apply(order(ControlAction.REQUEUE, ControlTarget.queueId("4Qabc123")));
        List<ProducerRecord<byte[], byte[]>> routed = emit(stage.process(consumed(parked)));
        assertThat(jobs(routed)).singleElement().satisfies(j -> assertThat(j.getRecipients()).extracting(Recipient::getAddress)
                .containsExactly("a@x.example"));
    }

    @Test
    void anOperatorsDeleteDropsTheMessageWithADeletedEvent() {
        ControlState control = new ControlState();
        stage.obeying(control, Duration.ofSeconds(30));
        control.apply(order(ControlAction.DELETE, ControlTarget.all()));
        clock.advance(Duration.ofSeconds(1));
        List<ProducerRecord<byte[], byte[]>> out = emit(stage.process(scored(rcpt("a@x.example"))));
        assertThat(out).hasSize(1);
        assertThat(events(out)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(EventType.DELETED);
            assertThat(e.getRecipients()).containsExactly("a@x.example");
        });
    }

    private ControlOrder order(ControlAction action, ControlTarget target) {
        return new ControlOrder("c-" + action, action, target, clock.instant(), null, "test");
    }

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void oneMessageBecomesJobsEventsABounceAndAReroute() {
        List<ProducerRecord<byte[], byte[]>> out = emit(stage.process(scored(
                rcpt("team@alias.example", DsnNotify.FAILURE), rcpt("c@y.example"), rcpt("u@gone.example"), rcpt("loop@alias.example"))));

        List<DeliveryJob> jobs = jobs(out);
        assertThat(jobs).extracting(DeliveryJob::getDestination).containsExactly("x.example", "y.example");
        assertThat(jobs.get(0).getRoute().getTransport()).isEqualTo(Transport.SMTP);
        assertThat(jobs.get(0).getRoute().getNextHop()).isNull();
        Recipient aliased = jobs.get(0).getRecipients().get(0);
        assertThat(aliased.getAddress()).isEqualTo("a@x.example");
        assertThat(aliased.getNotify()).as("NOTIFY of the original").containsExactly(DsnNotify.FAILURE);
        assertThat(aliased.getOriginalRecipient()).as("what smtp(8) sends as ORCPT").isEqualTo("rfc822;team@alias.example");
        assertThat(jobs.get(1).getRecipients()).extracting(Recipient::getAddress).containsExactly("b@y.example", "c@y.example");
        assertThat(jobs.get(1).getRecipients().get(1).getOriginalRecipient()).as("unchanged recipient kept as given").isNull();
        assertThat(jobs.get(0).getEnvelope().getMailFrom().getAddress()).as("sender_canonical_maps").isEqualTo("alice.smith@example.com");
        assertThat(out).filteredOn(r -> r.value().length > 0 && r.topic().equals("t.mail.deliver.default"))
                .extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("x.example", "y.example");

        List<LifecycleEvent> events = events(out);
        assertThat(events).extracting(LifecycleEvent::getType).containsExactly(
                EventType.ROUTED, EventType.ROUTED, EventType.BOUNCE, EventType.TRANSIENT_FAILURE);
        LifecycleEvent bounce = events.get(2);
        assertThat(bounce.getRecipients()).containsExactly("u@gone.example");
        assertThat(bounce.getBounceClass()).isEqualTo(BounceClass.BAD_DOMAIN);
        assertThat(bounce.getReply().getEnhancedStatus()).isEqualTo("5.1.2");
        assertThat(bounce.getReply().getText()).isEqualTo("gone for good");
        LifecycleEvent deferred = events.get(3);
        assertThat(deferred.getRecipients()).containsExactly("loop@alias.example");
        assertThat(deferred.getReply().getEnhancedStatus()).isEqualTo("4.6.0");
        assertThat(deferred.getTopic()).isEqualTo("t.mail.reroute");
        assertThat(deferred.getNextAttemptAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(deferred.getStage()).isEqualTo(io.postbus.schemas.Stage.ROUTER);

        ProducerRecord<byte[], byte[]> reroute = single(out, "t.mail.reroute");
        ScoredMail waiting = MAIL.decode(reroute.value());
        assertThat(waiting.getEnvelope().getRecipients()).extracting(Recipient::getAddress).containsExactly("loop@alias.example");
        assertThat(waiting.getEnvelope().getMailFrom().getAddress()).as("rewritten again next time").isEqualTo("alice@example.com");
        assertThat(header(reroute, Reroute.NOT_BEFORE)).isEqualTo(Long.toString(T0.plus(Duration.ofMinutes(5)).toEpochMilli()));
        assertThat(header(reroute, Reroute.ATTEMPT)).isEqualTo("1");

        assertThat(notified).singleElement().satisfies(b -> assertThat(b).extracting(RecipientOutcome::address)
                .containsExactly("u@gone.example"));
        assertThat(out).extracting(ProducerRecord::topic).contains("t.dsn-test");
    }

    @Test
    void aReroutedRecipientWaitsThenRoutesWithTheFixedTable() throws Exception {
        ProducerRecord<byte[], byte[]> reroute = single(emit(stage.process(scored(rcpt("loop@alias.example")))), "t.mail.reroute");
        ConsumerRecord<byte[], byte[]> back = consumed(reroute);

        clock.advance(Duration.ofMinutes(1));
        assertThat(stage.process(back)).as("not due: pause the partition until it is")
                .isEqualTo(new StageResult.Defer(T0.plus(Duration.ofMinutes(5))));

        Files.writeString(virtual, "loop@alias.example  fixed@x.example\n");
        virtualTable.refreshNow();
        clock.advance(Duration.ofMinutes(5));
        List<ProducerRecord<byte[], byte[]>> out = emit(stage.process(back));
        assertThat(jobs(out)).singleElement().satisfies(j -> {
            assertThat(j.getRecipients()).extracting(Recipient::getAddress).containsExactly("fixed@x.example");
            assertThat(j.getRecipients().get(0).getOriginalRecipient()).isEqualTo("rfc822;loop@alias.example");
        });
        assertThat(out).extracting(ProducerRecord::topic).doesNotContain("t.mail.reroute");
    }

    @Test
    void aRecipientDeferredAfterRewritingComesBackAsItWas() throws Exception {
        Files.writeString(tmp.resolve("transport"), "later.example  retry:4.3.2 maintenance\n");
        Router router = stageRouterWithTransport();
        QueueRouter s = new QueueRouter(ctx(), router, new QueueRouter.Settings(Duration.ofMinutes(5), Duration.ofDays(5)),
                RouterBounces.EVENTS_ONLY);
        ProducerRecord<byte[], byte[]> reroute = single(emit(s.process(scored(rcpt("team@alias.example"), rcpt("z@later.example")))),
                "t.mail.reroute");
        assertThat(headers(reroute, Reroute.REWRITTEN)).containsExactly("z@later.example");
        assertThat(header(reroute, Reroute.LAST_ERROR)).isEqualTo("451 4.3.2 maintenance");
    }

    @Test
    void aDeferralThatOutlivesTheQueueLifetimeExpires() {
        ProducerRecord<byte[], byte[]> reroute = single(emit(stage.process(scored(rcpt("loop@alias.example")))), "t.mail.reroute");
        clock.advance(Duration.ofDays(5));

        List<ProducerRecord<byte[], byte[]>> out = emit(stage.process(consumed(reroute)));
        assertThat(events(out)).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(EventType.EXPIRATION);
            assertThat(e.getRecipients()).containsExactly("loop@alias.example");
            assertThat(e.getReply().getEnhancedStatus()).isEqualTo("4.4.7");
            assertThat(e.getDetail()).contains("last error: 451 4.6.0 Alias expansion error");
        });
        assertThat(notified).singleElement().satisfies(b -> assertThat(b).extracting(RecipientOutcome::address)
                .containsExactly("loop@alias.example"));
    }

    @Test
    void nullSenderMailExpiresAfterTheBounceQueueLifetimeOtherMailDoesNot() {
        // Postfix bounce_queue_lifetime: a notice that cannot be routed is given up sooner.
        ProducerRecord<byte[], byte[]> notice = single(emit(stage.process(scoredFrom("", rcpt("loop@alias.example")))),
                "t.mail.reroute");
        ProducerRecord<byte[], byte[]> ordinary = single(emit(stage.process(scored(rcpt("loop@alias.example")))),
                "t.mail.reroute");
        clock.advance(Duration.ofDays(1));

        assertThat(events(emit(stage.process(consumed(notice))))).extracting(LifecycleEvent::getType)
                .containsExactly(EventType.EXPIRATION);
        assertThat(events(emit(stage.process(consumed(ordinary))))).extracting(LifecycleEvent::getType)
                .doesNotContain(EventType.EXPIRATION);
    }

    @Test
    void spamRejectStillGoesToQuarantine() {
        ScoredMail spam = ScoredMail.newBuilder(MAIL.decode(scored(rcpt("a@x.example")).value()))
                .setSpam(SpamVerdict.newBuilder().setScore(20).setRequiredScore(5).setAction(SpamAction.REJECT).build()).build();
        List<ProducerRecord<byte[], byte[]>> out = emit(stage.process(new ConsumerRecord<>(TOPICS.scored(), 0, 0L, new byte[0], MAIL.encode(spam))));
        assertThat(out).extracting(ProducerRecord::topic).containsExactly("t.mail.quarantine", "t.mail.events");
    }

    @Test
    void aSuppressedFinalAddressIsDroppedWithASuppressedEventWhileTheOthersAreRouted() throws Exception {
        Files.writeString(tmp.resolve("transport"), "");
        SuppressionList list = new SuppressionList();
        list.put(new Suppression("A@X.example", SuppressionReason.HARD_BOUNCE, T0.minusSeconds(60), T0.plus(Duration.ofDays(30)),
                "550 5.1.1 user unknown"));
        QueueRouter s = new QueueRouter(ctx(), stageRouterWithTransport(), new QueueRouter.Settings(Duration.ofMinutes(5),
                Duration.ofDays(5)), (mail, failed) -> { notified.add(failed); return List.of(); },
                new RecipientSuppression(list, SuppressionAction.DROP));

        List<ProducerRecord<byte[], byte[]>> out = emit(s.process(scored(rcpt("team@alias.example"), rcpt("c@x.example"))));
        assertThat(jobs(out)).extracting(DeliveryJob::getDestination).containsExactly("x.example", "y.example");
        assertThat(jobs(out).get(0).getRecipients()).extracting(Recipient::getAddress).containsExactly("c@x.example");
        LifecycleEvent suppressed = events(out).stream().filter(e -> e.getType() == EventType.SUPPRESSED).findFirst().orElseThrow();
        assertThat(suppressed.getRecipients()).as("the final address, after aliasing").containsExactly("a@x.example");
        assertThat(suppressed.getDetail()).startsWith("original recipient <team@alias.example>: on the suppression list (hard bounce")
                .endsWith(": 550 5.1.1 user unknown)");
        assertThat(notified).as("dropping tells the sender nothing").isEmpty();

        clock.advance(Duration.ofDays(30));
        assertThat(jobs(emit(s.process(scored(rcpt("a@x.example")))))).as("expired: routed again").hasSize(1);
    }

    @Test
    void withTheBounceActionASuppressedRecipientBouncesWith571AndADsn() throws Exception {
        Files.writeString(tmp.resolve("transport"), "");
        SuppressionList list = new SuppressionList();
        list.put(new Suppression("gone@x.example", SuppressionReason.MANUAL, T0.minusSeconds(60), null, null));
        QueueRouter s = new QueueRouter(ctx(), stageRouterWithTransport(), new QueueRouter.Settings(Duration.ofMinutes(5),
                Duration.ofDays(5)), (mail, failed) -> { notified.add(failed); return List.of(); },
                new RecipientSuppression(list, SuppressionAction.BOUNCE));

        List<ProducerRecord<byte[], byte[]>> out = emit(s.process(scored(rcpt("Gone@x.example"), rcpt("c@x.example"))));
        assertThat(jobs(out)).singleElement().satisfies(j ->
                assertThat(j.getRecipients()).extracting(Recipient::getAddress).containsExactly("c@x.example"));
        LifecycleEvent bounce = events(out).stream().filter(e -> e.getType() == EventType.BOUNCE).findFirst().orElseThrow();
        assertThat(bounce.getRecipients()).containsExactly("Gone@x.example");
        assertThat(bounce.getReply().getCode()).isEqualTo(550);
        assertThat(bounce.getReply().getEnhancedStatus()).as("RFC 3463 X.7.1: refused by policy").isEqualTo("5.7.1");
        assertThat(bounce.getReply().getText()).startsWith("recipient suppressed: <gone@x.example>");
        assertThat(bounce.getBounceClass()).isEqualTo(BounceClass.POLICY);
        assertThat(events(out)).extracting(LifecycleEvent::getType).doesNotContain(EventType.SUPPRESSED);
        assertThat(notified).singleElement().satisfies(b -> assertThat(b).extracting(RecipientOutcome::original)
                .containsExactly("Gone@x.example"));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private Router stageRouterWithTransport() {
        AddressingConfig addressing = AddressingConfig.builder("example.com")
                .virtualAliasDomains(List.of("alias.example"))
                .virtualAliasMaps(List.<LookupTable>of(virtualTable)).build();
        return new Router(RouterConfig.builder(new AddressClassifier(addressing), Path.of("/var/mail"))
                .transportMaps(List.of(new ReloadingTable(TableSource.postmap(tmp.resolve("transport")), Duration.ZERO, clock)))
                .build());
    }

    private StageContext ctx() {
        return new StageContext(KafkaSettings.of("unused:9092", 1 << 20), TOPICS, "node-1", clock, new SimpleMeterRegistry());
    }

    private static Recipient rcpt(String address, DsnNotify... notify) {
        return Recipient.newBuilder().setAddress(address).setNotify(List.of(notify)).build();
    }

    private ConsumerRecord<byte[], byte[]> scored(Recipient... rcpts) {
        return scoredFrom("alice@example.com", rcpts);
    }

    private ConsumerRecord<byte[], byte[]> scoredFrom(String sender, Recipient... rcpts) {
        Envelope env = Envelope.newBuilder()
                .setQueueId("4Qabc123")
                .setReceivedAt(T0)
                .setIngressNode("node-1")
                .setListener(Listener.SMTP)
                .setDirection(io.postbus.schemas.Direction.INBOUND)
                .setClient(ClientInfo.newBuilder().setAddress("192.0.2.1").setPort(40000).setProtocol("ESMTP").build())
                .setMailFrom(MailFrom.newBuilder().setAddress(sender).build())
                .setRecipients(List.of(rcpts))
                .build();
        ScoredMail mail = ScoredMail.newBuilder()
                .setEnvelope(env)
                .setAuth(AuthResults.newBuilder().setAuthservId("mx.example.com").build())
                .setSpam(SpamVerdict.newBuilder().setScore(0).setRequiredScore(5).setAction(SpamAction.NO_ACTION).build())
                .setMessage(ByteBuffer.wrap("Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                .build();
        return new ConsumerRecord<>(TOPICS.scored(), 0, 0L, "4Qabc123".getBytes(StandardCharsets.UTF_8), MAIL.encode(mail));
    }

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> r) {
        return new ConsumerRecord<>(r.topic(), 0, 7L, 0L, TimestampType.CREATE_TIME, r.key().length, r.value().length,
                r.key(), r.value(), r.headers(), Optional.empty());
    }

    private static List<ProducerRecord<byte[], byte[]>> emit(StageResult result) {
        assertThat(result).isInstanceOf(StageResult.Emit.class);
        return ((StageResult.Emit) result).records();
    }

    private static List<DeliveryJob> jobs(List<ProducerRecord<byte[], byte[]>> out) {
        return out.stream().filter(r -> r.topic().startsWith("t.mail.deliver.")).map(r -> JOB.decode(r.value())).toList();
    }

    private static List<LifecycleEvent> events(List<ProducerRecord<byte[], byte[]>> out) {
        return out.stream().filter(r -> r.topic().equals(TOPICS.events())).map(r -> Events.codec().decode(r.value())).toList();
    }

    private static ProducerRecord<byte[], byte[]> single(List<ProducerRecord<byte[], byte[]>> out, String topic) {
        List<ProducerRecord<byte[], byte[]>> found = out.stream().filter(r -> r.topic().equals(topic)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    private static List<String> headers(ProducerRecord<byte[], byte[]> r, String key) {
        List<String> out = new ArrayList<>();
        r.headers().headers(key).forEach(h -> out.add(new String(h.value(), StandardCharsets.UTF_8)));
        return out;
    }
}
