package io.postbus.loadtest.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.loadtest.sink.SinkConfig;
import io.postbus.loadtest.sink.SmtpSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery benchmark end to end at a tiny size, so scripts/bench-delivery does not rot: the real
 * delivery worker in a process of its own (the default worker command: {@link WorkerMain} on this
 * JVM's class path) delivers to an in-JVM sink, every job arrives once, and the result line parses.
 */
class DeliveryBenchTest {

    @Test
    void tinyRunDeliversEveryJobOnceAndReportsAParsableLine(@TempDir Path dir) throws Exception {
        try (SmtpSink sink = SmtpSink.start(SinkConfig.defaults())) {
            Path results = dir.resolve("results.tsv");
            DeliveryBenchOptions options = DeliveryBenchOptions.parse(new String[] {
                    "--sink", "127.0.0.1:" + sink.port(), "--concurrency", "4", "--tls", "none",
                    "--messages", "30", "--warmup", "10", "--body-size", "2000", "--time-limit", "240s",
                    "--worker-log", dir.resolve("worker.log").toString(), "--result-file", results.toString()});
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            DeliveryBenchResult result = DeliveryBench.run(options, new PrintStream(progress, true, StandardCharsets.UTF_8));
            result.appendTo(results);

            assertThat(options.worker()).last().isEqualTo(WorkerMain.class.getName());
            assertThat(result.complete()).as(result.text() + Files.readString(dir.resolve("worker.log"))).isTrue();
            assertThat(result.delivered()).isEqualTo(30);
            assertThat(result.messagesPerSecond()).isPositive();
            assertThat(sink.awaitCount(40, Duration.ofSeconds(10))).isTrue();
            assertThat(sink.count()).as("warm-up and measured jobs, each once").isEqualTo(40);
            byte[] first = sink.messages().get(0).data();
            assertThat(first.length).as("headers and the 2000-byte body").isGreaterThan(2000);

            List<String> lines = Files.readAllLines(results);
            assertThat(lines).hasSize(2);
            String[] header = lines.get(0).split("\t");
            String[] row = lines.get(1).split("\t");
            assertThat(row).hasSameSizeAs(header);
            assertThat(row[List.of(header).indexOf("complete")]).isEqualTo("yes");
            assertThat(Integer.parseInt(row[List.of(header).indexOf("delivered")])).isEqualTo(30);
            assertThat(Double.parseDouble(row[List.of(header).indexOf("msg_per_s")])).isPositive();
        }
    }

    @Test
    void optionsNeedALoopbackSinkAndDefaultToWorkerMain() {
        assertThat(DeliveryBenchOptions.parse(new String[] {"--worker", "w  x", "--sink", "127.0.0.1:25"}))
                .satisfies(o -> {
                    assertThat(o.worker()).containsExactly("w", "x");
                    assertThat(o.nextHop()).isEqualTo("[127.0.0.1]:25");
                    assertThat(o.concurrency()).isEqualTo(20);
                    assertThat(o.workerLog()).isEqualTo(Optional.empty());
                });
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> DeliveryBenchOptions.parse(new String[] {"--worker", "w", "--sink", "192.0.2.1:25"}));
        assertThat(DeliveryBenchOptions.parse(new String[] {"--sink", "127.0.0.1:25"}).worker())
                .containsSequence("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName());
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> DeliveryBenchOptions.parse(new String[] {"--worker", " ", "--sink", "127.0.0.1:25"}));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> DeliveryBenchOptions.parse(new String[] {"--worker", "w"}));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> DeliveryBenchOptions.parse(new String[] {"--worker", "w", "--sink", "127.0.0.1:25",
                        "--tls", "verify"}));
    }
}
