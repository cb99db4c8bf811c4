package io.postbus.router.worker;

import io.postbus.core.address.SmtpReply;
import io.postbus.core.events.Events;
import io.postbus.core.kafka.Topics;
import io.postbus.router.core.Destination;
import io.postbus.router.core.RecipientOutcome;
import io.postbus.router.core.RoutingPlan;
import io.postbus.schemas.BounceClass;
import io.postbus.schemas.DeliveryJob;
import io.postbus.schemas.Envelope;
import io.postbus.schemas.EventType;
import io.postbus.schemas.MailFrom;
import io.postbus.schemas.Recipient;
import io.postbus.schemas.Route;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.Transport;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A routing plan as Kafka records, all written in the stage's one transaction: a delivery job and a
 * Routed event per destination, a Bounce or Discarded event per recipient that ends here, and for
 * deferred recipients one record in {@code mail.reroute} with a TransientFailure event per reason.
 */
final class PlanRecords {
    private static final AvroCodec<DeliveryJob> JOB = AvroCodec.of(DeliveryJob.class);
    private static final AvroCodec<ScoredMail> MAIL = AvroCodec.of(ScoredMail.class);

    private final Topics topics;
    private final Events events;
    private final Duration deferDelay;
    private final RouterBounces bounces;

    PlanRecords(Topics topics, Events events, Duration deferDelay, RouterBounces bounces) {
        this.topics = topics;
        this.events = events;
        this.deferDelay = deferDelay;
        this.bounces = bounces;
    }

    List<ProducerRecord<byte[], byte[]>> of(ScoredMail in, RoutingPlan plan, int attempt, Instant now) {
        Envelope env = in.getEnvelope();
        Map<String, Recipient> byAddress = new LinkedHashMap<>();
        env.getRecipients().forEach(r -> byAddress.putIfAbsent(r.getAddress(), r));
        Envelope jobEnvelope = plan.sender().equals(env.getMailFrom().getAddress()) ? env
                : Envelope.newBuilder(env).setMailFrom(MailFrom.newBuilder(env.getMailFrom()).setAddress(plan.sender()).build()).build();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (Destination d : plan.destinations()) {
            String topic = topics.deliver(d.site().topicSite());
            String site = d.site().name();
            DeliveryJob job = DeliveryJob.newBuilder()
                    .setJobId(env.getQueueId() + "/" + d.name())
                    .setEnvelope(jobEnvelope)
                    .setDestination(d.name())
                    .setSite(site)
                    .setRoute(Route.newBuilder().setTransport(Transport.valueOf(d.transport().name())).setNextHop(d.nextHop()).build())
                    .setRecipients(d.recipients().stream().map(r -> recipient(r.address(), r.original(), byAddress)).toList())
                    .setAttempt(0)
                    .setFirstSeenAt(env.getReceivedAt())
                    .setNotBefore(now)
                    .setMessage(in.getMessage())
                    .build();
            // Keyed by site, not destination: every domain a provider hosts lands on one partition,
            // so one partition owner holds the whole site (its throttles, its suspension).
            out.add(new ProducerRecord<>(topic, site.getBytes(StandardCharsets.UTF_8), JOB.encode(job)));
            out.add(events.record(events.event(EventType.ROUTED, env.getQueueId())
                    .setSender(plan.sender())
                    .setRecipients(d.addresses())
                    .setDestination(d.name())
                    .setSite(site)
                    .setTopic(topic)
                    .setDetail(d.transport().name().toLowerCase(java.util.Locale.ROOT)
                            + (d.nextHop() == null ? " to the MX hosts of " + d.name() : " to " + d.nextHop())
                            + "; site " + site + " (" + d.site().basis().description() + ")")
                    .build()));
        }
        for (RecipientOutcome.Bounced b : plan.bounced()) {
            out.add(events.record(events.event(EventType.BOUNCE, env.getQueueId())
                    .setSender(plan.sender())
                    .setRecipients(List.of(b.address()))
                    .setReply(avro(b.reply()))
                    .setBounceClass(BounceClass.valueOf(b.category().name()))
                    .setDetail(origin(b) + b.reply())
                    .build()));
        }
        for (RecipientOutcome.Discarded d : plan.discarded()) {
            out.add(events.record(events.event(EventType.DISCARDED, env.getQueueId())
                    .setSender(plan.sender())
                    .setRecipients(List.of(d.address()))
                    .setDetail(origin(d) + d.reason())
                    .build()));
        }
        if (!plan.deferred().isEmpty()) {
            out.addAll(deferred(in, plan, byAddress, attempt + 1, now));
        }
        if (!plan.bounced().isEmpty()) {
            out.addAll(bounces.notices(in, plan.bounced()));
        }
        return out;
    }

    private List<ProducerRecord<byte[], byte[]>> deferred(ScoredMail in, RoutingPlan plan, Map<String, Recipient> byAddress,
                                                          int attempt, Instant now) {
        Envelope env = in.getEnvelope();
        Instant next = now.plus(deferDelay);
        String topic = Reroute.topic(topics);
        List<Recipient> waiting = new ArrayList<>();
        Set<String> rewritten = new LinkedHashSet<>();
        Map<SmtpReply, List<String>> byReply = new LinkedHashMap<>();
        for (RecipientOutcome.Deferred d : plan.deferred()) {
            waiting.add(d.rewritten() ? recipient(d.address(), d.original(), byAddress) : byAddress.get(d.original()));
            if (d.rewritten()) {
                rewritten.add(d.address());
            }
            byReply.computeIfAbsent(d.reply(), k -> new ArrayList<>()).add(d.address());
        }
        ScoredMail later = ScoredMail.newBuilder(in).setEnvelope(Envelope.newBuilder(env).setRecipients(waiting).build()).build();
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, env.getQueueId().getBytes(StandardCharsets.UTF_8),
                MAIL.encode(later));
        Reroute.write(rec, next, attempt, rewritten, plan.deferred().get(0).reply().toString());
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        out.add(rec);
        byReply.forEach((reply, addresses) -> out.add(events.record(events.event(EventType.TRANSIENT_FAILURE, env.getQueueId())
                .setSender(plan.sender())
                .setRecipients(addresses)
                .setReply(avro(reply))
                .setTopic(topic)
                .setAttempt(attempt)
                .setNextAttemptAt(next)
                .setDetail(reply.toString())
                .build())));
        return out;
    }

    /**
     * The job's recipient for a final address: the client's own record when unchanged; otherwise the
     * new address with the original's NOTIFY, and its ORCPT, or {@code rfc822;original} when the
     * client gave none, which is what Postfix's smtp(8) sends for an aliased recipient.
     */
    static Recipient recipient(String address, String original, Map<String, Recipient> byAddress) {
        Recipient r = byAddress.get(original);
        if (r == null) {
            return Recipient.newBuilder().setAddress(address).setOriginalRecipient("rfc822;" + original).build();
        }
        if (address.equals(r.getAddress())) {
            return r;
        }
        return Recipient.newBuilder(r).setAddress(address)
                .setOriginalRecipient(r.getOriginalRecipient() != null ? r.getOriginalRecipient() : "rfc822;" + original)
                .build();
    }

    static io.postbus.schemas.SmtpReply avro(SmtpReply r) {
        return io.postbus.schemas.SmtpReply.newBuilder().setCode(r.code()).setEnhancedStatus(r.enhancedStatus())
                .setText(r.text()).build();
    }

    private static String origin(RecipientOutcome o) {
        return o.address().equals(o.original()) ? "" : "original recipient <" + o.original() + ">: ";
    }
}
