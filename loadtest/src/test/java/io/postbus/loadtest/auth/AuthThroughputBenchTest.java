package io.postbus.loadtest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The throughput runner end to end on a small count, so it cannot rot: each run starts its own embedded
 * broker, puts 200 records through the real auth-worker and must see every one come out once, with the
 * verdicts of its mode (RFC 6376 signatures that verify; SPF, DKIM and DMARC pass for inbound mail).
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

    @Test
    void inboundMailIsVerifiedOnceEach() throws Exception {
        AuthBenchResult r = run(AuthScenario.Mode.INBOUND);
        assertComplete(r);
    }

    private AuthBenchResult run(AuthScenario.Mode mode) throws Exception {
        AuthBenchOptions options = new AuthBenchOptions(mode, 200, 20, 5120, Duration.ofSeconds(60), Optional.empty(),
                3, 1, Optional.of(PSL), Optional.of(dir.resolve("results.tsv")));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        AuthBenchResult r = AuthThroughputBench.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));
        r.appendTo(options.resultFile().get());
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("starting an embedded Kafka broker", "warm-up: 20");
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
