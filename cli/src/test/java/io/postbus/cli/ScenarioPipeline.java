package io.postbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.core.control.ControlAction;
import io.postbus.core.control.ControlState;
import io.postbus.core.control.ControlTarget;
import io.postbus.core.dns.DnsResolver;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.ingress.smtp.ListenerKind;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.testkit.FakeMx;
import io.postbus.testkit.MutableClock;
import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import picocli.CommandLine;

/**
 * A whole pipeline for a scenario test: every stage, on the shared test broker, on a
 * {@link MutableClock} the test moves, delivering to a {@link FakeMx} (the relayhost unless the
 * test routes otherwise), with DNS answered from the given zones only. Messages go in through the
 * real swaks client; what happens is read back from mail.events.
 */
final class ScenarioPipeline implements AutoCloseable {
    /** Long enough for the slowest step of a loaded machine, never waited out by a passing test. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final MutableClock clock;
    final FakeMx mx;
    final PostbusConfig config;
    final Pipeline pipeline;
    private final EventLog log;
    private final Path tmp;

    private ScenarioPipeline(MutableClock clock, FakeMx mx, PostbusConfig config, Pipeline pipeline, Path tmp) {
        this.clock = clock;
        this.mx = mx;
        this.config = config;
        this.pipeline = pipeline;
        this.tmp = tmp;
        this.log = new EventLog(pipeline.bootstrapServers(), config.topics().events());
    }

    /**
     * @param settings changes to {@link TestPipelines#settings}; the relayhost is the fake MX
     * @param dns      the only DNS the pipeline sees; null for an empty one (every name NXDOMAIN)
     */
    static ScenarioPipeline start(String hint, Consumer<Map<String, String>> settings, DnsResolver dns) {
        return start(hint, FakeMx.start(), settings, dns);
    }

    /**
     * @param mx       the receiving server, started by the caller (the relayhost unless {@code settings}
     *                 changes it); closed with the pipeline
     * @param settings changes to {@link TestPipelines#settings}
     * @param dns      the only DNS the pipeline sees; null for an empty one (every name NXDOMAIN)
     */
    static ScenarioPipeline start(String hint, FakeMx mx, Consumer<Map<String, String>> settings, DnsResolver dns) {
        // A day ahead of the wall clock and only ever moved forward: operator commands are issued on
        // this clock, and a requeue reaches the jobs whose Kafka record timestamps (wall-clock
        // times) are before it; holds and deletes the messages received (on this clock) before it.
        MutableClock clock = new MutableClock(Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS));
        mx.clock(clock);
        try {
            Map<String, String> s = TestPipelines.settings(hint, mx.port());
            settings.accept(s);
            PostbusConfig config = PostbusConfig.parse(s);
            Pipeline pipeline = Pipeline.start(config, Component.all(), clock,
                    dns != null ? dns : ZoneFileResolver.fromString("invalid.", ""));
            return new ScenarioPipeline(clock, mx, config, pipeline, Files.createTempDirectory("scenario-" + hint));
        } catch (IOException e) {
            mx.close();
            throw new java.io.UncheckedIOException(e);
        } catch (RuntimeException e) {
            mx.close();
            throw e;
        }
    }

    /** Sends {@code message} (CRLF lines, ending in CRLF) through swaks; returns its queue id. */
    String send(String from, String to, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        Path data = tmp.resolve("m" + System.nanoTime() + ".eml");
        // swaks ends the data with CRLF "." CRLF itself, so the file leaves off the last CRLF.
        Files.write(data, Arrays.copyOf(bytes, bytes.length - 2));
        return Swaks.queueId(Swaks.send(pipeline.smtpPorts().get(ListenerKind.SMTP), from, to, data));
    }

    /** Polls mail.events until {@code done} holds; fails the test after {@link #PATIENCE}. */
    List<LifecycleEvent> await(Predicate<List<LifecycleEvent>> done, String what) {
        List<LifecycleEvent> events = log.until(done, PATIENCE);
        assertThat(done.test(events)).as("waited %s for %s; events: %s", PATIENCE, what, events).isTrue();
        return events;
    }

    /** Waits until {@code queueId} has at least {@code n} events of {@code type}; returns those. */
    List<LifecycleEvent> awaitEvents(String queueId, EventType type, int n) {
        return of(await(events -> of(events, queueId, type).size() >= n, n + " " + type + " of " + queueId), queueId, type);
    }

    /** Keeps reading mail.events for {@code quiet} and returns all seen (to show nothing more happens). */
    List<LifecycleEvent> settle(Duration quiet) {
        return log.settle(quiet);
    }

    static List<LifecycleEvent> of(List<LifecycleEvent> events, String queueId, EventType type) {
        return events.stream().filter(e -> e.getQueueId().equals(queueId) && e.getType() == type).toList();
    }

    /** Runs {@code postbus <args>} against this pipeline's cluster and topics, as an operator would. */
    String postbus(String... args) {
        CommandLine cl = Main.commandLine();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PostsuperCommand postsuper = (PostsuperCommand) cl.getSubcommands().get("postsuper").getCommand();
        postsuper.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        postsuper.clock = clock;
        String[] all = Stream.concat(Arrays.stream(args), Stream.of("--bootstrap-servers", pipeline.bootstrapServers(),
                "--set", "kafka.topic.prefix=" + config.topics().prefix())).toArray(String[]::new);
        assertThat(cl.execute(all)).as("postbus %s", String.join(" ", args)).isZero();
        return printed.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits until the pipeline's own reader of mail.control holds {@code action} for {@code target}:
     * from then on every recheck of a waiting job sees it.
     */
    void awaitControl(ControlTarget target, ControlAction action) {
        ControlState state = pipeline.controlState();
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() ->
                state.standing(target).map(o -> o.action() == action).orElse(false));
    }

    String retryTopic(String tier) {
        return config.topics().retry(tier);
    }

    @Override
    public void close() {
        log.close();
        pipeline.close();
        mx.close();
        try (Stream<Path> files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is no failure of the scenario
        }
    }
}
