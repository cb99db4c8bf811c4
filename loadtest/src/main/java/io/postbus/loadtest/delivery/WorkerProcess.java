package io.postbus.loadtest.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The delivery worker under test, as a process of its own ({@link WorkerMain}, or {@code postbus
 * delivery-worker}) as it runs in production, with its own JVM, so its CPU time is its own and the bench's loading and
 * reading are not measured with it.
 */
final class WorkerProcess implements AutoCloseable {
    private static final String READY = "Ready.";

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with {@code args} appended; stdout and stderr go to {@code log}. */
    static WorkerProcess start(List<String> command, List<String> args, Path log) throws IOException {
        List<String> all = new ArrayList<>(command);
        all.addAll(args);
        Process p = new ProcessBuilder(all).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new WorkerProcess(p, log);
    }

    /** Waits for the worker's "Ready." line (its stages are started; partitions may still be coming). */
    void awaitReady(long deadlineNanos) throws IOException {
        while (!Files.readString(log, StandardCharsets.UTF_8).lines().anyMatch(l -> l.startsWith(READY))) {
            requireAlive();
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("the worker did not print Ready. in time; see " + log);
            }
            sleep(100);
        }
    }

    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the worker exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** CPU time of the worker process (all its threads) so far. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGTERM (the worker closes its stages), and after 30 s SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
