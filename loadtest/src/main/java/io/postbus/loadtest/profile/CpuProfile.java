package io.postbus.loadtest.profile;

import java.util.List;
import java.util.Objects;

/**
 * Where one measured run's CPU went, from {@link ProfileAggregator}.
 *
 * @param jfrFile          the recording's file name, next to the report
 * @param seconds          the recording's wall time
 * @param processCpuMs     the whole JVM's CPU over the run (from /proc)
 * @param parts            CPU per part, largest first; they add up to {@code processCpuMs}
 * @param unmappedThreads  names (numbers stripped) of the threads in "other threads", most CPU first
 * @param samples          execution samples taken
 * @param truncatedStacks  samples whose stack JFR cut at its depth limit (outer frames missing)
 * @param buckets          inclusive samples per bucket, most first, then the samples in no bucket
 * @param selfMethods      methods on top of the stack, most samples first
 * @param ourMethods       io.postbus methods anywhere on the stack (inclusive), most samples first
 * @param gc               collections, pauses and allocation
 */
public record CpuProfile(String jfrFile, double seconds, double processCpuMs, List<Part> parts, List<String> unmappedThreads,
                         long samples, long truncatedStacks, List<Count> buckets, List<Count> selfMethods, List<Count> ourMethods,
                         Gc gc) {

    public CpuProfile {
        Objects.requireNonNull(jfrFile, "jfrFile");
        parts = List.copyOf(parts);
        unmappedThreads = List.copyOf(unmappedThreads);
        buckets = List.copyOf(buckets);
        selfMethods = List.copyOf(selfMethods);
        ourMethods = List.copyOf(ourMethods);
        Objects.requireNonNull(gc, "gc");
    }

    /** @param threads how many live threads the part had */
    public record Part(String name, double cpuMs, int threads) {}

    public record Count(String name, long samples) {}

    /**
     * @param collections       GCs during the run
     * @param pauseMs           their stop-the-world pauses, summed
     * @param longestPauseMs    the longest of them
     * @param concurrentMs      wall time of concurrent GC phases (marking), summed; run beside the mutator
     * @param allocatedMiB      allocation estimated from JFR's weighted allocation samples
     */
    public record Gc(long collections, double pauseMs, double longestPauseMs, double concurrentMs, double allocatedMiB) {}

    public double partsCpuMs() {
        return parts.stream().mapToDouble(Part::cpuMs).sum();
    }
}
