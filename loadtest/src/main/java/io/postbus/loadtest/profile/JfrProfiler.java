package io.postbus.loadtest.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;

/**
 * A JFR recording of this JVM over one measured run, with JFR's default-profile costs (about 1%):
 * execution samples every 20 ms, every GC and its pauses and concurrent phases, and allocation
 * samples throttled to 150 a second. Plus exact per-thread CPU ({@link ThreadCpu}) at both ends, and
 * every 250 ms in between so that threads ending during the run keep their CPU (up to their last 250 ms).
 */
public final class JfrProfiler implements AutoCloseable {
    public static final Duration SAMPLE_PERIOD = Duration.ofMillis(20);

    /** How often live threads' CPU is read, so threads that end before the run does still count. */
    private static final long POLL_MILLIS = 250;

    private final Recording recording = configured();
    private final ThreadCpu threadsBefore;
    private final JvmThreadCpu tasksBefore;
    private final long startNanos;
    private final java.lang.Thread poller;
    private volatile ThreadCpu seen;

    private static Recording configured() {
        Recording recording = new Recording();
        recording.setName("postbus-loadtest");
        recording.enable("jdk.ExecutionSample").withPeriod(SAMPLE_PERIOD);
        recording.enable("jdk.GarbageCollection");
        recording.enable("jdk.GCPhasePause");
        recording.enable("jdk.GCPhaseConcurrent");
        recording.enable("jdk.ObjectAllocationSample").with("throttle", "150/s");
        recording.enable("jdk.GCHeapSummary");
        recording.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
        recording.setToDisk(true);
        return recording;
    }

    private JfrProfiler() {
        threadsBefore = ThreadCpu.now();
        tasksBefore = JvmThreadCpu.now();
        seen = threadsBefore;
        startNanos = System.nanoTime();
        recording.start();
        // Named "JFR …" so the profile books its (small) CPU to the profiler's own row.
        poller = new java.lang.Thread(this::poll, "JFR loadtest thread-CPU poller");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        try {
            while (!java.lang.Thread.currentThread().isInterrupted()) {
                java.lang.Thread.sleep(POLL_MILLIS);
                seen = ThreadCpu.now().withEnded(seen);
            }
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt(); // stop() ends the poll
        }
    }

    /**
     * Starts and stops a recording now, before the warm-up. Flight Recorder's first use retransforms
     * the JDK's I/O classes (socket and file channels, streams) to add its I/O events, and starting a
     * recording changes event settings compiled code depends on; both throw away compiled code. Done
     * cold at the measured run, the JIT recompiles the network paths during the run, and the profile
     * shows that compiling instead of the run's work (and the CPU per message rises).
     */
    public static void prepare() {
        // A first recording with the same settings, thrown away: what starting one costs the JIT is paid here.
        try (Recording first = configured()) {
            first.start();
            first.stop();
        }
    }

    public static JfrProfiler start() {
        return new JfrProfiler();
    }

    /**
     * Stops, writes the recording to {@code jfrFile} (open it in JDK Mission Control) and returns
     * what it holds with each live thread's CPU over the recording.
     */
    public Recorded stop(Path jfrFile) throws IOException {
        recording.stop();
        stopPolling();
        ThreadCpu threads = ThreadCpu.now().withEnded(seen).since(threadsBefore);
        JvmThreadCpu tasks = JvmThreadCpu.now().since(tasksBefore);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        recording.dump(jfrFile);
        recording.close();
        return new Recorded(jfrFile, threads, tasks, seconds);
    }

    /**
     * @param threads each Java thread's CPU during the recording
     * @param tasks   each OS thread's CPU, for the JVM's own threads no Java API lists
     */
    public record Recorded(Path jfrFile, ThreadCpu threads, JvmThreadCpu tasks, double seconds) {}

    private void stopPolling() {
        poller.interrupt();
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            java.lang.Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopPolling();
        recording.close();
    }
}
