package io.postbus.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stage whose per-record work blocks for long (a delivery attempt holds an SMTP conversation),
 * run by {@link TransactionalStage} with a pool of workers: for each poll batch, every record is
 * planned on the consumer thread in offset order, the batch's {@link Plan.Work} tasks run at once
 * on the pool, their completions run back on the consumer thread in offset order, and the whole
 * batch's outputs and offsets are committed in one transaction — exactly as a {@link StageProcessor}'s.
 *
 * <p>{@code plan} must be cheap and must not block: the records behind it wait for it. It returns a
 * {@link Plan.Decided} for anything settled without the slow part (a {@link StageResult.Defer}
 * there stops the planning of that partition for this batch, as for a {@link StageProcessor}).
 * Exceptions are classed as for {@link StageProcessor}.
 */
@FunctionalInterface
public interface PlannedProcessor {
    Plan plan(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
