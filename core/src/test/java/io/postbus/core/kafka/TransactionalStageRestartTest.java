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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping a stage, gracefully or not, neither loses nor doubles a record. */
class TransactionalStageRestartTest {
    private StageFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private StageProcessor slowEcho() {
        return in -> {
            Thread.sleep(3); // slow enough that close() lands in the middle of the input
            return StageResult.emit(fx.echo(in));
        };
    }

    @Test
    void gracefulCloseCommitsAndTheNextInstanceContinuesWithoutGapsOrDuplicates() {
        fx = StageFixture.create("graceful", 2);
        List<String> p0 = numbered("p0-", 0, 100);
        List<String> p1 = numbered("p1-", 0, 100);
        fx.send(0, p0.toArray(String[]::new));
        fx.send(1, p1.toArray(String[]::new));
        TopicReader out = fx.committed(fx.output);

        // a, then b (another instance id), then a again (the same transactional id as the first).
        int before = 0;
        for (String instance : List.of("a", "b")) {
            TransactionalStage stage = fx.start(fx.spec(instance, 10), slowEcho());
            int target = before + 40;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> out.records().size() >= target);
            stage.close();
            assertThat(stage.isRunning()).isFalse();
            assertThat(stage.stopped()).isCompleted().isNotCompletedExceptionally();

            // Closed means committed: every consumed input has its output, and nothing more.
            int done = fx.settledCount(out);
            assertThat(done).as("stopped mid-way").isLessThan(200);
            // No gaps: each partition's outputs are a prefix of its inputs.
            List<String> o0 = out.values(0);
            List<String> o1 = out.values(1);
            assertThat(o0).containsExactlyElementsOf(echoed(p0.subList(0, o0.size())));
            assertThat(o1).containsExactlyElementsOf(echoed(p1.subList(0, o1.size())));
            before = done;
        }

        fx.start(fx.spec("a", 10), slowEcho());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 200);
        assertThat(out.values(0)).containsExactlyElementsOf(echoed(p0));
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(p1));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 200);
    }

    /**
     * The hard crash: an instance hangs inside an open transaction (outputs already on the broker),
     * its replacement starts with the same instance id, fences it and redoes the batch. When the
     * zombie wakes up it must stop without committing anything and without fencing its replacement.
     */
    @Test
    void replacementFencesAnInstanceStuckInAnOpenTransactionAndNothingIsDoubled() throws Exception {
        fx = StageFixture.create(TestKafka.bootstrapServers(), "zombie", 1, Map.of(), HoldingInterceptor.config());
        String gateName = fx.group + "-zombie";
        HoldingInterceptor.Gate gate = HoldingInterceptor.gate(gateName);
        TopicReader committed = fx.committed(fx.output);
        TopicReader everything = fx.uncommitted(fx.output);
        List<String> inputs = numbered("m-", 0, 30);
        fx.send(0, inputs.toArray(String[]::new));

        // A short max.poll.interval, so the group gives up on the hung instance quickly.
        TransactionalStage zombie = fx.start(fx.spec("a", 5, Duration.ofSeconds(2)), in -> {
            if (!TopicReader.str(in.value()).equals("m-12")) {
                return StageResult.emit(fx.echo(in));
            }
            ProducerRecord<byte[], byte[]> extra = new ProducerRecord<>(fx.output, 0, in.key(), bytes("zombie-extra"));
            extra.headers().add(HoldingInterceptor.HOLD, bytes(gateName));
            return StageResult.emit(fx.echo(in), extra);
        });
        assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).as("zombie reached the gate").isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> everything.values().contains("out:m-12"));
        int committedBefore = fx.settledCount(committed);
        assertThat(committedBefore).isLessThanOrEqualTo(12);
        assertThat(committed.values()).doesNotContain("out:m-12");

        // Same instance id, hence same transactional id: initTransactions fences the zombie and
        // aborts its open transaction. The settings have no interceptor.
        KafkaSettings plain = KafkaSettings.of(fx.bootstrap, 1 << 20);
        TransactionalStage replacement = fx.start(fx.spec("a", 5), plain, in -> StageResult.emit(fx.echo(in)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> committed.records().size() >= 30);
        assertExactlyOnce(committed.values(), echoed(inputs));

        gate.open.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> !zombie.isRunning());
        assertThat(zombie.stopped()).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ProducerFencedException.class);

        // The replacement was not fenced back by the zombie: it goes on working.
        List<String> more = numbered("m-", 30, 40);
        fx.send(0, more.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> committed.records().size() >= 40);
        assertThat(replacement.isRunning()).isTrue();
        List<String> all = new ArrayList<>(inputs);
        all.addAll(more);
        assertThat(committed.values()).containsExactlyElementsOf(echoed(all));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 40);
        // The zombie's aborted attempt is in the log, but read_committed readers never saw it.
        assertThat(everything.values()).filteredOn("out:m-12"::equals).hasSize(2);
        assertThat(committed.values()).doesNotContain("zombie-extra");
    }
}
