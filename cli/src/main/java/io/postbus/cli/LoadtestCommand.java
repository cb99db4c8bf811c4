package io.postbus.cli;

import io.postbus.core.config.ConfigException;
import io.postbus.loadtest.generator.Generator;
import io.postbus.loadtest.generator.GeneratorOptions;
import io.postbus.loadtest.generator.ZipfDomains;
import io.postbus.loadtest.profile.ProfileSection;
import io.postbus.loadtest.report.ReportWriter;
import io.postbus.loadtest.report.SystemResult;
import io.postbus.loadtest.runner.DkimKey;
import io.postbus.loadtest.runner.LoadRun;
import io.postbus.loadtest.runner.RunOptions;
import io.postbus.loadtest.runner.SinkFaults;
import io.postbus.loadtest.runner.SmtpSourcePhase;
import io.postbus.loadtest.runner.SystemUnderTest;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code postbus loadtest}: the end-to-end load test. Starts the pipeline relaying to an SMTP sink
 * in this JVM, submits newsletters with the generator, waits until every accepted message has
 * arrived, and writes a Markdown report with two SVG charts to {@code --out}. With
 * {@code --compare NAME} the same run is repeated against a peer MTA found through
 * {@link SystemUnderTest.Factory} (e.g. a private Postfix with OpenDKIM) and reported side by side.
 */
@Command(name = "loadtest", description = "End-to-end load test: generator → Postbus (→ peer) → sink; writes report.md and SVG charts.")
final class LoadtestCommand implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "1000", description = "messages to send (default: ${DEFAULT-VALUE})")
    long messages;

    @Option(names = "--duration", defaultValue = "10m", description = "longest time spent sending, e.g. 90s, 10m (default: ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--drain-timeout", defaultValue = "5m", description = "after sending, longest wait for the last message to arrive (default: ${DEFAULT-VALUE})")
    String drainTimeout;

    @Option(names = "--sessions", defaultValue = "10", description = "concurrent SMTP sessions (default: ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--size", defaultValue = "5k", description = "body size, bytes or k/m (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--recipients", defaultValue = "1", description = "recipients per message (default: ${DEFAULT-VALUE})")
    int recipients;

    @Option(names = "--domains", defaultValue = "1000", description = "recipient domains d<rank>.loadtest.test (default: ${DEFAULT-VALUE})")
    int domains;

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of the domain mix, 0 = uniform (default: ${DEFAULT-VALUE})")
    double zipf;

    @Option(names = "--rate", defaultValue = "0", description = "target messages per second, 0 = as fast as accepted (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--path",
            description = "submission (STARTTLS + AUTH PLAIN, as a newsletter sender) or smtp (port 25 from mynetworks, no TLS)"
                    + " (default: submission; smtp with --compare, the only path the Postfix peer has)")
    String path;

    @Option(names = "--client", defaultValue = "smtp",
            description = "smtp (our blocking client, lock step, exact accept latency) or vertx-mail (Vert.x Mail Client pool, as a newsletter application) (default: ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--no-dkim", description = "do not sign (default: sign with a generated RSA-2048 key and verify a sample)")
    boolean noDkim;

    @Option(names = "--dkim-samples", defaultValue = "100", description = "delivered messages whose DKIM signature is verified (default: ${DEFAULT-VALUE})")
    int dkimSamples;

    @Option(names = "--sink-defer", defaultValue = "0", description = "per mille of messages the sink answers 451 once (default: ${DEFAULT-VALUE})")
    int sinkDefer;

    @Option(names = "--sink-reject", defaultValue = "0", description = "per mille of messages the sink answers 550 (default: ${DEFAULT-VALUE})")
    int sinkReject;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the recipient draw (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--bootstrap-servers", description = "run the pipeline on this Kafka cluster instead of an embedded broker")
    String bootstrapServers;

    @Option(names = "--set", description = "key=value for the Postbus pipeline, repeatable (see `postbus config-reference`)")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--compare", description = "also run a peer MTA by name, e.g. postfix (needs its SystemUnderTest.Factory on the class path)")
    List<String> compare = new ArrayList<>();

    @Option(names = "--peer-set", description = "key=value for the peers, repeatable; for postfix a main.cf parameter, e.g. in_flow_delay=0s")
    Map<String, String> peerSet = new LinkedHashMap<>();

    @Option(names = "--warmup", defaultValue = "0", description = "unmeasured messages each system carries first; 0 ="
            + " min(200, max(50, 5 x sessions)). A few thousand get most of the JIT's compiling out of Postbus's measured run"
            + " (the profile shows what is left) (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--no-profile", description = "do not record the Postbus run with JFR (default: record it, ~1% CPU, and write"
            + " a 'Where the time goes' section and postbus.jfr)")
    boolean noProfile;

    @Option(names = "--smtp-source", description = "after each system's run, also drive its accept path with Postfix's smtp-source"
            + " (--messages, --sessions, --size; one recipient) and report accepted msg/s (needs --path smtp)")
    boolean smtpSource;

    @Option(names = "--out", description = "results folder (default: results/<timestamp>)")
    Path out;

    PrintStream log = System.out;

    @Override
    public Integer call() throws Exception {
        if (path == null) {
            path = compare.isEmpty() ? "submission" : "smtp";
        }
        if (!path.equals("submission") && !path.equals("smtp")) {
            throw new ConfigException("--path must be submission or smtp, not " + path);
        }
        if (!compare.isEmpty() && path.equals("submission")) {
            // Postfix has no SASL of its own (it asks Dovecot or Cyrus): compare on the path both have.
            throw new ConfigException("--compare runs every system on port 25 from mynetworks; --path submission cannot be compared");
        }
        if (smtpSource && path.equals("submission")) {
            throw new ConfigException("--smtp-source sends without TLS and AUTH: use it with --path smtp (or --compare)");
        }
        Optional<SmtpSourcePhase> sourcePhase = Optional.empty();
        if (smtpSource) {
            try {
                io.postbus.testkit.ExternalTool.require(SmtpSourcePhase.TOOL);
            } catch (AssertionError missing) {
                throw new ConfigException("--smtp-source: " + missing.getMessage());
            }
            sourcePhase = Optional.of(new SmtpSourcePhase(messages, sessions, (int) bytes(size)));
        }
        RunOptions options = options();
        double loadBefore = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<SystemUnderTest> systems = new ArrayList<>();
        systems.add(new PostbusUnderTest(pipelineSettings(), path.equals("submission")));
        for (String name : compare) {
            systems.add(peer(name, options));
        }
        Path dir = out != null ? out : Path.of("results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path work = Files.createTempDirectory("postbus-loadtest");
        // A peer's daemons run as their own user (Postfix's as postfix) and must reach their directories in here.
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Optional<DkimKey> key = options.dkim() ? Optional.of(LoadRun.generateKey(work.resolve("dkim"))) : Optional.empty();
        LoadRun run = new LoadRun(options, log);
        List<SystemResult> results = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        List<SmtpSourcePhase.Result> sourced = new ArrayList<>();
        Files.createDirectories(dir);
        for (SystemUnderTest s : systems) {
            Optional<Path> jfr = noProfile ? Optional.empty() : Optional.of(dir.resolve(s.name() + ".jfr"));
            LoadRun.Measured m = run.run(s, key, work.resolve(s.name()), jfr, sourcePhase);
            results.add(m.result());
            m.smtpSource().ifPresent(sourced::add);
            m.profile().ifPresent(p -> sections.add(ProfileSection.render(s.name(), p, m.result().delivered())));
        }
        if (!sourced.isEmpty()) {
            sections.add(0, SmtpSourcePhase.section(sourced, sourcePhase.get().commandLine(RunOptions.SENDER)));
        }
        Path report = ReportWriter.write(dir, "Postbus load test", parameters(options, loadBefore), results, sections, notes());
        log.println("report: " + report.toAbsolutePath());
        boolean clean = results.stream().allMatch(r -> r.lost() == 0 && r.duplicates() == 0 && r.accepted() > 0)
                && sourced.stream().allMatch(SmtpSourcePhase.Result::clean);
        if (!clean) {
            log.println("FAILED: a system lost or duplicated mail, or accepted nothing (see the report)");
        }
        return clean ? 0 : 1;
    }

    RunOptions options() {
        GeneratorOptions g = new GeneratorOptions(messages, parseDuration("--duration", duration), sessions, (int) bytes(size), recipients,
                new ZipfDomains(domains, zipf, "loadtest.test"), rate, Duration.ofMinutes(2), seed);
        return new RunOptions(g, !noDkim, new SinkFaults(sinkDefer, sinkReject), parseDuration("--drain-timeout", drainTimeout),
                dkimSamples, generatorClient(), warmup);
    }

    private Generator.Client generatorClient() {
        switch (client) {
            case "smtp":
                return Generator.Client.SMTP;
            case "vertx-mail":
                return Generator.Client.VERTX_MAIL;
            default:
                throw new ConfigException("--client must be smtp or vertx-mail, not " + client);
        }
    }

    private Map<String, String> pipelineSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            s.put("kafka.bootstrap.servers", bootstrapServers);
        }
        if (sinkDefer > 0) {
            // A deferred message comes back after the first retry tier: keep it short, or the drain waits minutes.
            s.put("retry.tiers", "1s 10s");
            s.put("minimal.backoff.time", "1s");
        }
        s.putAll(set);
        return s;
    }

    private SystemUnderTest peer(String name, RunOptions options) {
        for (SystemUnderTest.Factory f : ServiceLoader.load(SystemUnderTest.Factory.class)) {
            if (f.name().equals(name)) {
                return f.create(options, peerSet);
            }
        }
        throw new ConfigException("--compare " + name + ": no such system on the class path (a SystemUnderTest.Factory named "
                + name + " in META-INF/services)");
    }

    private Map<String, String> parameters(RunOptions o, double loadBefore) {
        Map<String, String> p = new LinkedHashMap<>();
        var g = o.generator();
        p.put("messages", g.messages() + " (at most " + duration + " of sending, then at most " + drainTimeout + " to drain)");
        p.put("sessions", Integer.toString(g.sessions()));
        p.put("body", g.bodySize() + " bytes");
        p.put("recipients", g.recipientsPerMessage() + " per message over " + g.domains().count() + " domains, Zipf s=" + g.domains().exponent()
                + String.format(Locale.ROOT, " (top domain %.1f%%)", 100 * g.domains().share(1)));
        p.put("client", o.client() == Generator.Client.SMTP ? "Postbus's blocking SMTP client (loadtest BenchConnection), lock step"
                : "Vert.x Mail Client, pool of " + g.sessions() + " connections (accept latency = the whole sendMail)");
        p.put("rate", g.ratePerSecond() > 0 ? g.ratePerSecond() + " msg/s" : "unthrottled");
        p.put("path", path.equals("submission") ? "submission, STARTTLS, AUTH PLAIN" : "port 25 from mynetworks, no TLS");
        p.put("DKIM", o.dkim() ? "RSA-2048, d=" + RunOptions.DOMAIN + ", " + o.dkimSamples() + " delivered messages verified" : "off");
        p.put("sink faults", o.faults().deferPerMille() + "‰ 451 once, " + o.faults().rejectPerMille() + "‰ 550");
        p.put("profile", noProfile ? "off" : "JFR over Postbus's measured run (execution samples every "
                + io.postbus.loadtest.profile.JfrProfiler.SAMPLE_PERIOD.toMillis() + " ms, GC and allocation events; JFR's default"
                + " cost, about 1% CPU, which the profile shows as its own row)");
        p.put("machine", Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version") + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + String.format(Locale.ROOT,
                ", 1-minute load average %.2f before the run, %.2f after (other processes' work counts too)", loadBefore,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return p;
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>(List.of("Each system first carries an unmeasured warm-up of "
                        + (warmup > 0 ? warmup + " messages (--warmup)" : "min(200, max(50, 5 × sessions)) messages")
                        + ", then the measured run; CPU and peaks cover the measured run.",
                "End-to-end latency: from the 250 after DATA as the generator read it to the arrival of the message's last"
                        + " recipient at the sink, correlated by the X-Loadtest-Id header.",
                "Accept latency: from writing the end-of-data mark to reading the 250.",
                "Lost = accepted but neither delivered nor refused by the sink by the drain deadline; it must be 0."));
        if (!compare.isEmpty()) {
            notes.add("Compared on port 25 from mynetworks without TLS: Postfix has no SASL of its own (it hands AUTH to Dovecot"
                    + " or Cyrus), so the submission path with AUTH would not be the same work on both sides.");
            notes.add("Postbus's CPU and memory are its whole runner JVM, generator and sink included; a peer's are its own"
                    + " processes. 'CPU s, harness excluded' takes the runner JVM's CPU during the peer's run (generator + sink"
                    + " alone) off Postbus's figure. Ratios are Postbus / peer: above 1 means Postbus's figure is larger.");
        }
        return notes;
    }

    /** Postfix-style durations (90s, 10m) and sizes (5k), parsed as the config keys are. */
    private static final io.postbus.core.config.ConfigDef UNITS = new io.postbus.core.config.ConfigDef()
            .define("duration", io.postbus.core.config.ConfigType.DURATION, "0s", "")
            .define("size", io.postbus.core.config.ConfigType.SIZE, "0", "");

    static Duration parseDuration(String option, String text) {
        try {
            return UNITS.parse(Map.of("duration", text)).duration("duration");
        } catch (RuntimeException e) {
            throw new ConfigException(option + " must be a duration such as 90s or 10m, not " + text);
        }
    }

    static long bytes(String text) {
        try {
            return UNITS.parse(Map.of("size", text)).size("size");
        } catch (RuntimeException e) {
            throw new ConfigException("--size must be bytes or a size such as 5k, not " + text);
        }
    }
}
