package io.postbus.core.kafka;

import static io.postbus.core.kafka.StageFixture.assertExactlyOnce;
import static io.postbus.core.kafka.StageFixture.bytes;
import static io.postbus.core.kafka.StageFixture.echoed;
import static io.postbus.core.kafka.StageFixture.numbered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.postbus.core.error.PermanentException;
import io.postbus.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records that can never be processed go to the dead topic with provenance; the loop goes on. */
class TransactionalStageDeadLetterTest {
    private StageFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void permanentFailureDeadLettersTheInputWithProvenanceAndProcessingContinues() {
        fx = StageFixture.create("dead", 1);
        fx.clock.set(Instant.parse("2025-06-01T12:34:56Z"));
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        fx.start(fx.spec("a", 50), in -> {
            String v = TopicReader.str(in.value());
            calls.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
            if (v.equals("m-3")) {
                throw new PermanentException("cannot parse m-3: bad envelope");
            }
            return StageResult.emit(fx.echo(in));
        });
        List<String> inputs = numbered("m-", 0, 10);
        fx.send(0, inputs.subList(0, 3).toArray(String[]::new));
        ProducerRecord<byte[], byte[]> poison = new ProducerRecord<>(fx.input, 0, bytes("key-3"), bytes("m-3"));
        poison.headers().add("trace-id", bytes("abc123"));
        fx.send(poison);
        fx.send(0, inputs.subList(4, 10).toArray(String[]::new));

        TopicReader out = fx.committed(fx.output);
        TopicReader dead = fx.committed(fx.dead);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 9 && !dead.records().isEmpty());

        List<String> expected = new ArrayList<>(echoed(inputs));
        expected.remove("out:m-3");
        assertExactlyOnce(out.values(), expected);
        assertThat(out.values()).as("records after the poison one, in order").endsWith(echoed(inputs.subList(4, 10)).toArray(String[]::new));

        assertThat(dead.records()).hasSize(1);
        ConsumerRecord<byte[], byte[]> d = dead.records().get(0);
        assertThat(TopicReader.str(d.key())).isEqualTo("key-3");
        assertThat(TopicReader.str(d.value())).isEqualTo("m-3");
        assertThat(header(d, "trace-id")).as("original headers kept").isEqualTo("abc123");
        assertThat(header(d, DeadLetters.SOURCE_TOPIC)).isEqualTo(fx.input);
        assertThat(header(d, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(d, DeadLetters.SOURCE_OFFSET)).isEqualTo("3");
        assertThat(header(d, DeadLetters.STAGE)).isEqualTo("echo");
        assertThat(header(d, DeadLetters.EXCEPTION_CLASS)).isEqualTo(PermanentException.class.getName());
        assertThat(header(d, DeadLetters.EXCEPTION_MESSAGE)).isEqualTo("cannot parse m-3: bad envelope");
        assertThat(header(d, DeadLetters.DEAD_AT)).isEqualTo("2025-06-01T12:34:56Z");

        assertThat(calls.get("m-3")).as("a permanent failure is not retried").hasValue(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 10);
        assertThat(fx.counter("dead")).isEqualTo(1.0);
    }

    @Test
    void anyNonTransientExceptionIsPermanentAndANullMessageIsRecordedAsSuch() {
        fx = StageFixture.create("dead-npe", 1);
        fx.start(fx.spec("a", 50), in -> {
            if (TopicReader.str(in.value()).equals("boom")) {
                throw new NullPointerException();
            }
            return StageResult.emit(fx.echo(in));
        });
        fx.send(0, "before", "boom", "after");
        TopicReader out = fx.committed(fx.output);
        TopicReader dead = fx.committed(fx.dead);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 2 && !dead.records().isEmpty());
        assertThat(out.values()).containsExactly("out:before", "out:after");
        ConsumerRecord<byte[], byte[]> d = dead.records().get(0);
        assertThat(header(d, DeadLetters.EXCEPTION_CLASS)).isEqualTo(NullPointerException.class.getName());
        assertThat(header(d, DeadLetters.EXCEPTION_MESSAGE)).isEqualTo("null");
        assertThat(header(d, DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
    }

    @Test
    void outputLargerThanTheTopicAllowsAbortsTheTransactionAndDeadLettersTheInputOnRetry() {
        // Output topic takes 20 kB; the producer may send up to 1 MiB, so the broker is the one refusing.
        fx = StageFixture.create(TestKafka.bootstrapServers(), "too-large", 1, Map.of("max.message.bytes", "20000"), Map.of());
        byte[] huge = new byte[100_000];
        new Random(42).nextBytes(huge); // incompressible: lz4 must not squeeze it under the limit
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        fx.start(fx.spec("a", 50), in -> {
            String v = TopicReader.str(in.value());
            calls.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
            if (v.equals("m-4")) {
                return StageResult.emit(new ProducerRecord<>(fx.output, in.key(), huge));
            }
            return StageResult.emit(fx.echo(in));
        });
        List<String> inputs = numbered("m-", 0, 10);
        fx.send(0, inputs.toArray(String[]::new));

        TopicReader out = fx.committed(fx.output);
        TopicReader dead = fx.committed(fx.dead);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() >= 9 && !dead.records().isEmpty());
        List<String> expected = new ArrayList<>(echoed(inputs));
        expected.remove("out:m-4");
        assertExactlyOnce(out.values(), expected);
        assertThat(out.records()).allSatisfy(r -> assertThat(r.value().length).isLessThan(100));

        assertThat(dead.records()).hasSize(1);
        ConsumerRecord<byte[], byte[]> d = dead.records().get(0);
        assertThat(TopicReader.str(d.value())).as("the input, not the refused output").isEqualTo("m-4");
        assertThat(header(d, DeadLetters.SOURCE_OFFSET)).isEqualTo("4");
        assertThat(header(d, DeadLetters.EXCEPTION_CLASS)).isEqualTo(RecordTooLargeException.class.getName());
        // Tried once; on the retry the runtime dead-letters it without asking the processor again.
        assertThat(calls.get("m-4")).hasValue(1);

        // Later records still flow.
        fx.send(0, "m-10");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.values().contains("out:m-10"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 11);
        assertThat(fx.metrics.counter("postbus.stage.transactions.aborted", "stage", "echo").count()).isGreaterThanOrEqualTo(1.0);
    }

    /**
     * The producer refuses the output itself (larger than its max.request.size, which KafkaSettings
     * derives from maxMessageBytes). Once a transaction has failed, Kafka fails every other pending
     * send of it with the same RecordTooLargeException: only the record whose output was refused may
     * be dead-lettered, the others must go through on the retry.
     */
    @Test
    void onlyTheRecordWhoseOutputWasRefusedIsDeadLetteredNotItsBatchNeighbours() {
        fx = StageFixture.create("too-large-client", 1);
        KafkaSettings smallRequests = KafkaSettings.of(fx.bootstrap, 50_000);
        byte[] huge = new byte[100_000];
        new Random(43).nextBytes(huge);
        fx.start(fx.spec("a", 50), smallRequests, in -> {
            String v = TopicReader.str(in.value());
            if (v.equals("m-4") || v.equals("m-7")) {
                return StageResult.emit(new ProducerRecord<>(fx.output, 0, in.key(), huge));
            }
            return StageResult.emit(fx.echo(in));
        });
        List<String> inputs = numbered("m-", 0, 10);
        fx.send(0, inputs.toArray(String[]::new));

        TopicReader out = fx.committed(fx.output);
        TopicReader dead = fx.committed(fx.dead);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> out.records().size() + dead.records().size() >= 10);
        assertThat(dead.values()).containsExactlyInAnyOrder("m-4", "m-7");
        List<String> expected = new ArrayList<>(echoed(inputs));
        expected.removeAll(List.of("out:m-4", "out:m-7"));
        assertThat(out.values()).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.committedInputOffsets() == 10);
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        assertThat(h).as("header %s", key).isNotNull();
        return TopicReader.str(h.value());
    }
}
