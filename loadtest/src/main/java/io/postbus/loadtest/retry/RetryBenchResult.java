package io.postbus.loadtest.retry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The figures of one {@link RetryBench} run.
 *
 * @param options        what was run
 * @param phases         load, defer, wait and retry, as far as the run got
 * @param jobBytes       encoded bytes of the jobs written (Avro, before Kafka's lz4)
 * @param messageBytes   bytes of their messages
 * @param deferred       jobs with exactly one TransientFailure event into the retry tier
 * @param delivered      jobs with a Delivery event (250, second attempt)
 * @param twice          events seen a second time for the same job (exactly-once says 0)
 * @param unexpected     any other event (Bounce, Expiration, a wrong attempt count)
 * @param dead           records in mail.dead
 * @param consumedWhileWaiting records of the retry tier the worker had consumed (committed) at the end
 *                       of the wait, when none was due (0 says it only waited)
 * @param leftOver       records of the delivery topic and the retry tier not consumed at the end
 * @param deliverTopicBytes bytes of mail.deliver.default's log segments (records as stored, lz4)
 * @param retryTopicBytes   the same for mail.retry.5m
 * @param eventsTopicBytes  the same for mail.events
 * @param stop           why the run stopped early, or the first unexpected event
 */
public record RetryBenchResult(RetryBenchOptions options, List<PhaseFigures> phases, long jobBytes, long messageBytes,
                               long deferred, long delivered, long twice, long unexpected, long dead,
                               long consumedWhileWaiting, long leftOver, long deliverTopicBytes, long retryTopicBytes,
                               long eventsTopicBytes, Optional<String> stop) {

    static final String TSV_HEADER = String.join("\t", "jobs", "message_bytes", "partitions", "phase", "phase_jobs",
            "seconds", "jobs_per_s", "process_cpu_s", "cores_busy", "stage_cpu_s", "pauses", "attempts",
            "heap_min_mb", "heap_max_mb", "heap_last_mb", "rss_min_mb", "rss_max_mb", "rss_last_mb",
            "anon_min_mb", "anon_max_mb", "anon_last_mb", "file_min_mb", "file_max_mb", "file_last_mb", "samples",
            "complete", "deferred", "delivered", "twice", "unexpected", "dead", "consumed_while_waiting", "left_over",
            "deliver_topic_mb", "retry_topic_mb", "events_topic_mb", "avg_job_bytes", "client_properties");

    public RetryBenchResult {
        phases = List.copyOf(phases);
    }

    /** Every job deferred once and delivered once, nothing else happened, nothing consumed before it was due. */
    public boolean complete() {
        long n = options.jobs();
        return stop.isEmpty() && deferred == n && delivered == n && twice == 0 && unexpected == 0 && dead == 0
                && consumedWhileWaiting == 0 && leftOver == 0;
    }

    public Optional<PhaseFigures> phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "retry tier: %d jobs of %.0f bytes (%.0f-byte messages), %d partitions, embedded broker%s%n",
                options.jobs(), avgJobBytes(), messageBytes / (double) Math.max(1, options.jobs()), options.partitions(),
                options.clientProperties().isEmpty() ? "" : ", client properties " + options.clientProperties()));
        for (PhaseFigures p : phases) {
            sb.append(String.format(Locale.ROOT, "  %-5s %8d jobs in %8.2f s = %8.0f jobs/s; CPU %.1f s (%.2f cores), stage"
                            + " thread %.2f s; %d pauses, %d attempts%n", p.name(), p.jobs(), p.seconds(),
                    p.jobsPerSecond(), p.processCpuSeconds(), p.coresBusy(), p.stageCpuSeconds(), p.pauses(), p.attempts()));
            MemorySampler.Stats m = p.memory();
            sb.append(String.format(Locale.ROOT, "        heap after GC %s MB, RSS %s MB (anon %s, file %s) [min/max/last of %d samples]%n",
                    mmm(m.heap), mmm(m.rss), mmm(m.anon), mmm(m.file), m.samples));
        }
        sb.append(String.format(Locale.ROOT, "  events: %d deferred, %d delivered, %d twice, %d unexpected; %d dead-lettered;"
                + " %d consumed from the tier while nothing was due, %d left over at the end%n", deferred, delivered, twice,
                unexpected, dead, consumedWhileWaiting, leftOver));
        sb.append(String.format(Locale.ROOT, "  on disk: mail.deliver.default %.1f MB, mail.retry.5m %.1f MB, mail.events %.1f MB%n",
                mb(deliverTopicBytes), mb(retryTopicBytes), mb(eventsTopicBytes)));
        stop.ifPresent(s -> sb.append("  stopped: ").append(s).append(System.lineSeparator()));
        sb.append(complete() ? "  complete: every job deferred once and delivered once" : "  INCOMPLETE");
        return sb.append(System.lineSeparator()).toString();
    }

    /** One line per phase, in the columns of {@link #TSV_HEADER}. */
    public List<String> tsv() {
        return phases.stream().map(p -> {
            MemorySampler.Stats m = p.memory();
            return String.join("\t", Long.toString(options.jobs()), Long.toString(options.messageSize()),
                    Long.toString(options.partitions()), p.name(), Long.toString(p.jobs()), f("%.3f", p.seconds()),
                    f("%.1f", p.jobsPerSecond()), f("%.2f", p.processCpuSeconds()), f("%.3f", p.coresBusy()),
                    f("%.3f", p.stageCpuSeconds()), Long.toString(p.pauses()), Long.toString(p.attempts()),
                    mb3(m.heap), mb3(m.rss), mb3(m.anon), mb3(m.file), Long.toString(m.samples),
                    complete() ? "yes" : "no", Long.toString(deferred), Long.toString(delivered), Long.toString(twice),
                    Long.toString(unexpected), Long.toString(dead), Long.toString(consumedWhileWaiting), Long.toString(leftOver),
                    f("%.1f", mb(deliverTopicBytes)), f("%.1f", mb(retryTopicBytes)), f("%.1f", mb(eventsTopicBytes)),
                    f("%.0f", avgJobBytes()), clientProperties());
        }).toList();
    }

    /** Appends {@link #tsv()}, after {@link #TSV_HEADER} when the file is new or empty. */
    public void appendTo(Path file) throws IOException {
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        StringBuilder text = new StringBuilder(fresh ? TSV_HEADER + "\n" : "");
        tsv().forEach(l -> text.append(l).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The run's client properties as {@code k=v,k=v}, or {@code -}. */
    String clientProperties() {
        return options.clientProperties().isEmpty() ? "-" : options.clientProperties().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
    }

    double avgJobBytes() {
        return jobBytes / (double) Math.max(1, options.jobs());
    }

    private static String mmm(long[] s) {
        return String.format(Locale.ROOT, "%.0f/%.0f/%.0f", mb(MemorySampler.Stats.min(s)), mb(MemorySampler.Stats.max(s)),
                mb(MemorySampler.Stats.last(s)));
    }

    private static String mb3(long[] s) {
        return String.join("\t", f("%.1f", mb(MemorySampler.Stats.min(s))), f("%.1f", mb(MemorySampler.Stats.max(s))),
                f("%.1f", mb(MemorySampler.Stats.last(s))));
    }

    private static double mb(long bytes) {
        return bytes / 1048576.0;
    }

    private static String f(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
