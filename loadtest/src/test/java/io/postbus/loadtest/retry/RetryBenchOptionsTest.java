package io.postbus.loadtest.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The runner's command line: what scripts/bench-retry passes, and the mistakes it must refuse. */
class RetryBenchOptionsTest {

    @Test
    void defaultsAreTheIssuesMillionJobsOfTwoKilobytes() {
        RetryBenchOptions o = RetryBenchOptions.parse();
        assertThat(o.jobs()).isEqualTo(1_000_000);
        assertThat(o.messageSize()).isEqualTo(2048);
        assertThat(o.partitions()).isEqualTo(6);
        assertThat(o.resultFile()).isEmpty();
    }

    @Test
    void parsesWhatTheScriptPasses() {
        RetryBenchOptions o = RetryBenchOptions.parse("--jobs", "100_000", "--message-size", "4096", "--partitions", "3",
                "--destinations", "10", "--idle", "15s", "--sample-every", "500ms", "--time-limit", "3h",
                "--result-file", "/tmp/r.tsv");
        assertThat(o.jobs()).isEqualTo(100_000);
        assertThat(o.messageSize()).isEqualTo(4096);
        assertThat(o.partitions()).isEqualTo(3);
        assertThat(o.destinations()).isEqualTo(10);
        assertThat(o.idle()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.sampleEvery()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.timeLimit()).isEqualTo(Duration.ofHours(3));
        assertThat(o.resultFile()).contains(Path.of("/tmp/r.tsv"));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> RetryBenchOptions.parse("--jobs", "0")).hasMessageContaining("jobs");
        assertThatThrownBy(() -> RetryBenchOptions.parse("--message-size", "10")).hasMessageContaining("message size");
        assertThatThrownBy(() -> RetryBenchOptions.parse("--idle", "0s")).hasMessageContaining("idle");
        assertThatThrownBy(() -> RetryBenchOptions.parse("--idle", "soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> RetryBenchOptions.parse("--jobs")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> RetryBenchOptions.parse("--bogus", "1")).hasMessageContaining("unknown option");
    }

    @Test
    void queueIdsMapBackToJobIndexes() {
        assertThat(JobWriter.indexOf("rb12345")).isEqualTo(12345);
        assertThat(JobWriter.indexOf("xx1")).isEqualTo(-1);
        assertThat(JobWriter.indexOf("rbx")).isEqualTo(-1);
    }
}
