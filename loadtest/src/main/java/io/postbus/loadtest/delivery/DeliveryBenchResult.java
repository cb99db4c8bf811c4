package io.postbus.loadtest.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of one {@link DeliveryBench} run.
 *
 * @param options          what was run
 * @param delivered        measured jobs with a committed Delivery event, each counted once
 * @param duplicates       Delivery events seen again for a job already counted (at-least-once allows them)
 * @param deferred         TransientFailure events of measured jobs
 * @param bounced          Bounce or Expiration events of measured jobs
 * @param seconds          from the commit of the measured jobs to the last Delivery event read back
 * @param workerCpuSeconds CPU time of the worker process over {@code seconds}
 * @param stopped          why the run ended before every job was delivered
 */
public record DeliveryBenchResult(DeliveryBenchOptions options, long delivered, long duplicates, long deferred,
                                  long bounced, double seconds, double workerCpuSeconds, Optional<String> stopped) {

    static final String TSV_HEADER = "label\tconcurrency\ttls\tmessages\twarmup\tbody_bytes\tcomplete\tdelivered"
            + "\tduplicates\tdeferred\tbounced\tseconds\tmsg_per_s\tworker_cpu_s\tworker_cores_busy\tcpu_ms_per_msg";

    public boolean complete() {
        return delivered == options.messages() && deferred == 0 && bounced == 0 && stopped.isEmpty();
    }

    public double messagesPerSecond() {
        return seconds > 0 ? delivered / seconds : 0;
    }

    public double workerCoresBusy() {
        return seconds > 0 ? workerCpuSeconds / seconds : 0;
    }

    public double cpuMillisPerMessage() {
        return delivered > 0 ? 1000 * workerCpuSeconds / delivered : 0;
    }

    public String text() {
        DeliveryBenchOptions o = options;
        return String.format(Locale.ROOT,
                "DeliveryBench %s: %d connections, TLS %s: %d of %d delivered in %.2f s = %.1f msg/s;"
                        + " worker CPU %.2f cores, %.2f ms/msg; deferred %d, bounced %d, duplicates %d%s%n",
                o.label(), o.concurrency(), o.tls(), delivered, o.messages(), seconds, messagesPerSecond(),
                workerCoresBusy(), cpuMillisPerMessage(), deferred, bounced, duplicates,
                stopped.map(s -> " (" + s + ")").orElse(""));
    }

    public String tsv() {
        DeliveryBenchOptions o = options;
        return String.format(Locale.ROOT, "%s\t%d\t%s\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%.3f\t%.1f\t%.3f\t%.2f\t%.3f",
                o.label(), o.concurrency(), o.tls(), o.messages(), o.warmup(), o.bodySize(), complete() ? "yes" : "no",
                delivered, duplicates, deferred, bounced, seconds, messagesPerSecond(), workerCpuSeconds,
                workerCoresBusy(), cpuMillisPerMessage());
    }

    /** Appends {@link #tsv()}, after a header line when the file is new or empty. */
    public void appendTo(Path file) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        Files.writeString(file, (fresh ? TSV_HEADER + "\n" : "") + tsv() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
