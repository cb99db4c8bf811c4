package io.postbus.loadtest.runner;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * CPU seconds and peak resident memory of a process or a process tree, from Linux's /proc
 * (proc(5)): utime + stime (plus cutime + cstime, the reaped children, for a tree such as
 * Postfix's master and its daemons) and VmHWM, the resident set's high-water mark.
 *
 * @param what          which processes were measured, for the report
 * @param cpuSeconds    user + system CPU time
 * @param peakRssBytes  VmHWM; for a tree, the sum of each live process's VmHWM (an upper bound of the peak)
 * @param peakPssBytes  proportional set size (shared pages divided among their users), the memory the
 *                      processes really hold: a peer's sampled peak, or this JVM's Pss when read
 *                      (its heap does not shrink, so the end of a run is close to its peak); -1 if unknown
 * @param processes     how many processes were measured
 */
public record ProcessUsage(String what, double cpuSeconds, long peakRssBytes, long peakPssBytes, int processes) {

    /** proc(5) reports times in clock ticks; USER_HZ is 100 on every Linux architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    public ProcessUsage {
        if (cpuSeconds < 0 || peakRssBytes < 0 || peakPssBytes < -1 || processes < 0) {
            throw new IllegalArgumentException("negative usage");
        }
    }

    /** This JVM: every thread, GC and JIT included. */
    public static ProcessUsage self(String what) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long hwm = vmHwm(Path.of("/proc/self/status")).orElse(0L);
        long pss = kibField(Path.of("/proc/self/smaps_rollup"), "Pss:").orElse(-1L);
        return new ProcessUsage(what, os.getProcessCpuTime() / 1e9, hwm, pss, 1);
    }

    /** {@code pid} and every live descendant; a process that ended meanwhile is skipped. */
    public static ProcessUsage tree(String what, long pid) {
        double cpu = 0;
        long rss = 0;
        int n = 0;
        for (long p : descendantsAndSelf(pid)) {
            Optional<double[]> times = cpuTicks(Path.of("/proc/" + p + "/stat"));
            if (times.isEmpty()) {
                continue;
            }
            cpu += (times.get()[0] + times.get()[1]) / TICKS_PER_SECOND;
            rss += vmHwm(Path.of("/proc/" + p + "/status")).orElse(0L);
            n++;
        }
        return new ProcessUsage(what, cpu, rss, -1, n);
    }

    /** The difference from an earlier reading of the same processes: CPU spent in between; the peak stays this one's. */
    public ProcessUsage since(ProcessUsage before) {
        return new ProcessUsage(what, Math.max(0, cpuSeconds - before.cpuSeconds), peakRssBytes, peakPssBytes, processes);
    }

    /** utime+stime and cutime+cstime of a /proc/[pid]/stat line (fields 14-17, after the parenthesised name). */
    static Optional<double[]> cpuTicks(Path stat) {
        try {
            return Optional.of(parseStat(Files.readString(stat)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static double[] parseStat(String line) {
        // The command name may contain spaces and parentheses: fields start after the last ')'.
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        double own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        double children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return new double[] {own, children};
    }

    static Optional<Long> vmHwm(Path status) {
        return kibField(status, "VmHWM:");
    }

    /** A "Name:   123 kB" line of a /proc file, in bytes. */
    static Optional<Long> kibField(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Optional.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static List<Long> descendantsAndSelf(long pid) {
        List<Long> out = new ArrayList<>();
        out.add(pid);
        for (int i = 0; i < out.size(); i++) {
            Path tasks = Path.of("/proc/" + out.get(i) + "/task");
            try (var ts = Files.list(tasks)) {
                for (Path t : (Iterable<Path>) ts::iterator) {
                    String children = Files.readString(t.resolve("children")).trim();
                    if (!children.isEmpty()) {
                        for (String c : children.split("\\s+")) {
                            out.add(Long.parseLong(c));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Gone, or /proc/.../children not available: measure what we found.
            }
        }
        return out;
    }
}
