package io.postbus.core.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The one thing a stage does: turn one input record into the records to produce. Runs on the
 * stage's consumer thread, so it may block (DNS, SMTP), and it does no Kafka I/O of its own; the
 * runtime produces the output and commits the input offset in one transaction.
 *
 * <p>Errors are classed where they are born: a {@link io.postbus.core.error.TransientException}
 * makes the runtime retry the record later (nothing is lost, nothing skipped); any other exception
 * means the record can never be processed and sends it to the dead-letter topic with provenance.
 */
@FunctionalInterface
public interface StageProcessor {
    StageResult process(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
