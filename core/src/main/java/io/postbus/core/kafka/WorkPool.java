package io.postbus.core.kafka;

import io.postbus.core.error.TransientException;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a planned stage's {@link Plan.Work} tasks run on: a fixed number, so the stage never
 * holds more blocking conversations than it was configured for. Daemon threads: a task stuck past
 * its batch must not keep the process alive.
 */
final class WorkPool {
    private final ThreadPoolExecutor executor;

    WorkPool(String stage, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a work pool needs at least one thread: " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "stage-" + stage + "-work-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.executor = (ThreadPoolExecutor) pool;
    }

    /** Starts the task; the future yields the completion to run on the consumer thread. */
    <R> Future<Callable<StageResult>> submit(Plan.Work<R> work) {
        return executor.submit(() -> {
            R outcome = work.task().call();
            return () -> work.then().complete(outcome);
        });
    }

    /**
     * Waits until every task has finished, or the deadline ({@link System#nanoTime()}) has passed;
     * tasks still running then are cancelled (interrupted) and their records retried later.
     */
    static void awaitAll(Collection<? extends Future<?>> tasks, long deadlineNanos) throws InterruptedException {
        for (Future<?> task : tasks) {
            try {
                task.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | CancellationException e) {
                // the outcome is read, and classed, when the record is completed
            } catch (TimeoutException e) {
                task.cancel(true);
            }
        }
    }

    /**
     * The completion of a task that has ended: it runs the task's {@link Plan.Completion}, or throws
     * what the task threw, so both are classed alike. A task given up at the deadline, or
     * interrupted, is a transient failure: the record is done again later.
     */
    static Callable<StageResult> completion(Future<Callable<StageResult>> task) throws InterruptedException {
        try {
            return task.get();
        } catch (CancellationException e) {
            return () -> {
                throw new TransientException("its work did not finish within the batch's time");
            };
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Error error) {
                throw error; // as fatal as on the consumer thread
            }
            Exception failure = cause instanceof InterruptedException
                    ? new TransientException("its work was interrupted", cause) : (Exception) cause;
            return () -> {
                throw failure;
            };
        }
    }

    int active() {
        return executor.getActiveCount();
    }

    void shutdown() {
        executor.shutdownNow();
    }
}
