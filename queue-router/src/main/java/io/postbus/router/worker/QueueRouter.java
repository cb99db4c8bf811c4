package io.postbus.router.worker;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.StageSpec;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.router.core.Destination;
import io.postbus.router.core.Router;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.EventType;
import io.postbus.schemas.QuarantinedMail;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.Stage;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * mail.scored → one {@link DeliveryJob} per destination on {@code mail.deliver.<site>}, keyed by
 * destination so one partition owner holds each destination's throttle; a Routed event each.
 */
public final class QueueRouter {
    public static final String STAGE = "queue-router";
    private static final AvroCodec<ScoredMail> IN = AvroCodec.of(ScoredMail.class);
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);
    private static final AvroCodec<QuarantinedMail> QUARANTINE = AvroCodec.of(QuarantinedMail.class);

    private QueueRouter() {}

    public static TransactionalStage start(StageContext ctx, Router router) {
        Events events = new Events(ctx.topics(), Stage.ROUTER, ctx.node(), ctx.clock());
        StageSpec spec = StageSpec.of(STAGE, ctx.groupId(STAGE), ctx.node(), ctx.topics().scored());
        return ctx.start(spec, rec -> process(rec, ctx, router, events));
    }

    static StageResult process(ConsumerRecord<byte[], byte[]> rec, StageContext ctx, Router router, Events events) {
        ScoredMail in = IN.decode(rec.value());
        var env = in.getEnvelope();
        if (in.getSpam().getAction() == SpamAction.REJECT) {
            return quarantine(rec, ctx, events, in, "spam score " + in.getSpam().getScore());
        }
        Map<String, Recipient> byAddress = env.getRecipients().stream()
                .collect(Collectors.toMap(Recipient::getAddress, Function.identity(), (a, b) -> a));
        List<String> addresses = env.getRecipients().stream().map(Recipient::getAddress).distinct().toList();
        Instant now = ctx.clock().instant();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Destination d : router.route(addresses)) {
            String topic = ctx.topics().deliver(d.site());
            DeliveryJob job = DeliveryJob.newBuilder()
                    .setJobId(env.getQueueId() + "/" + d.name())
                    .setEnvelope(env)
                    .setDestination(d.name())
                    .setSite(d.site())
                    .setRoute(Route.newBuilder().setTransport(Transport.valueOf(d.transport().name())).setNextHop(d.nextHop()).build())
                    .setRecipients(d.recipients().stream().map(byAddress::get).toList())
                    .setAttempt(0)
                    .setFirstSeenAt(env.getReceivedAt())
                    .setNotBefore(now)
                    .setMessage(in.getMessage())
                    .build();
            out.add(new ProducerRecord<>(topic, d.name().getBytes(StandardCharsets.UTF_8), JOB.encode(job)));
            out.add(events.record(events.event(EventType.ROUTED, env.getQueueId())
                    .setRecipients(d.recipients())
                    .setDestination(d.name())
                    .setSite(d.site())
                    .setTopic(topic)
                    .build()));
        }
        return StageResult.emit(out);
    }

    private static StageResult quarantine(ConsumerRecord<byte[], byte[]> rec, StageContext ctx, Events events,
                                          ScoredMail in, String reason) {
        QuarantinedMail q = QuarantinedMail.newBuilder()
                .setEnvelope(in.getEnvelope()).setAuth(in.getAuth()).setSpam(in.getSpam())
                .setReason(reason).setMessage(in.getMessage()).build();
        return StageResult.emit(
                new ProducerRecord<>(ctx.topics().quarantine(), rec.key(), QUARANTINE.encode(q)),
                events.record(events.event(EventType.QUARANTINED, in.getEnvelope().getQueueId())
                        .setTopic(ctx.topics().quarantine()).setDetail(reason).build()));
    }
}
