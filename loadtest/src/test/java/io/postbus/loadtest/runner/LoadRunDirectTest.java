package io.postbus.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.loadtest.bench.LoopbackTarget;
import io.postbus.loadtest.generator.Generator;
import io.postbus.loadtest.generator.GeneratorOptions;
import io.postbus.loadtest.generator.Submission;
import io.postbus.loadtest.generator.ZipfDomains;
import io.postbus.loadtest.report.SystemResult;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's steps without an MTA in between: the "system" hands the generator the sink itself,
 * so every accepted message arrives at once, exactly once, and the figures add up.
 */
class LoadRunDirectTest {
    @TempDir
    Path dir;

    /** No MTA: submit straight to the sink. */
    static final class Direct implements SystemUnderTest {
        private Submission submission;
        boolean closed;

        @Override
        public String name() {
            return "direct";
        }

        @Override
        public void start(InetSocketAddress relayTo, Optional<DkimKey> dkim, String sender, Path workDir) {
            submission = new Submission(new LoopbackTarget("127.0.0.1", relayTo.getPort()), false, null, null, sender);
        }

        @Override
        public Submission submission() {
            return submission;
        }

        @Override
        public ProcessUsage usage() {
            return ProcessUsage.self("test JVM");
        }

        @Override
        public String describe() {
            return "straight to the sink";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void everyAcceptedMessageArrivesOnceWithEveryRecipient() throws Exception {
        GeneratorOptions g = new GeneratorOptions(300, Duration.ofSeconds(30), 4, 1000, 3, new ZipfDomains(20, 1, "loadtest.test"), 0,
                Duration.ofSeconds(10), 7);
        Direct direct = new Direct();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SystemResult r = new LoadRun(new RunOptions(g, false, SinkFaults.none(), Duration.ofSeconds(10), 0, Generator.Client.SMTP), new PrintStream(log, true))
                .run(direct, Optional.empty(), dir);
        assertThat(r.accepted()).isEqualTo(300);
        assertThat(r.delivered()).isEqualTo(300);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.refused()).isZero();
        assertThat(r.endToEnd().count()).isEqualTo(300);
        assertThat(r.accepts().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
        assertThat(r.deliveries().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
        assertThat(direct.closed).isTrue();
    }

    @Test
    void theVertxMailClientModeDeliversEveryMessageOnceToo() throws Exception {
        GeneratorOptions g = new GeneratorOptions(200, Duration.ofSeconds(30), 4, 1000, 2, new ZipfDomains(20, 1, "loadtest.test"), 0,
                Duration.ofSeconds(20), 3);
        SystemResult r = new LoadRun(new RunOptions(g, false, SinkFaults.none(), Duration.ofSeconds(10), 0, Generator.Client.VERTX_MAIL),
                new PrintStream(new ByteArrayOutputStream())).run(new Direct(), Optional.empty(), dir);
        assertThat(r.accepted()).isEqualTo(200);
        assertThat(r.delivered()).isEqualTo(200);
        assertThat(r.duplicates()).isZero();
        assertThat(r.lost()).isZero();
    }

    @Test
    void aTargetRateSpreadsTheMessagesOverTime() throws Exception {
        GeneratorOptions g = new GeneratorOptions(20, Duration.ofSeconds(30), 2, 200, 1, new ZipfDomains(5, 1, "loadtest.test"), 20,
                Duration.ofSeconds(10), 1);
        SystemResult r = new LoadRun(new RunOptions(g, false, SinkFaults.none(), Duration.ofSeconds(10), 0, Generator.Client.SMTP),
                new PrintStream(new ByteArrayOutputStream())).run(new Direct(), Optional.empty(), dir);
        assertThat(r.accepted()).isEqualTo(20);
        // 20 messages at 20/s: the last starts 0.95 s after the first
        assertThat(r.sendSeconds()).isGreaterThan(0.9);
    }

    @Test
    void theDurationBoundsARunWhateverTheCount() throws Exception {
        GeneratorOptions g = new GeneratorOptions(1_000_000, Duration.ofMillis(1500), 1, 200, 1, new ZipfDomains(5, 1, "loadtest.test"), 10,
                Duration.ofSeconds(10), 1);
        SystemResult r = new LoadRun(new RunOptions(g, false, SinkFaults.none(), Duration.ofSeconds(10), 0, Generator.Client.SMTP),
                new PrintStream(new ByteArrayOutputStream())).run(new Direct(), Optional.empty(), dir);
        // At 10/s for 1.5 s at most 15 messages start (fewer if the first connection is slow on a busy machine).
        assertThat(r.accepted()).isBetween(1L, 15L);
        assertThat(r.sendSeconds()).isLessThan(5);
        assertThat(r.lost()).isZero();
    }

    /** --warmup: the given number of unmeasured messages go first, and none of them is counted in the run. */
    @Test
    void aLongerWarmUpIsSentFirstAndLeftOutOfTheFigures() throws Exception {
        GeneratorOptions g = new GeneratorOptions(40, Duration.ofSeconds(30), 2, 200, 1, new ZipfDomains(5, 1, "loadtest.test"), 0,
                Duration.ofSeconds(10), 1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SystemResult r = new LoadRun(new RunOptions(g, false, SinkFaults.none(), Duration.ofSeconds(10), 0, Generator.Client.SMTP, 120),
                new PrintStream(log, true)).run(new Direct(), Optional.empty(), dir);
        assertThat(log.toString()).contains("warm-up: 120 messages through");
        assertThat(r.accepted()).isEqualTo(40);
        assertThat(r.delivered()).isEqualTo(40);
        assertThat(r.unexpected()).isZero();
    }
}
