package io.postbus.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * CPU time and memory of a group of process trees, read from /proc (proc(5)).
 *
 * <p>CPU is exact whenever it is read, not sampled: a root's own utime+stime, plus its cutime+cstime
 * (the times of every child it has already reaped, and of their reaped children), plus the same four
 * numbers of each descendant still alive. A live process's time is in nobody's cutime until it is reaped,
 * so nothing counts twice. Postfix's master reaps its children as they exit, so the short-lived smtpd,
 * cleanup and smtp processes of a run all end up in its cutime. A process that exits between reading
 * the root and reading it can be missed for one reading; each counter is therefore kept monotonic.
 *
 * <p>Memory can only be sampled: every interval the resident (VmRSS) and proportional (Pss) sizes of all
 * live processes are summed, and the largest sums are kept.
 */
final class ProcessUsageSampler implements AutoCloseable {
    private static final Path PROC = Path.of("/proc");

    private final Supplier<List<Long>> roots;
    private final double ticksPerSecond = ClockTicks.PER_SECOND;
    private final ScheduledExecutorService timer;
    private long userTicks;
    private long systemTicks;
    private long peakRss;
    private long peakPss;
    private boolean pssReadable = true;
    private int peakProcesses;
    private int samples;

    /** @param roots the pids of the tree roots, asked again at every sample (a root may not exist yet) */
    ProcessUsageSampler(Supplier<List<Long>> roots, Duration interval) {
        this.roots = roots;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "peer usage sampler");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleAtFixedRate(this::sample, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Takes a sample now and returns the totals so far. */
    synchronized PeerUsage usage() {
        sample();
        return new PeerUsage(userTicks / ticksPerSecond, systemTicks / ticksPerSecond,
                peakRss, pssReadable ? peakPss : -1, peakProcesses, samples);
    }

    /** Starts the peaks afresh, for a measurement window that begins now. */
    synchronized void resetPeaks() {
        peakRss = 0;
        peakPss = 0;
        peakProcesses = 0;
        samples = 0;
        sample();
    }

    /** Every process of the trees alive now, roots first. */
    List<ProcessHandle> liveProcesses() {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (long pid : roots.get()) {
            ProcessHandle.of(pid).ifPresent(root -> {
                all.add(root);
                root.descendants().forEach(all::add);
            });
        }
        return new ArrayList<>(all);
    }

    private synchronized void sample() {
        long user = 0;
        long system = 0;
        long rss = 0;
        long pss = 0;
        int alive = 0;
        for (ProcessHandle p : liveProcesses()) {
            long[] times = times(p.pid());
            if (times == null) {
                continue; // exited meanwhile: its times are in its parent's cutime now, or soon
            }
            alive++;
            user += times[0] + times[2];
            system += times[1] + times[3];
            rss += kilobytes(p.pid(), "status", "VmRSS:") * 1024;
            if (pssReadable) {
                long kb = kilobytes(p.pid(), "smaps_rollup", "Pss:");
                if (kb < 0) {
                    pssReadable = false;
                }
                pss += kb * 1024;
            }
        }
        if (alive == 0) {
            return; // not started yet, or stopped: keep what was read last
        }
        userTicks = Math.max(userTicks, user);
        systemTicks = Math.max(systemTicks, system);
        peakRss = Math.max(peakRss, rss);
        peakPss = Math.max(peakPss, pss);
        peakProcesses = Math.max(peakProcesses, alive);
        samples++;
    }

    /** utime, stime, cutime, cstime in clock ticks, or null when the process is gone. */
    private static long[] times(long pid) {
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException gone) {
            return null;
        }
        // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14.
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** The kB value of {@code key} in /proc/PID/{@code file}; 0 when gone or absent, -1 when not readable. */
    private static long kilobytes(long pid, String file, String key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve(file), StandardCharsets.ISO_8859_1);
        } catch (java.nio.file.AccessDeniedException e) {
            return -1;
        } catch (IOException gone) {
            return 0;
        }
        for (String line : lines) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return 0; // kernel threads and zombies have no VmRSS
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** sysconf(_SC_CLK_TCK), the unit of the times in /proc/PID/stat; 100 on every Linux we know of. */
    private static final class ClockTicks {
        static final double PER_SECOND = read();

        private static double read() {
            try {
                ToolResult r = ExternalTool.run(Duration.ofSeconds(10), List.of("getconf", "CLK_TCK"));
                return r.succeeded() ? Double.parseDouble(r.stdout().trim()) : 100;
            } catch (RuntimeException | AssertionError e) {
                return 100;
            }
        }
    }
}
