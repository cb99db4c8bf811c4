package io.postbus.spam;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.StageContext;
import io.postbus.core.kafka.StageResult;
import io.postbus.core.kafka.StageSpec;
import io.postbus.core.kafka.TransactionalStage;
import io.postbus.schemas.AuthenticatedMail;
import io.postbus.schemas.Direction;
import io.postbus.schemas.EventType;
import io.postbus.schemas.SpamAction;
import io.postbus.schemas.ScoredMail;
import io.postbus.schemas.Stage;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/** mail.authenticated → {@link SpamScorer} → mail.scored, plus a Scored event. The bytes pass unchanged. */
public final class SpamWorker {
    public static final String STAGE = "spam-worker";
    private static final AvroCodec<AuthenticatedMail> IN = AvroCodec.of(AuthenticatedMail.class);
    private static final AvroCodec<ScoredMail> OUT = AvroCodec.of(ScoredMail.class);

    private SpamWorker() {}

    public static TransactionalStage start(StageContext ctx, SpamScorer scorer) {
        Events events = new Events(ctx.topics(), Stage.SPAM, ctx.node(), ctx.clock());
        StageSpec spec = StageSpec.of(STAGE, ctx.groupId(STAGE), ctx.node(), ctx.topics().authenticated());
        return ctx.start(spec, rec -> process(rec, ctx, scorer, events));
    }

    static StageResult process(ConsumerRecord<byte[], byte[]> rec, StageContext ctx, SpamScorer scorer, Events events) {
        AuthenticatedMail in = IN.decode(rec.value());
        ByteBuffer message = in.getMessage();
        ByteBuffer view = message.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        var verdict = scorer.score(in.getEnvelope(), in.getAuth(), bytes);
        if (verdict.getAction() == SpamAction.ADD_HEADER && in.getEnvelope().getDirection() == Direction.INBOUND) {
            // Rspamd's milter header for "add header": mailbox filters file the message as spam. Inbound only:
            // originating mail is DKIM-signed and its bytes are final.
            message = ByteBuffer.wrap(withSpamHeader(bytes, verdict.getScore()));
        }
        ScoredMail out = ScoredMail.newBuilder()
                .setEnvelope(in.getEnvelope())
                .setAuth(in.getAuth())
                .setSpam(verdict)
                .setMessage(message)
                .build();
        var event = events.event(EventType.SCORED, in.getEnvelope().getQueueId())
                .setTopic(ctx.topics().scored())
                .setDetail("score=" + verdict.getScore() + " action=" + verdict.getAction())
                .build();
        return StageResult.emit(new ProducerRecord<>(ctx.topics().scored(), rec.key(), OUT.encode(out)), events.record(event));
    }

    static byte[] withSpamHeader(byte[] message, double score) {
        byte[] header = String.format(java.util.Locale.ROOT, "X-Spam: Yes\r\nX-Spam-Score: %.1f\r\n", score)
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] out = new byte[header.length + message.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(message, 0, out, header.length, message.length);
        return out;
    }
}
