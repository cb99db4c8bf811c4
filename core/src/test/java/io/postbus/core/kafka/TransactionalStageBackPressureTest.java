package io.postbus.core.kafka;

import static io.postbus.core.kafka.StageFixture.assertExactlyOnce;
import static io.postbus.core.kafka.StageFixture.echoed;
import static io.postbus.core.kafka.StageFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.core.error.TransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transient failures and {@link StageResult.Defer} hold back one partition only, until a time read
 * from the injected clock; everything else keeps flowing, and nothing is lost or doubled.
 */
class TransactionalStageBackPressureTest {
    /** Long enough for several 200 ms polls of a stage that must stay idle. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private StageFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private int calls(String value) {
        AtomicInteger n = calls.get(value);
        return n == null ? 0 : n.get();
    }

    private int count(String value) {
        return calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
    }

    @Test
    void transientFailureRetriesWithBackoffOnThatPartitionWhileTheOtherFlows() {
        fx = StageFixture.create("transient", 2);
        fx.start(fx.spec("a", 50), in -> {
            String v = TopicReader.str(in.value());
            if (count(v) <= 3 && v.equals("p0-0")) {
                throw new TransientException("DNS timeout for p0-0");
            }
            return StageResult.emit(fx.echo(in));
        });
        List<String> p0 = numbered("p0-", 0, 10);
        List<String> p1 = numbered("p1-", 0, 20);
        fx.send(0, p0.toArray(String[]::new));
        fx.send(1, p1.subList(0, 10).toArray(String[]::new));

        TopicReader out = fx.committed(fx.output);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> calls("p0-0") == 1 && out.records().size() >= 10);
        // Partition 1 flows, now and for records that arrive while partition 0 is stuck.
        fx.send(1, p1.subList(10, 20).toArray(String[]::new));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 20);
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(p1));
        assertThat(out.values(0)).isEmpty();
        assertThat(calls("p0-1")).as("records behind the stuck one wait").isZero();

        // Backoff doubles from 100 ms, on the injected clock; a frozen clock means no retry at all.
        await().during(QUIET).atMost(QUIET.plusSeconds(2)).until(() -> calls("p0-0") == 1);
        fx.clock.advance(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls("p0-0") == 2);
        fx.clock.advance(Duration.ofMillis(150)); // the second backoff is 200 ms
        await().during(QUIET).atMost(QUIET.plusSeconds(2)).until(() -> calls("p0-0") == 2);
        fx.clock.advance(Duration.ofMillis(50));
        await().atMost(Duration.ofSeconds(5)).until(() -> calls("p0-0") == 3);
        fx.clock.advance(Duration.ofMillis(400));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 30);

        List<String> all = new ArrayList<>(echoed(p0));
        all.addAll(echoed(p1));
        assertExactlyOnce(out.values(), all);
        assertThat(out.values(0)).as("partition 0 in its order").containsExactlyElementsOf(echoed(p0));
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(p1));
        assertThat(calls("p0-0")).isEqualTo(4);
        for (String v : p0.subList(1, 10)) {
            assertThat(calls(v)).as(v).isEqualTo(1);
        }
        assertThat(fx.committed(fx.dead).records()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 30);
    }

    @Test
    void deferPausesOnlyThatPartitionUntilTheClockReachesTheTimeThenProcessesIt() {
        fx = StageFixture.create("defer", 2);
        Instant until = StageFixture.T0.plus(Duration.ofMinutes(10));
        fx.start(fx.spec("a", 50), in -> {
            String v = TopicReader.str(in.value());
            count(v);
            if (v.equals("later") && fx.clock.instant().isBefore(until)) {
                return new StageResult.Defer(until);
            }
            return StageResult.emit(fx.echo(in));
        });
        fx.send(0, "p0-0", "later", "p0-2");
        fx.send(1, numbered("p1-", 0, 10).toArray(String[]::new));

        TopicReader out = fx.committed(fx.output);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> calls("later") == 1 && out.records().size() >= 11);
        fx.send(1, numbered("p1-", 10, 20).toArray(String[]::new));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 21);
        // The record before it in the same batch is done; the deferred one and those after it wait.
        assertThat(out.values()).contains("out:p0-0").doesNotContain("out:later", "out:p0-2");
        assertThat(fx.committedInputOffsets()).isEqualTo(1 + 20);

        // No busy loop: while the clock stands still, the processor is not asked again.
        await().during(QUIET).atMost(QUIET.plusSeconds(2)).until(() -> calls("later") == 1 && calls("p0-2") == 0);
        fx.clock.advance(Duration.ofMinutes(10).minusMillis(1));
        await().during(QUIET).atMost(QUIET.plusSeconds(2)).until(() -> calls("later") == 1);
        assertThat(out.values()).doesNotContain("out:later");

        fx.clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 23);
        List<String> expected = new ArrayList<>(echoed(List.of("p0-0", "later", "p0-2")));
        expected.addAll(echoed(numbered("p1-", 0, 20)));
        assertExactlyOnce(out.values(), expected);
        assertThat(out.values(0)).containsExactly("out:p0-0", "out:later", "out:p0-2");
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(numbered("p1-", 0, 20)));
        assertThat(calls("later")).isEqualTo(2);
        assertThat(calls("p0-2")).isEqualTo(1);
        assertThat(fx.counter("deferred")).isEqualTo(1.0);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 23);
    }
}
