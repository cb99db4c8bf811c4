package io.postbus.loadtest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.broker.BrokerConfig;
import io.postbus.broker.EmbeddedKafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throughput runner end to end on a small count, so it cannot rot: each run puts 200 records through
 * the real auth-worker on an embedded broker (the runner's own, or one given by --bootstrap-servers) and
 * must see every one come out once, with the verdicts of its mode (RFC 6376 signatures that verify; SPF,
 * DKIM and DMARC pass for inbound mail).
 */
class AuthThroughputBenchTest {
    static final Path PSL = Path.of(System.getProperty("postbus.shared.dir", "../../shared"))
            .resolve("conformance/publicsuffix/public_suffix_list.dat");

    @TempDir
    Path dir;

    @Test
    void originatingMailIsSignedOnceEach() throws Exception {
        AuthBenchResult r = run(AuthScenario.Mode.ORIGINATING);
        assertComplete(r);
    }

    /** --bootstrap-servers: a broker the runner did not start, which it must leave without its topics. */
    @Test
    void inboundMailIsVerifiedOnceEachOnAGivenBroker() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(BrokerConfig.builder(dir.resolve("kafka")).build());
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            AuthBenchResult r = run(AuthScenario.Mode.INBOUND, Optional.of(broker.bootstrapServers()));
            assertComplete(r);
            assertThat(r.embeddedBroker()).isFalse();
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .as("the run's topics are deleted").noneMatch(t -> t.startsWith("bench-auth-"));
        }
    }

    private AuthBenchResult run(AuthScenario.Mode mode) throws Exception {
        return run(mode, Optional.empty());
    }

    private AuthBenchResult run(AuthScenario.Mode mode, Optional<String> bootstrap) throws Exception {
        AuthBenchOptions options = new AuthBenchOptions(mode, 200, 20, 5120, Duration.ofSeconds(60), bootstrap,
                3, 1, Optional.of(PSL), Optional.of(dir.resolve("results.tsv")));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        AuthBenchResult r = AuthThroughputBench.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));
        r.appendTo(options.resultFile().get());
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("warm-up: 20", "measuring: 200");
        assertThat(progress.toString(StandardCharsets.UTF_8).contains("starting an embedded Kafka broker"))
                .isEqualTo(bootstrap.isEmpty());
        return r;
    }

    private void assertComplete(AuthBenchResult r) throws Exception {
        assertThat(r.firstWrong()).as(r.text()).isEmpty();
        assertThat(r.out()).as("all come out").isEqualTo(200);
        assertThat(r.twice()).as("none twice").isZero();
        assertThat(r.quarantined() + r.dead() + r.wrong()).isZero();
        assertThat(r.calls()).as("no batch processed again").isEqualTo(200);
        assertThat(r.complete()).isTrue();
        assertThat(r.seconds()).isPositive();
        assertThat(r.recordsPerSecond()).isPositive();
        assertThat(r.processCpuSeconds()).isPositive();
        assertThat(r.authCpuSeconds()).isPositive().isLessThan(r.processCpuSeconds());
        var lines = Files.readAllLines(dir.resolve("results.tsv"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).split("\t")).hasSameSizeAs(lines.get(0).split("\t"));
        assertThat(lines.get(1)).startsWith(r.options().mode().name().toLowerCase(java.util.Locale.ROOT) + "\t200\t20\t5120\t");
    }
}
