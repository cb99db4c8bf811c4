package io.postbus.loadtest.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report's "Where the time goes" section for one profiled system, and a reader for its part table. */
public final class ProfileSection {
    public static final String HEADING = "## Where the time goes";
    static final String NO_BUCKET = "(in no bucket above)";
    private static final String PART_HEADER = "| part | CPU s | share |";

    private ProfileSection() {}

    /**
     * @param system    e.g. "postbus"
     * @param delivered messages delivered in the measured run, for the per-message figures
     */
    public static String render(String system, CpuProfile p, long delivered) {
        StringBuilder md = new StringBuilder();
        md.append(HEADING).append(" (").append(system).append(")\n\n");
        md.append(String.format(Locale.ROOT, "JFR recording of the measured run only: [%s](%s) (open it in JDK Mission Control), "
                        + "%.1f s, %,d execution samples every %d ms, %d of them with a stack cut at JFR's depth limit. "
                        + "CPU per part is each thread's own CPU time (ThreadMXBean, exact), the part named by the thread;"
                        + " Vert.x event-loop threads carry no owner in their name and go to the part whose code their samples"
                        + " show; the JVM's own threads (GC, JIT, VM), which no Java API lists, are read from /proc/self/task;"
                        + " what no reading accounts for (the last quarter second of threads that ended during the run) is its own row."
                        + " Together the rows are the process's %.1f CPU s.%n%n",
                p.jfrFile(), p.jfrFile(), p.seconds(), p.samples(), JfrProfiler.SAMPLE_PERIOD.toMillis(), p.truncatedStacks(),
                p.processCpuMs() / 1000));
        md.append(PART_HEADER).append(" CPU ms per delivered msg | threads |\n|---|---:|---:|---:|---:|\n");
        double total = p.partsCpuMs();
        for (CpuProfile.Part part : p.parts()) {
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.1f%% | %s | %s |%n", part.name(), part.cpuMs() / 1000,
                    total <= 0 ? 0 : 100 * part.cpuMs() / total, perMessage(part.cpuMs(), delivered),
                    part.threads() == 0 ? "-" : Integer.toString(part.threads())));
        }
        md.append(String.format(Locale.ROOT, "| total | %.2f | 100.0%% | %s | |%n%n", total / 1000, perMessage(total, delivered)));
        if (!p.unmappedThreads().isEmpty()) {
            md.append("Threads in \"").append(ThreadParts.OTHER).append("\" (digits as N): ")
                    .append(String.join(", ", p.unmappedThreads())).append(".\n\n");
        }
        CpuProfile.Gc gc = p.gc();
        md.append(String.format(Locale.ROOT, "GC: %d collections, %.0f ms of pauses in all (longest %.1f ms), %.0f ms of concurrent"
                        + " phases (wall time beside the application), about %.0f MiB allocated (%.0f MiB/s, from JFR's weighted"
                        + " allocation samples)%s.%n%n", gc.collections(), gc.pauseMs(), gc.longestPauseMs(), gc.concurrentMs(),
                gc.allocatedMiB(), p.seconds() <= 0 ? 0 : gc.allocatedMiB() / p.seconds(),
                delivered <= 0 ? "" : String.format(Locale.ROOT, ", %.0f KiB per delivered message", gc.allocatedMiB() * 1024 / delivered)));
        md.append("Samples by bucket (inclusive: a sample counts for every bucket one of its frames is in, so buckets overlap and"
                + " do not add up; only threads running Java code are sampled):\n\n");
        md.append("| bucket | samples | share of samples |\n|---|---:|---:|\n");
        p.buckets().forEach(c -> md.append(row(c, p.samples())));
        md.append("\nHot methods, self (the frame on top of the stack):\n\n| method | samples | share |\n|---|---:|---:|\n");
        p.selfMethods().forEach(c -> md.append(row(c, p.samples())));
        md.append("\nPostbus methods, inclusive (anywhere on the stack):\n\n| method | samples | share |\n|---|---:|---:|\n");
        p.ourMethods().forEach(c -> md.append(row(c, p.samples())));
        md.append('\n');
        return md.toString();
    }

    /** The part table of the first profile section: part → share in percent. */
    public static Map<String, Double> parseShares(String markdown) {
        List<String> lines = markdown.lines().dropWhile(l -> !l.startsWith(PART_HEADER)).skip(2)
                .takeWhile(l -> l.startsWith("|")).toList();
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("no part table in the report");
        }
        Map<String, Double> shares = new LinkedHashMap<>();
        for (String line : lines) {
            String[] cells = line.split("\\|");
            String name = cells[1].strip();
            if (!name.equals("total")) {
                shares.put(name, Double.parseDouble(cells[3].strip().replace("%", "")));
            }
        }
        return shares;
    }

    private static String row(CpuProfile.Count c, long samples) {
        return String.format(Locale.ROOT, "| %s | %,d | %.1f%% |%n", c.name().replace("|", "\\|"), c.samples(),
                samples == 0 ? 0 : 100.0 * c.samples() / samples);
    }

    private static String perMessage(double ms, long delivered) {
        return delivered <= 0 ? "-" : String.format(Locale.ROOT, "%.3f", ms / delivered);
    }
}
