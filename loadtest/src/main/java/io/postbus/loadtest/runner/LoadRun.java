package io.postbus.loadtest.runner;

import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.loadtest.generator.Generator;
import io.postbus.loadtest.generator.GeneratorResult;
import io.postbus.loadtest.generator.LoadMessage;
import io.postbus.loadtest.report.SystemResult;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SinkConfig;
import io.postbus.loadtest.sink.SmtpSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One end-to-end run against one system: start a sink, start the system relaying to it, send
 * with the generator, wait until every accepted message has arrived (or the drain deadline),
 * measure, stop both. The same steps for every {@link SystemUnderTest}, so their figures compare.
 */
public final class LoadRun {

    /** Percentiles drawn in the latency chart. */
    private static final double[] CURVE = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97, 99, 99.5, 99.9, 99.99, 100};

    private final RunOptions options;
    private final PrintStream log;

    public LoadRun(RunOptions options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    /** Generates the DKIM key and its zone file under {@code dir} (once per comparison: every system signs with it). */
    public static DkimKey generateKey(Path dir) throws IOException {
        Path zones = Files.createDirectories(dir.resolve("zones"));
        var key = new DkimKeyGenerator().generate(KeyType.RSA, 2048, RunOptions.DOMAIN, RunOptions.SELECTOR,
                dir.resolve(RunOptions.SELECTOR + ".private"));
        Files.writeString(zones.resolve(RunOptions.DOMAIN + ".zone"),
                "$ORIGIN " + RunOptions.DOMAIN + ".\n@ 300 IN A 192.0.2.1\n" + key.zoneText());
        return new DkimKey(RunOptions.DOMAIN, RunOptions.SELECTOR, key.privateKeyFile(), zones);
    }

    public SystemResult run(SystemUnderTest system, Optional<DkimKey> dkim, Path workDir) throws Exception {
        DeliveryTracker tracker = new DeliveryTracker();
        DkimSample sample = new DkimSample(options.generator().messages(), dkim.isPresent() ? options.dkimSamples() : 0);
        SinkConfig sinkConfig = SinkConfig.defaults().withRetainMessages(false).withEventLoops(2)
                .withPolicy(options.faults().policy((id, m) -> tracker.refusedAtSink(id, m.recipients(), System.nanoTime())));
        try (SmtpSink sink = SmtpSink.start(sinkConfig)) {
            sink.onArrival(m -> arrived(tracker, sample, m));
            log.println("[" + system.name() + "] starting, relaying to the sink at " + sink.address());
            system.start(sink.address(), dkim, RunOptions.SENDER, Files.createDirectories(workDir));
            try {
                log.println("[" + system.name() + "] " + system.describe());
                ProcessUsage before = system.usage();
                GeneratorResult sent = new Generator(options.generator(), system.submission(), tracker, options.client()).run();
                log.printf("[%s] sent: %d accepted, %d refused, %d I/O errors in %.1f s; draining%n", system.name(),
                        sent.accepted(), sent.refused(), sent.ioErrors(), sent.seconds());
                boolean drained = tracker.awaitAllDelivered(System.nanoTime() + options.drainTimeout().toNanos());
                ProcessUsage used = system.usage().since(before);
                DeliveryTracker.Outcome outcome = tracker.outcome();
                if (!drained) {
                    log.println("[" + system.name() + "] drain deadline passed with " + outcome.lost() + " messages missing, e.g. "
                            + outcome.someLost());
                }
                sent.firstErrors().forEach(e -> log.println("[" + system.name() + "] error: " + e));
                int passed = dkim.isPresent() ? sample.passing(dkim.get()) : 0;
                return summarize(system, sent, outcome, used, sample.size(), passed);
            } finally {
                system.close();
            }
        }
    }

    private static void arrived(DeliveryTracker tracker, DkimSample sample, ReceivedMessage m) {
        long now = System.nanoTime();
        OptionalLong id = LoadMessage.id(m.data());
        if (id.isEmpty()) {
            tracker.arrivedWithoutId();
            return;
        }
        tracker.arrived(id.getAsLong(), m.recipients(), now);
        sample.offer(m.data());
    }

    static SystemResult summarize(SystemUnderTest system, GeneratorResult sent, DeliveryTracker.Outcome o, ProcessUsage used,
                                  int dkimSampled, int dkimPassed) {
        double deliverySeconds = o.deliveryTimes().isEmpty() || o.acceptTimes().isEmpty() ? 0
                : (o.deliveryTimes().stream().mapToLong(Long::longValue).max().getAsLong()
                        - o.acceptTimes().stream().mapToLong(Long::longValue).min().getAsLong()) / 1e9;
        // Rates run from the first 250, so session set-up (TLS handshakes, AUTH's Argon2id) does not dilute them.
        double acceptSeconds = o.acceptTimes().size() < 2 ? 0
                : (o.acceptTimes().stream().mapToLong(Long::longValue).max().getAsLong()
                        - o.acceptTimes().stream().mapToLong(Long::longValue).min().getAsLong()) / 1e9;
        return new SystemResult(system.name(), system.describe(), sent.accepted(), sent.refused(), sent.ioErrors(),
                o.delivered(), o.bounced(), o.lost(), o.duplicates(), o.unexpected(), sent.seconds(),
                acceptSeconds <= 0 ? sent.acceptedPerSecond() : o.accepted() / acceptSeconds,
                deliverySeconds <= 0 ? 0 : o.delivered() / deliverySeconds, latency(o.endToEnd()), latency(o.acceptLatency()),
                used.cpuSeconds(), used.peakRssBytes() / (1024.0 * 1024.0), used.what(), dkimSampled, dkimPassed,
                perSecond(o.acceptTimes(), sent.startedNanos()), perSecond(o.deliveryTimes(), sent.startedNanos()));
    }

    /** Microsecond histogram → millisecond figures. */
    static SystemResult.Latency latency(Histogram h) {
        if (h.getTotalCount() == 0) {
            return SystemResult.Latency.empty();
        }
        List<double[]> curve = new ArrayList<>();
        for (double p : CURVE) {
            curve.add(new double[] {p, ms(p == 0 ? h.getMinValue() : h.getValueAtPercentile(p))});
        }
        return new SystemResult.Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), curve);
    }

    /** Counts per whole second since {@code origin}; events before it fall in the first bucket. */
    static List<Long> perSecond(List<Long> nanoTimes, long origin) {
        List<Long> buckets = new ArrayList<>();
        for (long t : nanoTimes) {
            int b = (int) Math.max(0, TimeUnit.NANOSECONDS.toSeconds(t - origin));
            while (buckets.size() <= b) {
                buckets.add(0L);
            }
            buckets.set(b, buckets.get(b) + 1);
        }
        return buckets;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
