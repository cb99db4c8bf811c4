package io.postbus.core.kafka;

import static io.postbus.core.kafka.StageFixture.assertExactlyOnce;
import static io.postbus.core.kafka.StageFixture.bytes;
import static io.postbus.core.kafka.StageFixture.echoed;
import static io.postbus.core.kafka.StageFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Instances of one stage split the partitions between them and hand them over on rebalance. */
class TransactionalStageGroupTest {
    private static final int PARTITIONS = 4;
    private StageFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private StageProcessor tagging(String instance) {
        return in -> {
            Thread.sleep(2);
            ProducerRecord<byte[], byte[]> out = fx.echo(in);
            out.headers().add("instance", bytes(instance));
            return StageResult.emit(out);
        };
    }

    private List<List<String>> sendRound(int from, int to) {
        List<List<String>> sent = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            List<String> values = numbered("p" + p + "-", from, to);
            fx.send(p, values.toArray(String[]::new));
            sent.add(values);
        }
        return sent;
    }

    @Test
    void twoInstancesShareThePartitionsAndTogetherProduceEachOutputOnce() {
        // Members learn of a rebalance from a heartbeat; the 3 s default would only slow the test.
        fx = StageFixture.create(TestKafka.bootstrapServers(), "group", PARTITIONS, Map.of(),
                Map.of("heartbeat.interval.ms", "300"));
        TopicReader out = fx.committed(fx.output);
        TransactionalStage a = fx.start(fx.spec("a", 10), tagging("a"));
        await().atMost(Duration.ofSeconds(20)).until(a::hasAssignment);
        TransactionalStage b = fx.start(fx.spec("b", 10), tagging("b"));
        await().atMost(Duration.ofSeconds(20)).until(b::hasAssignment);

        sendRound(0, 50);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 200);
        Set<String> workers = out.records().stream()
                .map(r -> TopicReader.str(r.headers().lastHeader("instance").value()))
                .collect(Collectors.toSet());
        assertThat(workers).as("both instances did part of the work").containsExactlyInAnyOrder("a", "b");

        // Rebalance in the middle of the input: b leaves, a takes over b's partitions where b stopped.
        sendRound(50, 100);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> out.records().size() >= 240);
        b.close();
        assertThat(b.stopped()).isCompleted().isNotCompletedExceptionally();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 400);

        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(out.values(p)).as("partition %d", p)
                    .containsExactlyElementsOf(echoed(numbered("p" + p + "-", 0, 100)));
        }
        List<String> all = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.addAll(numbered("p" + p + "-", 0, 100));
        }
        assertExactlyOnce(out.values(), echoed(all));
        assertThat(a.isRunning()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 400);
    }
}
