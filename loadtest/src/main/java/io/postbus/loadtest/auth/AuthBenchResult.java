package io.postbus.loadtest.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of one {@link AuthThroughputBench} run.
 *
 * @param options          what was run
 * @param embeddedBroker   the broker ran in this process (its CPU time is in {@code processCpuSeconds})
 * @param out              measured records that came out in mail.authenticated, each counted once
 * @param twice            outputs seen more than once (exactly-once says 0)
 * @param quarantined      measured records that went to mail.quarantine instead
 * @param dead             measured records dead-lettered
 * @param wrong            outputs whose verdicts or signatures are not what the mode must produce
 * @param firstWrong       the first of those, or why the run stopped early
 * @param calls            calls of the authenticator for measured records (above {@code records} means
 *                         records were processed again after an aborted transaction)
 * @param seconds          from the first measured record reaching the authenticator to the last output
 *                         committed and read
 * @param steadyRecords    outputs after the first batch read
 * @param steadySeconds    from the first output read to the last
 * @param processCpuSeconds CPU time of the whole process over {@code seconds}
 * @param authCpuSeconds   CPU time inside the authenticator (the auth cores) over the measured calls
 */
public record AuthBenchResult(AuthBenchOptions options, boolean embeddedBroker, long out, long twice, long quarantined,
                              long dead, long wrong, Optional<String> firstWrong, long calls, double seconds,
                              long steadyRecords, double steadySeconds, double processCpuSeconds,
                              double authCpuSeconds) {

    static final String TSV_HEADER = "mode\trecords\twarmup\tbody_bytes\tworkers\tpartitions\tbroker\tcomplete\tout"
            + "\ttwice\tquarantined\tdead\twrong\tcalls\tseconds\trecords_per_s\tsteady_records_per_s"
            + "\tprocess_cpu_s\tcores_busy\tcpu_ms_per_record\tauth_cpu_ms_per_record";

    /** Every measured record came out once, with the verdicts the mode must produce. */
    public boolean complete() {
        return out == options.records() && twice == 0 && quarantined == 0 && dead == 0 && wrong == 0
                && firstWrong.isEmpty();
    }

    public double recordsPerSecond() {
        return seconds > 0 ? out / seconds : 0;
    }

    public double steadyRecordsPerSecond() {
        return steadySeconds > 0 ? steadyRecords / steadySeconds : 0;
    }

    public double coresBusy() {
        return seconds > 0 ? processCpuSeconds / seconds : 0;
    }

    public String text() {
        AuthBenchOptions o = options;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "auth-worker %s: %d records (%d-byte bodies), %d worker(s), %d partitions, %s broker%n",
                o.mode().name().toLowerCase(Locale.ROOT), o.records(), o.bodySize(), o.workers(), o.partitions(),
                embeddedBroker ? "embedded" : "external"));
        sb.append(String.format(Locale.ROOT, "  out: %d of %d in mail.authenticated, %d twice, %d quarantined, %d dead-lettered,"
                + " %d wrong; authenticator called %d times%n", out, o.records(), twice, quarantined, dead, wrong, calls));
        firstWrong.ifPresent(w -> sb.append("  first problem: ").append(w).append(System.lineSeparator()));
        sb.append(String.format(Locale.ROOT, "  throughput: %.0f records/s (first record in -> last out, %.2f s);"
                + " %.0f records/s first -> last output%n", recordsPerSecond(), seconds, steadyRecordsPerSecond()));
        sb.append(String.format(Locale.ROOT, "  CPU: process %.1f s = %.2f cores busy, %.2f ms/record%s;"
                + " inside the authenticator %.1f s, %.3f ms/record%n", processCpuSeconds, coresBusy(),
                perRecordMs(processCpuSeconds), embeddedBroker ? " (embedded broker included)" : "", authCpuSeconds,
                perRecordMs(authCpuSeconds)));
        sb.append(complete() ? "  complete: every record once, verdicts as expected" : "  INCOMPLETE");
        return sb.append(System.lineSeparator()).toString();
    }

    public String tsv() {
        AuthBenchOptions o = options;
        return String.join("\t", o.mode().name().toLowerCase(Locale.ROOT), Long.toString(o.records()),
                Long.toString(o.warmup()), Long.toString(o.bodySize()), Long.toString(o.workers()),
                Long.toString(o.partitions()), embeddedBroker ? "embedded" : "external", complete() ? "yes" : "no",
                Long.toString(out), Long.toString(twice), Long.toString(quarantined), Long.toString(dead),
                Long.toString(wrong), Long.toString(calls), f("%.3f", seconds), f("%.1f", recordsPerSecond()),
                f("%.1f", steadyRecordsPerSecond()), f("%.2f", processCpuSeconds), f("%.2f", coresBusy()),
                f("%.3f", perRecordMs(processCpuSeconds)), f("%.3f", perRecordMs(authCpuSeconds)));
    }

    /** Appends {@link #tsv()}, after {@link #TSV_HEADER} when the file is new or empty. */
    public void appendTo(Path file) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        String text = (fresh ? TSV_HEADER + "\n" : "") + tsv() + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private double perRecordMs(double cpuSeconds) {
        return out > 0 ? cpuSeconds * 1000 / out : 0;
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
