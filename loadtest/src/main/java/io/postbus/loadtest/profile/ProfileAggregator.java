package io.postbus.loadtest.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Turns a JFR recording plus per-thread CPU into a {@link CpuProfile}: CPU per part from the
 * threads' exact CPU ({@link ThreadParts} names the part; Vert.x threads go to the part their
 * samples show), the rest of the process's CPU as JVM internals; samples into buckets
 * ({@link FrameBuckets}) and hot methods; GC events into pauses and allocation.
 */
public final class ProfileAggregator {
    private static final double MIB = 1024.0 * 1024.0;

    private final Map<Long, Map<String, Long>> ownerVotes = new HashMap<>();
    private final Map<String, Long> buckets = new HashMap<>();
    private final Map<String, Long> self = new HashMap<>();
    private final Map<String, Long> ours = new HashMap<>();
    private long samples;
    private long truncated;
    private long inNoBucket;
    private long collections;
    private double pauseMs;
    private double longestPauseMs;
    private double concurrentMs;
    private double allocatedBytes;

    /**
     * @param recorded     the recording and each live thread's CPU over it
     * @param processCpuMs the whole process's CPU over the same window
     */
    public static CpuProfile aggregate(JfrProfiler.Recorded recorded, double processCpuMs) throws IOException {
        ProfileAggregator a = new ProfileAggregator();
        try (RecordingFile file = new RecordingFile(recorded.jfrFile())) {
            while (file.hasMoreEvents()) {
                a.accept(file.readEvent());
            }
        }
        return a.result(recorded.jfrFile(), recorded.seconds(), recorded.threads(), recorded.tasks(), processCpuMs);
    }

    void accept(RecordedEvent e) {
        switch (e.getEventType().getName()) {
            case "jdk.ExecutionSample":
                sample(e.getThread("sampledThread"), e.getStackTrace());
                break;
            case "jdk.GarbageCollection":
                collections++;
                pauseMs += millis(e.getDuration("sumOfPauses"));
                longestPauseMs = Math.max(longestPauseMs, millis(e.getDuration("longestPause")));
                break;
            case "jdk.GCPhaseConcurrent":
                concurrentMs += millis(e.getDuration());
                break;
            case "jdk.ObjectAllocationSample":
                allocatedBytes += e.getLong("weight");
                break;
            default:
                break;
        }
    }

    private void sample(RecordedThread thread, RecordedStackTrace stack) {
        if (stack == null) {
            return;
        }
        samples++;
        if (stack.isTruncated()) {
            truncated++;
        }
        List<RecordedFrame> frames = stack.getFrames();
        List<String> classes = new ArrayList<>(frames.size());
        Set<String> ourOnStack = new LinkedHashSet<>();
        Optional<String> owner = Optional.empty();
        for (RecordedFrame f : frames) {
            RecordedMethod m = f.getMethod();
            if (m == null || m.getType() == null) {
                continue;
            }
            String cls = m.getType().getName();
            classes.add(cls);
            if (cls.startsWith("io.postbus.") && !cls.contains("$$Lambda")) {
                ourOnStack.add(name(m));
            }
            if (owner.isEmpty()) {
                owner = ThreadParts.ownerOfFrame(cls);
            }
        }
        if (!frames.isEmpty() && frames.get(0).getMethod() != null) {
            self.merge(name(frames.get(0).getMethod()), 1L, Long::sum);
        }
        ourOnStack.forEach(m -> ours.merge(m, 1L, Long::sum));
        List<FrameBuckets.Bucket> hit = FrameBuckets.of(classes);
        if (hit.isEmpty()) {
            inNoBucket++;
        }
        hit.forEach(b -> buckets.merge(b.name(), 1L, Long::sum));
        if (thread != null && owner.isPresent()) {
            ownerVotes.computeIfAbsent(thread.getJavaThreadId(), k -> new HashMap<>()).merge(owner.get(), 1L, Long::sum);
        }
    }

    CpuProfile result(Path jfrFile, double seconds, ThreadCpu threads, JvmThreadCpu tasks, double processCpuMs) {
        Map<String, double[]> parts = new HashMap<>(); // part → {cpu ms, threads}
        Map<String, Double> unmapped = new HashMap<>();
        threads.threads().forEach((id, t) -> {
            String part = partOf(id, t.name());
            double ms = t.cpuNanos() / 1e6;
            double[] p = parts.computeIfAbsent(part, k -> new double[2]);
            p[0] += ms;
            p[1]++;
            if (part.equals(ThreadParts.OTHER)) {
                unmapped.merge(t.name().replaceAll("\\d+", "N"), ms, Double::sum);
            }
        });
        List<CpuProfile.Part> list = new ArrayList<>();
        parts.forEach((name, p) -> list.add(new CpuProfile.Part(name, p[0], (int) p[1])));
        double threadsMs = threads.totalNanos() / 1e6;
        Set<String> javaNames = new java.util.HashSet<>();
        threads.threads().values().forEach(t -> javaNames.add(t.name()));
        for (Map.Entry<String, Double> internal : tasks.internalParts(javaNames).entrySet()) {
            list.add(new CpuProfile.Part(internal.getKey(), internal.getValue(), 0));
            threadsMs += internal.getValue();
        }
        // Never negative: /proc and the thread clocks tick at different granularities.
        list.add(new CpuProfile.Part(ThreadParts.UNACCOUNTED, Math.max(0, processCpuMs - threadsMs), 0));
        list.sort(Comparator.comparingDouble(CpuProfile.Part::cpuMs).reversed());
        List<String> names = unmapped.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(Map.Entry::getKey).limit(8).toList();
        List<CpuProfile.Count> bucketList = top(buckets, Integer.MAX_VALUE);
        List<CpuProfile.Count> withRest = new ArrayList<>(bucketList);
        withRest.add(new CpuProfile.Count(ProfileSection.NO_BUCKET, inNoBucket));
        return new CpuProfile(jfrFile.getFileName().toString(), seconds, Math.max(processCpuMs, threadsMs), list, names, samples,
                truncated, withRest, top(self, 15), top(ours, 15),
                new CpuProfile.Gc(collections, pauseMs, longestPauseMs, concurrentMs, allocatedBytes / MIB));
    }

    private String partOf(long id, String name) {
        Optional<String> byName = ThreadParts.byName(name);
        if (byName.isPresent()) {
            return byName.get();
        }
        if (!ThreadParts.isStackOwned(name)) {
            return name.equals("main") || name.startsWith("Test worker") ? "runner main thread" : ThreadParts.OTHER;
        }
        Map<String, Long> votes = ownerVotes.get(id);
        if (votes == null) {
            return ThreadParts.VERTX_UNATTRIBUTED;
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
    }

    private static List<CpuProfile.Count> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(en -> new CpuProfile.Count(en.getKey(), en.getValue())).toList();
    }

    private static String name(RecordedMethod m) {
        String cls = m.getType().getName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + m.getName() + " (" + packageOf(cls) + ")";
    }

    private static String packageOf(String cls) {
        int dot = cls.lastIndexOf('.');
        return dot < 0 ? "" : cls.substring(0, dot);
    }

    private static double millis(Duration d) {
        return d == null ? 0 : d.toNanos() / 1e6;
    }
}
