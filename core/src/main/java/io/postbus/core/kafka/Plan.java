package io.postbus.core.kafka;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * What a {@link PlannedProcessor} makes of one record on the consumer thread: either the result at
 * once, or a piece of blocking work to run on the stage's pool, concurrently with the rest of the
 * batch, whose outcome is turned into the result back on the consumer thread.
 */
public sealed interface Plan {

    /** Decided without blocking work: emit, defer (not due, held, throttled) or skip. */
    record Decided(StageResult result) implements Plan {
        public Decided {
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * Blocking work for the pool, then its completion on the consumer thread.
     *
     * @param task runs on a pool thread, concurrently with the batch's other tasks; does no Kafka
     *             I/O and touches no state the consumer thread writes. A
     *             {@link io.postbus.core.error.TransientException} retries the record later (and
     *             rewinds its partition), any other exception dead-letters it.
     * @param then runs on the consumer thread, in offset order within the partition, once every task
     *             of the batch has finished: where stateful decisions (backoff feedback, suppression)
     *             and the output records are made. Its exceptions are classed like the task's.
     */
    record Work<R>(Callable<R> task, Completion<R> then) implements Plan {
        public Work {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(then, "then");
        }
    }

    /** Turns a task's outcome into the record's result; runs on the consumer thread. */
    @FunctionalInterface
    interface Completion<R> {
        StageResult complete(R outcome) throws Exception;
    }

    static Plan decided(StageResult result) {
        return new Decided(result);
    }

    static <R> Plan work(Callable<R> task, Completion<R> then) {
        return new Work<>(task, then);
    }
}
