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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The happy path of the consume → process → produce loop, on the shared real broker. */
class TransactionalStageFlowTest {
    private StageFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void everyInputBecomesExactlyOneCommittedOutputWithItsKey() {
        fx = StageFixture.create("flow", 2);
        List<String> inputs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            List<String> part = numbered("p" + p + "-", 0, 60);
            fx.send(p, part.toArray(String[]::new));
            inputs.addAll(part);
        }
        TopicReader out = fx.committed(fx.output);
        fx.start(fx.spec("a", 25), in -> StageResult.emit(fx.echo(in)));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= inputs.size());
        assertExactlyOnce(out.values(), echoed(inputs));
        assertThat(out.records()).allSatisfy(r ->
                assertThat("out:" + TopicReader.str(r.key())).isEqualTo(TopicReader.str(r.value())));
        // Each partition's order survives, across transactions.
        assertThat(out.values(0)).containsExactlyElementsOf(echoed(numbered("p0-", 0, 60)));
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(numbered("p1-", 0, 60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == inputs.size());
        assertThat(fx.committed(fx.dead).records()).isEmpty();
        // Counted after commitTransaction returns, which may be just after the readers saw the outputs.
        await().atMost(Duration.ofSeconds(5)).until(() -> fx.counter("processed") == inputs.size());
    }

    @Test
    void outputsOfAnOpenTransactionAreHiddenFromReadCommittedConsumersUntilCommit() throws Exception {
        fx = StageFixture.create(TestKafka.bootstrapServers(), "visible", 1, Map.of(), HoldingInterceptor.config());
        String gateName = fx.group + "-hold";
        HoldingInterceptor.Gate gate = HoldingInterceptor.gate(gateName);
        TopicReader committed = fx.committed(fx.output);
        TopicReader everything = fx.uncommitted(fx.output);
        fx.start(fx.spec("a", 50), in -> {
            String v = TopicReader.str(in.value());
            if (!v.equals("hold-me")) {
                return StageResult.emit(fx.echo(in));
            }
            // Two outputs in one transaction: the first goes to the broker, the second waits at the gate.
            ProducerRecord<byte[], byte[]> second = new ProducerRecord<>(fx.output, in.key(), bytes("out:hold-me#2"));
            second.headers().add(HoldingInterceptor.HOLD, bytes(gateName));
            return StageResult.emit(fx.echo(in), second);
        });

        List<String> first = numbered("m-", 0, 20);
        fx.send(0, first.toArray(String[]::new));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> committed.records().size() >= first.size());

        fx.send(0, "hold-me");
        assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).as("stage reached the gate").isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> everything.values().contains("out:hold-me"));
        // Written to the log, but the transaction is open: read_committed stops at the last stable offset.
        assertThat(committed.values()).doesNotContain("out:hold-me").hasSize(first.size());
        assertThat(fx.committedInputOffsets()).isEqualTo(first.size());

        gate.open.countDown();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> committed.records().size() >= first.size() + 2);
        List<String> expected = new ArrayList<>(echoed(first));
        expected.add("out:hold-me");
        expected.add("out:hold-me#2");
        assertExactlyOnce(committed.values(), expected);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == first.size() + 1);
    }
}
