package io.postbus.loadtest.retry;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples this process's memory every few seconds, into the statistics of the phase under way: the heap
 * in use right after a forced full GC (so only what is still referenced: anything held per deferred job
 * would show here), and the resident set from /proc/self/status, split into anonymous memory (heap,
 * thread stacks, direct buffers, malloc) and file pages (the broker's memory-mapped index files, the jars).
 * The forced GC costs the phase a little time; {@link #quiet(boolean)} suspends sampling, so that a CPU
 * measurement is not a measurement of the sampler.
 */
final class MemorySampler implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    /** Min, max and last of each figure over a phase's samples, in bytes. */
    static final class Stats {
        long samples;
        final long[] heap = empty();
        final long[] rss = empty();
        final long[] anon = empty();
        final long[] file = empty();

        private static long[] empty() {
            return new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0};
        }

        private static void add(long[] s, long v) {
            s[0] = Math.min(s[0], v);
            s[1] = Math.max(s[1], v);
            s[2] = v;
        }

        static long min(long[] s) {
            return s[0] == Long.MAX_VALUE ? 0 : s[0];
        }

        static long max(long[] s) {
            return s[1] == Long.MIN_VALUE ? 0 : s[1];
        }

        static long last(long[] s) {
            return s[2];
        }
    }

    private final Map<String, Stats> phases = new LinkedHashMap<>();
    private final Duration every;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean quiet;
    private String phase = "start";

    MemorySampler(Duration every) {
        this.every = every;
        this.thread = new Thread(this::run, "bench-retry-memory");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (running && !quiet) {
                sample();
            }
        }
    }

    /** Later samples belong to {@code name}; takes one at once, so every phase has its starting point. */
    synchronized void phase(String name) {
        phase = name;
        sample();
    }

    void quiet(boolean q) {
        quiet = q;
    }

    /** One sample now, for the current phase. */
    synchronized void sample() {
        System.gc();
        long heap = MEMORY.getHeapMemoryUsage().getUsed();
        Map<String, Long> status = status();
        Stats s = phases.computeIfAbsent(phase, k -> new Stats());
        s.samples++;
        Stats.add(s.heap, heap);
        Stats.add(s.rss, status.getOrDefault("VmRSS", 0L));
        Stats.add(s.anon, status.getOrDefault("RssAnon", 0L));
        Stats.add(s.file, status.getOrDefault("RssFile", 0L) + status.getOrDefault("RssShmem", 0L));
    }

    synchronized Stats stats(String name) {
        return phases.getOrDefault(name, new Stats());
    }

    /** The kB figures of /proc/self/status, in bytes; empty where there is no /proc. */
    static Map<String, Long> status() {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(STATUS)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.endsWith(" kB")) {
                    String v = line.substring(colon + 1, line.length() - 3).strip();
                    out.put(line.substring(0, colon), Long.parseLong(v) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the heap figures still stand
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
