package io.postbus.core.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Builds the record that takes a poison record's place in {@code mail.dead}: its key, value and
 * headers unchanged, plus provenance headers saying where it came from and what failed, so an
 * investigator can fix and replay it. Nothing is ever silently dropped.
 */
public final class DeadLetters {
    public static final String SOURCE_TOPIC = "postbus.dead.source.topic";
    public static final String SOURCE_PARTITION = "postbus.dead.source.partition";
    public static final String SOURCE_OFFSET = "postbus.dead.source.offset";
    public static final String STAGE = "postbus.dead.stage";
    public static final String EXCEPTION_CLASS = "postbus.dead.exception.class";
    public static final String EXCEPTION_MESSAGE = "postbus.dead.exception.message";
    public static final String DEAD_AT = "postbus.dead.at";
    private static final int MAX_MESSAGE_CHARS = 2000;

    private DeadLetters() {}

    public static ProducerRecord<byte[], byte[]> of(String deadTopic, String stage, ConsumerRecord<byte[], byte[]> rec,
                                                    Throwable error, Instant now) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(deadTopic, null, rec.key(), rec.value());
        for (Header h : rec.headers()) {
            out.headers().add(h);
        }
        String message = String.valueOf(error.getMessage());
        if (message.length() > MAX_MESSAGE_CHARS) {
            message = message.substring(0, MAX_MESSAGE_CHARS);
        }
        put(out, SOURCE_TOPIC, rec.topic());
        put(out, SOURCE_PARTITION, Integer.toString(rec.partition()));
        put(out, SOURCE_OFFSET, Long.toString(rec.offset()));
        put(out, STAGE, stage);
        put(out, EXCEPTION_CLASS, error.getClass().getName());
        put(out, EXCEPTION_MESSAGE, message);
        put(out, DEAD_AT, now.toString());
        return out;
    }

    private static void put(ProducerRecord<byte[], byte[]> r, String key, String value) {
        r.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
