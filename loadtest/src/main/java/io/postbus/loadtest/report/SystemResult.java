package io.postbus.loadtest.report;

import java.util.List;
import java.util.Objects;

/**
 * The figures of one system's run, as the report shows them.
 *
 * @param system            e.g. "postbus"
 * @param setup             how it was set up (path, TLS, AUTH, DKIM), one line
 * @param accepted          messages answered 250 at end of data
 * @param refused           messages the system refused
 * @param ioErrors          transactions lost to I/O errors or timeouts
 * @param delivered         accepted messages whose every recipient reached the sink
 * @param bounced           accepted messages the sink refused on purpose (configured 5xx share)
 * @param lost              accepted, neither delivered nor bounced by the deadline: must be 0
 * @param duplicates        recipient deliveries beyond the first
 * @param unexpected        sink arrivals without a known id (bounces, notices)
 * @param sendSeconds       from the generator's start to its last session's end
 * @param acceptedPerSecond accepted / (first 250 → last 250)
 * @param deliveredPerSecond delivered / (first accept → last delivery)
 * @param endToEnd          accept → arrival at the sink, milliseconds
 * @param acceptLatency     end of data → 250, milliseconds
 * @param cpuSeconds        CPU of the system's processes during the run
 * @param peakRssMiB        peak resident memory of those processes (shared pages counted once per process)
 * @param peakPssMiB        peak proportional set size of those processes, the memory they really hold; -1 if unknown
 * @param runnerCpuSeconds  CPU of the runner JVM (generator and sink, and Postbus itself when it is the system)
 *                          during the run: for a peer, what the harness cost, to take off Postbus's figure
 * @param usageScope        what the CPU and memory figures cover
 * @param dkimSampled       delivered messages whose signature was checked
 * @param dkimPassed        of those, messages with a passing signature from the signing domain
 * @param accepts           accepts per one-second bucket since the start
 * @param deliveries        completed deliveries per one-second bucket since the start
 */
public record SystemResult(String system, String setup, long accepted, long refused, long ioErrors, long delivered, long bounced,
                           long lost, long duplicates, long unexpected, double sendSeconds, double acceptedPerSecond,
                           double deliveredPerSecond, Latency endToEnd, Latency acceptLatency, double cpuSeconds,
                           double peakRssMiB, double peakPssMiB, double runnerCpuSeconds, String usageScope, int dkimSampled, int dkimPassed, List<Long> accepts,
                           List<Long> deliveries) {

    public SystemResult {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(endToEnd, "endToEnd");
        Objects.requireNonNull(acceptLatency, "acceptLatency");
        Objects.requireNonNull(usageScope, "usageScope");
        accepts = List.copyOf(accepts);
        deliveries = List.copyOf(deliveries);
        if (system.isBlank() || system.contains("|")) {
            throw new IllegalArgumentException("system name must be non-blank and without '|': " + system);
        }
    }

    /**
     * A latency distribution in milliseconds.
     *
     * @param count the values recorded
     * @param curve (percentile, milliseconds) points for the chart, ascending
     */
    public record Latency(long count, double p50, double p90, double p99, double max, List<double[]> curve) {
        public Latency {
            curve = List.copyOf(curve);
        }

        public static Latency empty() {
            return new Latency(0, 0, 0, 0, 0, List.of());
        }
    }
}
