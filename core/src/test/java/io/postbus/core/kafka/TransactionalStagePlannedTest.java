package io.postbus.core.kafka;

import static io.postbus.core.kafka.StageFixture.assertExactlyOnce;
import static io.postbus.core.kafka.StageFixture.bytes;
import static io.postbus.core.kafka.StageFixture.echoed;
import static io.postbus.core.kafka.StageFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.core.error.TransientException;
import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link PlannedProcessor} on the real broker: each batch's blocking work runs at once on the
 * pool, and what is committed per partition is exactly what a {@link StageProcessor} would have
 * committed — the prefix of the partition up to its first deferred or transiently failed record.
 * Inputs are produced before the stage starts, so each test's records arrive in one poll batch.
 */
class TransactionalStagePlannedTest {
    private static final Duration QUIET = Duration.ofMillis(500);

    private final Map<String, AtomicInteger> tasks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> plans = new ConcurrentHashMap<>();
    private final Set<String> taskThreads = ConcurrentHashMap.newKeySet();
    private final Set<String> completionThreads = ConcurrentHashMap.newKeySet();
    private StageFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private static int count(Map<String, AtomicInteger> calls, String value) {
        return calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
    }

    private static int calls(Map<String, AtomicInteger> calls, String value) {
        AtomicInteger n = calls.get(value);
        return n == null ? 0 : n.get();
    }

    /** The echo processor, planned: its work is {@code task}, its completion the echo, on the consumer thread. */
    private PlannedProcessor echoWith(Task task) {
        return in -> {
            String v = TopicReader.str(in.value());
            count(plans, v);
            return Plan.work(() -> {
                count(tasks, v);
                taskThreads.add(Thread.currentThread().getName());
                task.run(v);
                return v;
            }, done -> {
                completionThreads.add(Thread.currentThread().getName());
                return StageResult.emit(fx.echo(in));
            });
        };
    }

    @FunctionalInterface
    private interface Task {
        void run(String value) throws Exception;
    }

    @Test
    void twentyTasksRunAtOnceNoMoreThanThePoolAndEachOutputIsCommittedOnceWithItsOffset() {
        fx = StageFixture.create("planned-many", 1);
        List<String> inputs = numbered("m-", 0, 45);
        fx.send(0, inputs.toArray(String[]::new));
        CountDownLatch twenty = new CountDownLatch(20);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        TopicReader out = fx.committed(fx.output);

        fx.startPlanned(fx.spec("a", 100), 20, echoWith(v -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                twenty.countDown();
                // Each of the first twenty waits until all twenty are running at the same time.
                if (!twenty.await(20, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("only " + (20 - twenty.getCount()) + " tasks ran at once");
                }
                Thread.sleep(20);
            } finally {
                running.decrementAndGet();
            }
        }));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= inputs.size());
        assertThat(fx.committed(fx.dead).records()).as("no task gave up waiting for the others").isEmpty();
        assertThat(most.get()).as("tasks running at once: all twenty, and never more than the pool").isEqualTo(20);
        assertExactlyOnce(out.values(), echoed(inputs));
        assertThat(out.values(0)).as("outputs in input order: completions run in offset order")
                .containsExactlyElementsOf(echoed(inputs));
        assertThat(fx.settledCount(out)).isEqualTo(inputs.size());
        assertThat(taskThreads).allMatch(t -> t.startsWith("stage-echo-work-")).hasSize(20);
        assertThat(completionThreads).containsExactly("stage-echo");
        assertThat(tasks.values()).allMatch(n -> n.get() == 1);
    }

    @Test
    void aTransientFailureInATaskRewindsOnlyItsPartitionToThatRecordAndTheRestOfTheBatchCommits() {
        fx = StageFixture.create("planned-transient", 2);
        List<String> p0 = numbered("p0-", 0, 10);
        List<String> p1 = numbered("p1-", 0, 10);
        fx.send(0, p0.toArray(String[]::new));
        fx.send(1, p1.toArray(String[]::new));
        TopicReader out = fx.committed(fx.output);

        fx.startPlanned(fx.spec("a", 100), 8, echoWith(v -> {
            if (v.equals("p0-3") && calls(tasks, v) == 1) {
                throw new TransientException("connection lost for p0-3");
            }
        }));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 13);
        // Partition 0 is committed up to the failed record, partition 1 whole, in one transaction.
        assertThat(fx.settledCount(out)).isEqualTo(13);
        assertThat(out.values(0)).containsExactlyElementsOf(echoed(p0.subList(0, 3)));
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(p1));
        // The tasks behind the failure ran, but their outputs were not committed: they will run again.
        for (String v : p0.subList(4, 10)) {
            assertThat(calls(tasks, v)).as(v).isEqualTo(1);
        }
        // Paused for the 100 ms backoff on the injected clock: nothing happens while it stands still.
        await().during(QUIET).atMost(QUIET.plusSeconds(2)).until(() -> calls(tasks, "p0-3") == 1);

        fx.clock.advance(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 20);
        List<String> all = new ArrayList<>(echoed(p0));
        all.addAll(echoed(p1));
        assertExactlyOnce(out.values(), all);
        assertThat(out.values(0)).containsExactlyElementsOf(echoed(p0));
        assertThat(calls(tasks, "p0-3")).isEqualTo(2);
        for (String v : p0.subList(0, 3)) {
            assertThat(calls(tasks, v)).as(v + ", committed before the failure").isEqualTo(1);
        }
        for (String v : p0.subList(4, 10)) {
            assertThat(calls(tasks, v)).as(v + ", redone after the rewind").isEqualTo(2);
        }
        for (String v : p1) {
            assertThat(calls(tasks, v)).as(v).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 20);
        assertThat(fx.counter("deferred")).isEqualTo(1.0);
    }

    @Test
    void aDeferFromThePlanPausesOnlyThatPartitionAndNothingBehindItIsPlanned() {
        fx = StageFixture.create("planned-defer", 2);
        Instant until = StageFixture.T0.plus(Duration.ofMinutes(5));
        fx.send(0, "p0-0", "later", "p0-2");
        fx.send(1, numbered("p1-", 0, 10).toArray(String[]::new));
        TopicReader out = fx.committed(fx.output);
        PlannedProcessor echo = echoWith(v -> { });

        fx.startPlanned(fx.spec("a", 100), 4, in -> {
            if (TopicReader.str(in.value()).equals("later") && fx.clock.instant().isBefore(until)) {
                count(plans, "later");
                return Plan.decided(new StageResult.Defer(until));
            }
            return echo.plan(in);
        });

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 11);
        assertThat(fx.settledCount(out)).isEqualTo(11);
        assertThat(out.values(0)).containsExactly("out:p0-0");
        await().during(QUIET).atMost(QUIET.plusSeconds(2))
                .until(() -> calls(plans, "later") == 1 && calls(plans, "p0-2") == 0 && calls(tasks, "p0-2") == 0);

        fx.clock.advance(Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 13);
        assertThat(out.values(0)).containsExactly("out:p0-0", "out:later", "out:p0-2");
        assertThat(out.values(1)).containsExactlyElementsOf(echoed(numbered("p1-", 0, 10)));
        assertThat(calls(plans, "p0-2")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 13);
    }

    @Test
    void aTaskFailingForGoodDeadLettersItsRecordAndTheRecordsBehindItAreCommitted() {
        fx = StageFixture.create("planned-dead", 1);
        List<String> inputs = numbered("m-", 0, 8);
        fx.send(0, inputs.toArray(String[]::new));
        TopicReader out = fx.committed(fx.output);
        TopicReader dead = fx.committed(fx.dead);

        fx.startPlanned(fx.spec("a", 100), 4, echoWith(v -> {
            if (v.equals("m-2")) {
                throw new IllegalArgumentException("undecodable m-2");
            }
        }));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 7 && dead.records().size() >= 1);
        List<String> expected = new ArrayList<>(echoed(inputs));
        expected.remove("out:m-2");
        assertThat(out.values()).containsExactlyElementsOf(expected);
        ConsumerRecord<byte[], byte[]> d = dead.records().get(0);
        assertThat(TopicReader.str(d.value())).isEqualTo("m-2");
        assertThat(TopicReader.str(d.headers().lastHeader(DeadLetters.EXCEPTION_CLASS).value()))
                .isEqualTo(IllegalArgumentException.class.getName());
        assertThat(TopicReader.str(d.headers().lastHeader(DeadLetters.SOURCE_OFFSET).value())).isEqualTo("2");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 8);
        assertThat(tasks.values()).as("nothing retried").allMatch(n -> n.get() == 1);
    }

    @Test
    void aTaskStillRunningAtTheBatchDeadlineIsGivenUpAndItsPartitionRetriedWhileTheOthersCommit() {
        fx = StageFixture.create("planned-deadline", 2);
        fx.send(0, "p0-0", "stuck", "p0-2");
        fx.send(1, "p1-0", "p1-1");
        TopicReader out = fx.committed(fx.output);
        CountDownLatch interrupted = new CountDownLatch(1);

        // max.poll.interval 4 s: the batch gives up on its work after 3 s.
        fx.startPlanned(fx.spec("a", 100, Duration.ofSeconds(4)), 4, echoWith(v -> {
            if (v.equals("stuck") && calls(tasks, v) == 1) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }
        }));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 3);
        assertThat(fx.settledCount(out)).isEqualTo(3);
        assertThat(out.values(0)).containsExactly("out:p0-0");
        assertThat(out.values(1)).containsExactly("out:p1-0", "out:p1-1");
        assertThat(interrupted.getCount()).as("the stuck task was interrupted").isZero();

        fx.clock.advance(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 5);
        assertThat(out.values(0)).containsExactly("out:p0-0", "out:stuck", "out:p0-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 5);
    }

    @Test
    void closeWhileTasksRunWaitsForThemAndCommitsTheBatch() throws Exception {
        fx = StageFixture.create("planned-close", 1);
        List<String> inputs = numbered("m-", 0, 10);
        fx.send(0, inputs.toArray(String[]::new));
        TopicReader out = fx.committed(fx.output);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(10);

        TransactionalStage stage = fx.startPlanned(fx.spec("a", 100), 10, echoWith(v -> {
            started.countDown();
            release.await(30, TimeUnit.SECONDS);
        }));
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(stage::close);
        closer.start();
        await().during(QUIET).atMost(QUIET.plusSeconds(2)).until(() -> out.records().isEmpty() && closer.isAlive());

        release.countDown();
        closer.join(30_000);
        assertThat(stage.stopped()).isCompleted().isNotCompletedExceptionally();
        assertThat(fx.settledCount(out)).isEqualTo(10);
        assertThat(out.values()).containsExactlyElementsOf(echoed(inputs));
    }

    /**
     * The crash mid-batch: the instance hangs while producing its batch's outputs (some already on
     * the broker, in the open transaction). Its replacement (same instance id) fences it and redoes
     * the whole batch, work included; the hung instance's outputs are never seen by read_committed
     * readers, and when it wakes it stops without committing.
     */
    @Test
    void aCrashBeforeTheCommitLeavesNothingOfTheBatchAndTheReplacementRedoesItExactlyOnce() throws Exception {
        fx = StageFixture.create(TestKafka.bootstrapServers(), "planned-zombie", 2, Map.of(), HoldingInterceptor.config());
        String gateName = fx.group + "-zombie";
        HoldingInterceptor.Gate gate = HoldingInterceptor.gate(gateName);
        List<String> inputs = new ArrayList<>(numbered("p0-", 0, 10));
        inputs.addAll(numbered("p1-", 0, 10));
        fx.send(0, inputs.subList(0, 10).toArray(String[]::new));
        fx.send(1, inputs.subList(10, 20).toArray(String[]::new));
        TopicReader committed = fx.committed(fx.output);
        TopicReader everything = fx.uncommitted(fx.output);

        PlannedProcessor echo = echoWith(v -> { });
        TransactionalStage zombie = fx.startPlanned(fx.spec("a", 100, Duration.ofSeconds(2)), 8, in -> {
            if (!TopicReader.str(in.value()).equals("p1-9")) {
                return echo.plan(in);
            }
            return Plan.work(() -> "p1-9", done -> {
                ProducerRecord<byte[], byte[]> extra = new ProducerRecord<>(fx.output, 1, in.key(), bytes("zombie-extra"));
                extra.headers().add(HoldingInterceptor.HOLD, bytes(gateName));
                return StageResult.emit(fx.echo(in), extra);
            });
        });
        assertThat(gate.arrived.await(20, TimeUnit.SECONDS)).as("zombie reached the gate").isTrue();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> everything.values().contains("out:p1-9"));
        assertThat(committed.values()).as("nothing of the batch is visible").isEmpty();
        assertThat(fx.committedInputOffsets()).isZero();

        KafkaSettings plain = KafkaSettings.of(fx.bootstrap, 1 << 20);
        fx.startPlanned(fx.spec("a", 100), plain, 8, echo);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> committed.records().size() >= 20);
        assertExactlyOnce(committed.values(), echoed(inputs));
        assertThat(calls(tasks, "p0-0")).as("the replacement did the work again").isEqualTo(2);

        gate.open.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> !zombie.isRunning());
        assertThat(zombie.stopped()).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(ProducerFencedException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 20);
        assertThat(everything.values()).filteredOn("out:p1-9"::equals).hasSize(2);
        assertThat(committed.values()).doesNotContain("zombie-extra").hasSize(20);
    }
}
