package io.postbus.loadtest.bench;

import java.util.Locale;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one measured run.
 *
 * @param options     what was run
 * @param stats       all sessions added up
 * @param seconds     from the common start to the last session's end
 * @param cpuSeconds  CPU time the generator itself used meanwhile (negative if unknown)
 */
record BenchReport(BenchOptions options, SessionStats stats, double seconds, double cpuSeconds) {

    /** Column names of {@link #tsvLine()}, for the scripts that read the result file. */
    static final String TSV_HEADER = "label\tsessions\ttls\taccepted\tseconds\tmsg_per_s\tp50_ms\tp90_ms\tp99_ms\tmax_ms"
            + "\tnon2xx\tio_errors\tconnections\tgenerator_cpu_pct\tmail_p50_ms\tmail_p99_ms\tmail_max_ms"
            + "\ttxn_p50_ms\ttxn_p99_ms";

    double messagesPerSecond() {
        return seconds > 0 ? stats.accepted / seconds : 0;
    }

    /** The end-of-data latency at {@code percentile} in milliseconds; 0 when nothing was accepted. */
    double millisAt(double percentile) {
        return millisAt(stats.latencyMicros, percentile);
    }

    private static double millisAt(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static double maxMillis(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
    }

    /** The generator's own CPU use as a percentage of one core. */
    double cpuPercent() {
        return cpuSeconds < 0 || seconds <= 0 ? -1 : 100 * cpuSeconds / seconds;
    }

    double maxMillis() {
        return maxMillis(stats.latencyMicros);
    }

    String text() {
        BenchOptions o = options;
        return String.format(Locale.ROOT, """
                %s, %d sessions%s, %d-byte %s body: %d accepted in %.2f s = %.1f msg/s
                  end-of-data -> reply (ms): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f
                  MAIL FROM -> reply (ms):   p50 %.2f  p99 %.2f  max %.2f
                  whole transaction (ms):    p50 %.2f  p99 %.2f
                  non-2xx replies: %s; I/O errors: %d; connections: %d; generator CPU %.0f%% of one core%s""",
                o.label(), o.sessions(), o.startTls() ? " (STARTTLS)" : "", o.bodySize(),
                o.content().name().toLowerCase(Locale.ROOT), stats.accepted, seconds, messagesPerSecond(),
                millisAt(50), millisAt(90), millisAt(99), maxMillis(),
                millisAt(stats.mailMicros, 50), millisAt(stats.mailMicros, 99), maxMillis(stats.mailMicros),
                millisAt(stats.transactionMicros, 50), millisAt(stats.transactionMicros, 99), rejections(), stats.ioErrors,
                stats.connections, cpuPercent(),
                stats.lastError == null ? "" : "\n  last error: " + stats.lastError);
    }

    String tsvLine() {
        return String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%.3f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t%d\t%d\t%.0f"
                        + "\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f",
                options.label(), options.sessions(), options.startTls() ? "on" : "off", stats.accepted, seconds,
                messagesPerSecond(), millisAt(50), millisAt(90), millisAt(99), maxMillis(),
                stats.rejectedTotal() == 0 ? "0" : rejections().replace(' ', ','), stats.ioErrors, stats.connections,
                cpuPercent(), millisAt(stats.mailMicros, 50), millisAt(stats.mailMicros, 99), maxMillis(stats.mailMicros),
                millisAt(stats.transactionMicros, 50), millisAt(stats.transactionMicros, 99));
    }

    /** {@code none}, or code:count pairs such as {@code 451:3 554:1}. */
    private String rejections() {
        if (stats.rejectedByCode.isEmpty()) {
            return "none";
        }
        return stats.rejectedByCode.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
