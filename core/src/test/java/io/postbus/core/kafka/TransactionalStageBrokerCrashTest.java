package io.postbus.core.kafka;

import static io.postbus.core.kafka.StageFixture.bytes;
import static io.postbus.core.kafka.StageFixture.echoed;
import static io.postbus.core.kafka.StageFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postbus.broker.EmbeddedKafkaBroker;
import io.postbus.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage instance is lost half-way through its input, in the middle of a transaction whose first
 * outputs are already on the broker, and then the broker itself goes down. After the broker comes
 * back on the same data directory, a restarted instance must end with exactly one committed output
 * per input: what was committed survives the restart, the open transaction is aborted and redone.
 *
 * <p>The broker is stopped while the stage is stuck, not while it commits: a single-node broker
 * shut down during a commit can skip that commit's markers (no partition leader while it shuts
 * down) and leave a hanging transaction, which is a Kafka limitation and not what this tests.
 */
class TransactionalStageBrokerCrashTest {

    @Test
    void afterTheStageAndThenTheBrokerAreLostARestartedStageCompletesTheInputExactlyOnce(@TempDir Path dir)
            throws Exception {
        List<String> p0 = numbered("p0-", 0, 100);
        List<String> p1 = numbered("p1-", 0, 100);
        Map<String, String> lostSettings = new HashMap<>(HoldingInterceptor.config());
        // The lost instance stays in the group until its session times out; 6 s is the broker minimum.
        lostSettings.put("session.timeout.ms", "6000");

        EmbeddedKafkaBroker first = TestKafka.startDedicated(dir);
        StageFixture before = StageFixture.create(first.bootstrapServers(), "crash", 2, Map.of(), lostSettings);
        String gateName = before.group + "-lost";
        HoldingInterceptor.Gate gate = HoldingInterceptor.gate(gateName);
        TransactionalStage lost = null;
        int committedBeforeCrash;
        try {
            before.send(0, p0.toArray(String[]::new));
            before.send(1, p1.toArray(String[]::new));
            TopicReader out = before.committed(before.output);
            TopicReader everything = before.uncommitted(before.output);
            // Not started through the fixture: once its broker is gone, closing it takes a while.
            lost = new TransactionalStage(before.spec("a", 10), before.kafka, in -> {
                if (!TopicReader.str(in.value()).equals("p0-60")) {
                    return StageResult.emit(before.echo(in));
                }
                ProducerRecord<byte[], byte[]> held = new ProducerRecord<>(before.output, 0, in.key(), bytes("lost-extra"));
                held.headers().add(HoldingInterceptor.HOLD, bytes(gateName));
                return StageResult.emit(before.echo(in), held);
            }, before.dead, Clock.systemUTC(), new SimpleMeterRegistry()).start();

            assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).as("stage reached the gate").isTrue();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> everything.values().contains("out:p0-60"));
            committedBeforeCrash = before.settledCount(out);
            assertThat(committedBeforeCrash).isGreaterThanOrEqualTo(50).isLessThan(200);
            assertThat(out.values()).doesNotContain("out:p0-60");
        } finally {
            first.close();
            before.close(); // only now: closing opens the gate, and the lost stage must stay lost
        }

        try (EmbeddedKafkaBroker second = TestKafka.startDedicated(dir);
             StageFixture after = before.reconnect(second.bootstrapServers(), Map.of())) {
            TopicReader out = after.committed(after.output);
            assertThat(out.records()).as("committed before the crash and kept").hasSize(committedBeforeCrash);
            assertThat(after.committedInputOffsets()).isEqualTo(committedBeforeCrash);

            // The restarted process has the same instance id: it fences the lost one's transaction.
            after.start(after.spec("a", 10), in -> StageResult.emit(after.echo(in)));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> out.records().size() >= 200);
            assertThat(out.values(0)).containsExactlyElementsOf(echoed(p0));
            assertThat(out.values(1)).containsExactlyElementsOf(echoed(p1));
            await().atMost(Duration.ofSeconds(10)).until(() -> after.committedInputOffsets() == 200);
        } finally {
            gate.open.countDown();
            TransactionalStage orphan = lost;
            if (orphan != null) {
                Thread closer = new Thread(orphan::close, "close-lost-stage");
                closer.setDaemon(true);
                closer.start();
            }
        }
    }
}
