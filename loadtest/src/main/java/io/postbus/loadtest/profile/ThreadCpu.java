package io.postbus.loadtest.profile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of every live Java thread of this JVM, by thread id, with its full name (Linux's own
 * per-task names are cut at 15 characters). Exact, unlike samples: the profile's CPU by part is the
 * difference of two of these.
 */
public final class ThreadCpu {

    /** @param cpuNanos user + system CPU time of the thread since it started */
    public record Thread(String name, long cpuNanos) {}

    private final Map<Long, Thread> threads;

    private ThreadCpu(Map<Long, Thread> threads) {
        this.threads = Map.copyOf(threads);
    }

    public static ThreadCpu now() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
        }
        if (!mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
        Map<Long, Thread> m = new HashMap<>();
        long[] ids = mx.getAllThreadIds();
        ThreadInfo[] infos = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = mx.getThreadCpuTime(ids[i]);
            if (infos[i] != null && cpu >= 0) { // -1 / null: the thread ended meanwhile
                m.put(ids[i], new Thread(infos[i].getThreadName(), cpu));
            }
        }
        return new ThreadCpu(m);
    }

    public static ThreadCpu of(Map<Long, Thread> threads) {
        return new ThreadCpu(threads);
    }

    /**
     * These readings, with the last reading of every thread in {@code earlier} that has ended since: a
     * thread that finished during the run (the generator's, when sending is done) keeps the CPU it had.
     */
    public ThreadCpu withEnded(ThreadCpu earlier) {
        Map<Long, Thread> m = new HashMap<>(earlier.threads);
        m.putAll(threads);
        return new ThreadCpu(m);
    }

    /** CPU each thread alive now spent since {@code before} (all of it for threads started since). */
    public ThreadCpu since(ThreadCpu before) {
        Map<Long, Thread> d = new HashMap<>();
        threads.forEach((id, t) -> {
            Thread b = before.threads.get(id);
            long base = b == null ? 0 : b.cpuNanos();
            d.put(id, new Thread(t.name(), Math.max(0, t.cpuNanos() - base)));
        });
        return new ThreadCpu(d);
    }

    public Map<Long, Thread> threads() {
        return threads;
    }

    public long totalNanos() {
        return threads.values().stream().mapToLong(Thread::cpuNanos).sum();
    }
}
