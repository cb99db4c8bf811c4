package io.postbus.core.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** What every stage gets from the process that runs it. */
public record StageContext(KafkaSettings kafka, Topics topics, String node, Clock clock, MeterRegistry metrics) {

    /** Starts the transactional loop for a stage whose group id is {@code postbus-<stage>}. */
    public TransactionalStage start(StageSpec spec, StageProcessor processor) {
        return new TransactionalStage(spec, kafka, processor, topics.dead(), clock, metrics).start();
    }

    /** Starts the loop for a stage whose blocking work runs on {@code concurrency} threads at once. */
    public TransactionalStage start(StageSpec spec, PlannedProcessor processor, int concurrency) {
        return new TransactionalStage(spec, kafka, processor, concurrency, topics.dead(), clock, metrics).start();
    }

    public String groupId(String stage) {
        return topics.prefix() + stage;
    }
}
