package io.postbus.loadtest.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry-tier runner end to end on 2,000 jobs, so it cannot rot: the real delivery worker defers
 * every job once (451) into mail.retry.5m, sits idle until the stepped clock passes the due time
 * (RFC 5321 §4.5.4.1: the sender retries later), then delivers every job once (250). The result file
 * must parse back into the phases with the columns scripts/bench-retry reads.
 */
class RetryBenchTest {
    private static final int JOBS = 2_000;

    @TempDir
    Path dir;

    @Test
    void everyJobIsDeferredOnceThenDeliveredOnce() throws Exception {
        Path results = dir.resolve("retry.tsv");
        // A memory sample forces a full GC: every 2 s is enough to fill each phase's figures.
        RetryBenchOptions options = new RetryBenchOptions(JOBS, 2048, 50, 3, Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofSeconds(120), Optional.of(results), Map.of());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        RetryBenchResult r = RetryBench.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));
        r.appendTo(results);

        assertThat(r.complete()).as(r.text() + progress.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(r.deferred()).isEqualTo(JOBS);
        assertThat(r.delivered()).isEqualTo(JOBS);
        assertThat(r.twice()).isZero();
        assertThat(r.unexpected()).isZero();
        assertThat(r.consumedWhileWaiting()).as("nothing taken from the tier before it was due").isZero();
        assertThat(r.leftOver()).isZero();
        assertThat(r.avgJobBytes()).isBetween(2048.0, 2048.0 + 1024);
        assertThat(r.retryTopicBytes()).isPositive();
        PhaseFigures defer = r.phase("defer").orElseThrow();
        assertThat(defer.attempts()).isEqualTo(JOBS);
        PhaseFigures wait = r.phase("wait").orElseThrow();
        assertThat(wait.attempts()).as("no attempt while nothing is due").isZero();
        // A retry partition is paused at its first record and stays paused until due: at most once per
        // partition in all. (On a busy machine the worker may not even have fetched the tier before the clock
        // steps, hence no lower bound; the figures of a real run show one pause per partition.)
        assertThat(defer.pauses() + wait.pauses()).as("a paused partition is not fetched and deferred again")
                .isBetween(0L, 3L);
        assertThat(r.phase("retry").orElseThrow().pauses()).as("nothing waits once due").isZero();
        assertThat(r.phase("retry").orElseThrow().attempts()).isEqualTo(JOBS);

        List<String> lines = Files.readAllLines(results);
        assertThat(lines).hasSize(5);
        List<String> header = Arrays.asList(lines.get(0).split("\t"));
        assertThat(header).isEqualTo(Arrays.asList(RetryBenchResult.TSV_HEADER.split("\t")));
        List<Map<String, String>> rows = lines.subList(1, lines.size()).stream().map(l -> {
            String[] cells = l.split("\t");
            assertThat(cells).hasSameSizeAs(header);
            return IntStream.range(0, cells.length).boxed().collect(Collectors.toMap(header::get, i -> cells[i]));
        }).toList();
        assertThat(rows).extracting(m -> m.get("phase")).containsExactly("load", "defer", "wait", "retry");
        for (Map<String, String> row : rows) {
            assertThat(row.get("complete")).isEqualTo("yes");
            assertThat(Double.parseDouble(row.get("heap_max_mb"))).isPositive();
            assertThat(Long.parseLong(row.get("delivered"))).isEqualTo(JOBS);
        }
        assertThat(Double.parseDouble(rows.get(1).get("jobs_per_s"))).isPositive();
        assertThat(Double.parseDouble(rows.get(3).get("jobs_per_s"))).isPositive();
    }
}
