package io.postbus.auth;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.PlannedProcessor;
import io.postbus.core.kafka.Plan;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.StageSpec;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.schemas.AuthenticatedMail;
import io.postbus.schemas.EventType;
import io.postbus.schemas.QuarantinedMail;
import io.postbus.schemas.ReceivedMail;
import io.postbus.schemas.Stage;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * mail.received → {@link MessageAuthenticator} → mail.authenticated (or mail.quarantine, or nowhere for a
 * discard), plus the matching event, all in one transaction with the input offset.
 *
 * <p>Authentication runs on a pool ({@link PlannedProcessor}, ADR 0010): DKIM signing is CPU work
 * (an RSA-2048 signature is about 0.8 ms) and verification waits for DNS, so one thread doing a
 * batch's records one after the other left cores idle and made this stage the pipeline's
 * bottleneck. The records' outputs are still written in offset order, in one transaction per batch.
 */
public final class AuthWorker {
    public static final String STAGE = "auth-worker";
    private static final AvroCodec<ReceivedMail> IN = AvroCodec.of(ReceivedMail.class);
    private static final AvroCodec<AuthenticatedMail> OUT = AvroCodec.of(AuthenticatedMail.class);
    private static final AvroCodec<QuarantinedMail> QUARANTINED = AvroCodec.of(QuarantinedMail.class);

    /** One authentication per core at once: the work is mostly CPU (signing, hashing). */
    public static final int DEFAULT_CONCURRENCY = Math.max(2, Runtime.getRuntime().availableProcessors());

    private AuthWorker() {}

    public static TransactionalStage start(StageContext ctx, MessageAuthenticator authenticator) {
        return start(ctx, authenticator, DEFAULT_CONCURRENCY);
    }

    /** @param concurrency messages authenticated at once; the authenticator must be thread-safe */
    public static TransactionalStage start(StageContext ctx, MessageAuthenticator authenticator, int concurrency) {
        Events events = new Events(ctx.topics(), Stage.AUTH, ctx.node(), ctx.clock());
        StageSpec spec = StageSpec.of(STAGE, ctx.groupId(STAGE), ctx.node(), ctx.topics().received());
        return ctx.start(spec, rec -> plan(rec, ctx, authenticator, events), concurrency);
    }

    /** Decodes on the consumer thread; verifies or signs on the pool; writes the outputs back in order. */
    static Plan plan(ConsumerRecord<byte[], byte[]> rec, StageContext ctx, MessageAuthenticator authenticator,
                     Events events) {
        ReceivedMail in = IN.decode(rec.value());
        return Plan.work(() -> authenticator.authenticate(in.getEnvelope(), bytes(in.getMessage())),
                outcome -> result(rec, in, outcome, ctx, events));
    }

    private static StageResult result(ConsumerRecord<byte[], byte[]> rec, ReceivedMail in,
                                      MessageAuthenticator.Outcome outcome, StageContext ctx, Events events) {
        String queueId = in.getEnvelope().getQueueId();
        switch (outcome.disposition()) {
            case QUARANTINE: {
                QuarantinedMail held = QuarantinedMail.newBuilder()
                        .setEnvelope(in.getEnvelope())
                        .setAuth(outcome.results())
                        .setReason(outcome.reason())
                        .setMessage(ByteBuffer.wrap(outcome.message()))
                        .build();
                var event = events.event(EventType.QUARANTINED, queueId)
                        .setTopic(ctx.topics().quarantine())
                        .setDetail(outcome.reason())
                        .build();
                return StageResult.emit(
                        new ProducerRecord<>(ctx.topics().quarantine(), rec.key(), QUARANTINED.encode(held)),
                        events.record(event));
            }
            case DISCARD: {
                var event = events.event(EventType.DISCARDED, queueId).setDetail(outcome.reason()).build();
                return StageResult.emit(events.record(event));
            }
            default: {
                AuthenticatedMail out = AuthenticatedMail.newBuilder()
                        .setEnvelope(in.getEnvelope())
                        .setAuth(outcome.results())
                        .setMessage(ByteBuffer.wrap(outcome.message()))
                        .build();
                var event = events.event(EventType.AUTHENTICATED, queueId)
                        .setTopic(ctx.topics().authenticated())
                        .build();
                return StageResult.emit(
                        new ProducerRecord<>(ctx.topics().authenticated(), rec.key(), OUT.encode(out)),
                        events.record(event));
            }
        }
    }

    static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }
}
