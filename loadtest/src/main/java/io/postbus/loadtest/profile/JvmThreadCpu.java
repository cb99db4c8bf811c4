package io.postbus.loadtest.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * CPU of the JVM's own threads, which no Java API lists: G1's GC threads, the JIT compilers, the VM
 * thread. Read from Linux's per-task /proc/self/task/&lt;tid&gt;/stat (proc(5): comm, then utime and
 * stime in clock ticks), keyed by task id, with the 15-character names Linux keeps.
 */
public final class JvmThreadCpu {
    /** USER_HZ: the kernel reports task times in these ticks, 100 a second on every Linux this runs on. */
    private static final double MS_PER_TICK = 10.0;

    /** @param name the task's comm, cut by Linux at 15 characters */
    public record Task(String name, double cpuMs) {}

    private final Map<Long, Task> tasks;

    private JvmThreadCpu(Map<Long, Task> tasks) {
        this.tasks = Map.copyOf(tasks);
    }

    /** Every task of this process now; empty where /proc is not there (not Linux). */
    public static JvmThreadCpu now() {
        Map<Long, Task> m = new HashMap<>();
        Path dir = Path.of("/proc/self/task");
        if (!Files.isDirectory(dir)) {
            return new JvmThreadCpu(m);
        }
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(t -> read(t).ifPresent(task -> m.put(Long.parseLong(t.getFileName().toString()), task)));
        } catch (IOException e) {
            return new JvmThreadCpu(m); // the breakdown is optional; the JVM-internal row still holds the total
        }
        return new JvmThreadCpu(m);
    }

    private static java.util.Optional<Task> read(Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            // After comm: state is field 3, utime field 14 and stime field 15 (proc(5)), so indexes 11 and 12 here.
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return java.util.Optional.of(new Task(stat.substring(open + 1, close), ticks * MS_PER_TICK));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty(); // the task ended while we read
        }
    }

    /** CPU since {@code before}, per task alive now. */
    public JvmThreadCpu since(JvmThreadCpu before) {
        Map<Long, Task> d = new HashMap<>();
        tasks.forEach((tid, t) -> {
            Task b = before.tasks.get(tid);
            d.put(tid, new Task(t.name(), Math.max(0, t.cpuMs() - (b == null ? 0 : b.cpuMs()))));
        });
        return new JvmThreadCpu(d);
    }

    /**
     * CPU per JVM-internal part, leaving out every task whose name is a Java thread's (cut to 15
     * characters as Linux cuts it): those are counted, exactly, from ThreadMXBean.
     */
    public Map<String, Double> internalParts(Set<String> javaThreadNames) {
        Set<String> cut = new java.util.HashSet<>();
        javaThreadNames.forEach(n -> cut.add(n.length() > 15 ? n.substring(0, 15) : n));
        if (javaThreadNames.contains("main")) {
            cut.add("java"); // the launcher does not rename the thread it runs main on
        }
        Map<String, Double> parts = new HashMap<>();
        for (Task t : tasks.values()) {
            if (!cut.contains(t.name()) && t.cpuMs() > 0) {
                parts.merge(partOf(t.name()), t.cpuMs(), Double::sum);
            }
        }
        return parts;
    }

    static String partOf(String comm) {
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ")) {
            return ThreadParts.GC_THREADS;
        }
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return ThreadParts.JIT;
        }
        return ThreadParts.VM_OTHER;
    }
}
