package io.postbus.loadtest.runner;

import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.loadtest.generator.Generator;
import io.postbus.loadtest.generator.GeneratorOptions;
import io.postbus.loadtest.generator.GeneratorResult;
import io.postbus.loadtest.generator.LoadMessage;
import io.postbus.loadtest.profile.CpuProfile;
import io.postbus.loadtest.profile.JfrProfiler;
import io.postbus.loadtest.profile.ProfileAggregator;
import io.postbus.loadtest.report.SystemResult;
import io.postbus.loadtest.sink.ReceivedMessage;
import io.postbus.loadtest.sink.SinkConfig;
import io.postbus.loadtest.sink.SmtpSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * One end-to-end run against one system: start a sink, start the system relaying to it, warm it
 * up (unmeasured), send with the generator, wait until every accepted message has arrived (or the drain deadline),
 * measure, stop both. The same steps for every {@link SystemUnderTest}, so their figures compare.
 */
public final class LoadRun {

    /** Percentiles drawn in the latency chart. */
    private static final double[] CURVE = {0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97, 99, 99.5, 99.9, 99.99, 100};

    /** The longest the warm-up may take to send, and then to drain. */
    private static final Duration WARMUP_LIMIT = Duration.ofSeconds(60);
    private static final double MIB = 1024.0 * 1024.0;

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

    /** One system's figures, and where its CPU went when it was profiled. */
    public record Measured(SystemResult result, Optional<CpuProfile> profile, Optional<SmtpSourcePhase.Result> smtpSource) {}

    public SystemResult run(SystemUnderTest system, Optional<DkimKey> dkim, Path workDir) throws Exception {
        return run(system, dkim, workDir, Optional.empty(), Optional.empty()).result();
    }

    /**
     * @param jfrFile    when present and the system runs in this JVM ({@link SystemUnderTest#runsInThisJvm}),
     *                   the measured run is recorded with JFR into this file and profiled
     * @param smtpSource when present, after the measured run the system also takes this smtp-source load (accept path)
     */
    public Measured run(SystemUnderTest system, Optional<DkimKey> dkim, Path workDir, Optional<Path> jfrFile,
                        Optional<SmtpSourcePhase> smtpSource) throws Exception {
        // The sink outlives the warm-up: its arrivals and refusals go to whichever tracker is current.
        AtomicReference<DeliveryTracker> current = new AtomicReference<>(new DeliveryTracker());
        AtomicReference<DkimSample> currentSample = new AtomicReference<>(new DkimSample(1, 0));
        AtomicBoolean measuring = new AtomicBoolean();
        SinkConfig sinkConfig = SinkConfig.defaults().withRetainMessages(false).withEventLoops(2)
                .withPolicy(options.faults().policy((id, m) -> current.get().refusedAtSink(id, m.recipients(), System.nanoTime()),
                        measuring::get));
        try (SmtpSink sink = SmtpSink.start(sinkConfig)) {
            sink.onArrival(m -> arrived(current.get(), currentSample.get(), m));
            log.println("[" + system.name() + "] starting, relaying to the sink at " + sink.address());
            system.start(sink.address(), dkim, RunOptions.SENDER, Files.createDirectories(workDir));
            JfrProfiler profiler = null;
            try {
                log.println("[" + system.name() + "] " + system.describe());
                if (jfrFile.isPresent() && system.runsInThisJvm()) {
                    JfrProfiler.prepare(); // before the warm-up, so the JIT's recompiling after it is warm-up too
                }
                warmUp(system, current.get());
                DeliveryTracker tracker = new DeliveryTracker();
                DkimSample sample = new DkimSample(options.generator().messages(), dkim.isPresent() ? options.dkimSamples() : 0);
                current.set(tracker);
                currentSample.set(sample);
                measuring.set(true);
                system.startMeasuring();
                ProcessUsage before = system.usage();
                ProcessUsage runnerBefore = ProcessUsage.self("runner JVM");
                long jitBefore = jitMillis();
                profiler = jfrFile.isPresent() && system.runsInThisJvm() ? JfrProfiler.start() : null;
                GeneratorResult sent = new Generator(options.generator(), system.submission(), tracker, options.client()).run();
                log.printf("[%s] sent: %d accepted, %d refused, %d I/O errors in %.1f s; draining%n", system.name(),
                        sent.accepted(), sent.refused(), sent.ioErrors(), sent.seconds());
                boolean drained = tracker.awaitAllDelivered(System.nanoTime() + options.drainTimeout().toNanos());
                ProcessUsage used = system.usage().since(before);
                ProcessUsage runner = ProcessUsage.self("runner JVM").since(runnerBefore);
                if (system.runsInThisJvm()) {
                    log.printf("[%s] JIT compiling during the measured run: %d ms (this JVM's compiler threads, summed)%n",
                            system.name(), jitMillis() - jitBefore);
                }
                // After the CPU figures: writing the recording is not the run's work.
                JfrProfiler.Recorded recorded = profiler == null ? null : profiler.stop(jfrFile.get());
                DeliveryTracker.Outcome outcome = tracker.outcome();
                if (!drained) {
                    log.println("[" + system.name() + "] drain deadline passed with " + outcome.lost() + " messages missing, e.g. "
                            + outcome.someLost());
                }
                sent.firstErrors().forEach(e -> log.println("[" + system.name() + "] error: " + e));
                int passed = dkim.isPresent() ? sample.passing(dkim.get()) : 0;
                SystemResult result = summarize(system, sent, outcome, used, runner.cpuSeconds(), sample.size(), passed);
                Optional<CpuProfile> profile = Optional.empty();
                if (recorded != null) {
                    profile = Optional.of(ProfileAggregator.aggregate(recorded, runner.cpuSeconds() * 1000));
                    log.printf("[%s] profile: %d samples in %s%n", system.name(), profile.get().samples(), recorded.jfrFile());
                }
                Optional<SmtpSourcePhase.Result> sourced = Optional.empty();
                if (smtpSource.isPresent()) {
                    // Unmeasured by the figures above; the sink counts this phase's arrivals (they carry no id) and injects no faults.
                    measuring.set(false);
                    DeliveryTracker phase = new DeliveryTracker();
                    current.set(phase);
                    currentSample.set(new DkimSample(1, 0));
                    sourced = Optional.of(smtpSource.get().run(system.name(), system.submission(), () -> phase.outcome().unexpected(),
                            options.drainTimeout()));
                    log.printf("[%s] smtp-source: %d messages in %.2f s (%.1f msg/s), %d arrived%n", system.name(),
                            sourced.get().messages(), sourced.get().seconds(), sourced.get().acceptedPerSecond(), sourced.get().arrived());
                }
                return new Measured(result, profile, sourced);
            } finally {
                if (profiler != null) {
                    profiler.close(); // stopped and written already unless the run failed
                }
                system.close();
            }
        }
    }

    /**
     * Sends {@link RunOptions#warmupMessages} (or {@link #warmupMessages}) through the system and waits until they arrived, unmeasured: the
     * JIT warms up, connections to the sink open, and Postfix's in_flow_delay gets the tokens its
     * smtpd otherwise waits up to a second for at the first message.
     */
    private void warmUp(SystemUnderTest system, DeliveryTracker tracker) throws Exception {
        GeneratorOptions g = options.generator();
        int n = options.warmupMessages() > 0 ? options.warmupMessages() : warmupMessages(g);
        // A long warm-up (--warmup, to get the JIT's compiling out of the measured run) gets time in proportion: 20 msg/s at worst.
        Duration limit = WARMUP_LIMIT.compareTo(Duration.ofSeconds(n / 20)) > 0 ? WARMUP_LIMIT : Duration.ofSeconds(n / 20);
        GeneratorOptions warm = new GeneratorOptions(n, limit, Math.min(g.sessions(), n), g.bodySize(),
                g.recipientsPerMessage(), g.domains(), 0, g.replyTimeout(), g.seed() + 1);
        GeneratorResult r = new Generator(warm, system.submission(), tracker, options.client()).run();
        if (!tracker.awaitAllDelivered(System.nanoTime() + limit.toNanos()) || r.accepted() == 0) {
            throw new IllegalStateException(system.name() + ": the warm-up's " + n + " messages did not all arrive ("
                    + r.accepted() + " accepted, " + tracker.outcome().lost() + " missing; errors " + r.firstErrors() + ")");
        }
        log.printf("[%s] warm-up: %d messages through in %.1f s%n", system.name(), r.accepted(), r.seconds());
    }

    private static long jitMillis() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** A few messages per session, so each session's connection and each daemon has carried mail. */
    static int warmupMessages(GeneratorOptions g) {
        return Math.min(200, Math.max(50, 5 * g.sessions()));
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
                                  double runnerCpuSeconds, int dkimSampled, int dkimPassed) {
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
                used.cpuSeconds(), used.peakRssBytes() / MIB, used.peakPssBytes() < 0 ? -1 : used.peakPssBytes() / MIB,
                runnerCpuSeconds, used.what(), dkimSampled, dkimPassed,
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
