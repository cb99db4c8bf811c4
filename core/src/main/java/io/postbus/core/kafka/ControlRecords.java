package io.postbus.core.kafka;

import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlOrder;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.control.TargetKind;
import io.postbus.schemas.ControlCommand;
import io.postbus.schemas.codec.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/** mail.control records ↔ the control core's {@link ControlOrder}: keyed by the target's key, compacted. */
public final class ControlRecords {
    private static final AvroCodec<ControlCommand> CODEC = AvroCodec.of(ControlCommand.class);

    private ControlRecords() {}

    /** @param issuedBy who asked (user@host), for the audit trail the topic is */
    public static ProducerRecord<byte[], byte[]> record(Topics topics, ControlOrder order, String issuedBy) {
        return new ProducerRecord<>(topics.control(), key(order.target()), CODEC.encode(avro(order, issuedBy)));
    }

    /** A tombstone: compaction forgets the target's command. */
    public static ProducerRecord<byte[], byte[]> tombstone(Topics topics, ControlTarget target) {
        return new ProducerRecord<>(topics.control(), key(target), null);
    }

    public static byte[] key(ControlTarget target) {
        return target.key().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The order a record carries; empty for an action or target kind this version does not know
     * (a newer writer's UNKNOWN) or a pairing that means nothing, which readers skip.
     */
    public static Optional<ControlOrder> order(byte[] value) {
        ControlCommand c = CODEC.decode(value);
        if (c.getAction() == io.postbus.schemas.ControlAction.UNKNOWN
                || c.getTarget().getKind() == io.postbus.schemas.TargetKind.UNKNOWN) {
            return Optional.empty();
        }
        ControlAction action = ControlAction.valueOf(c.getAction().name());
        TargetKind kind = TargetKind.valueOf(c.getTarget().getKind().name());
        String target = c.getTarget().getValue();
        if (!ControlOrder.pairs(action, kind) || (kind != TargetKind.ALL && target.isBlank())) {
            return Optional.empty();
        }
        return Optional.of(new ControlOrder(c.getCommandId(), action, new ControlTarget(kind, target),
                c.getIssuedAt(), c.getExpiresAt(), c.getReason()));
    }

    static ControlCommand avro(ControlOrder o, String issuedBy) {
        return ControlCommand.newBuilder()
                .setCommandId(o.commandId())
                .setAction(io.postbus.schemas.ControlAction.valueOf(o.action().name()))
                .setTarget(io.postbus.schemas.ControlTarget.newBuilder()
                        .setKind(io.postbus.schemas.TargetKind.valueOf(o.target().kind().name()))
                        .setValue(o.target().value())
                        .build())
                .setIssuedAt(o.issuedAt())
                .setIssuedBy(issuedBy)
                .setExpiresAt(o.expiresAt())
                .setReason(o.reason())
                .build();
    }
}
