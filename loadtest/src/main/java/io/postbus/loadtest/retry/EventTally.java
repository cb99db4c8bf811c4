package io.postbus.loadtest.retry;

import io.postbus.core.events.Events;
import io.postbus.core.kafka.KafkaSettings;
import io.postbus.core.kafka.Topics;
import io.postbus.schemas.EventType;
import io.postbus.schemas.LifecycleEvent;
import io.postbus.schemas.codec.AvroCodec;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads mail.events as the worker commits it ({@code read_committed}: an aborted transaction's events
 * never count), on its own thread, and counts TransientFailure and Delivery events per job. Jobs are
 * told apart by queue id (one job per queue id here, so also by job id), in bit sets: a million jobs
 * cost 125 KB each, so the checking does not itself make the heap grow with N.
 */
final class EventTally implements AutoCloseable {
    private static final AvroCodec<LifecycleEvent> EVENTS = Events.codec();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String retryTopic;
    private final Thread thread;
    private final BitSet deferred = new BitSet();
    private final BitSet delivered = new BitSet();
    private volatile boolean running = true;
    private volatile long deferredCount;
    private volatile long deliveredCount;
    private volatile long deferredTwice;
    private volatile long deliveredTwice;
    private volatile long unexpected;
    private volatile String firstUnexpected;
    private volatile Throwable failure;

    EventTally(KafkaSettings kafka, Topics topics, String retryTopic, int partitions) {
        this.retryTopic = retryTopic;
        this.consumer = new KafkaConsumer<>(kafka.consumer("bench-retry-events", "bench-retry-events", 2000, 300_000));
        List<TopicPartition> parts = java.util.stream.IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topics.events(), p)).toList();
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        this.thread = new Thread(this::run, "bench-retry-events");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    count(EVENTS.decode(r.value()));
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // close() asked us to stop
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close();
        }
    }

    private void count(LifecycleEvent e) {
        long index = JobWriter.indexOf(e.getQueueId());
        if (index < 0 || index > Integer.MAX_VALUE) {
            problem("event for an unknown queue id " + e.getQueueId());
            return;
        }
        int i = (int) index;
        if (e.getType() == EventType.TRANSIENT_FAILURE && retryTopic.equals(e.getTopic()) && e.getAttempt() == 1) {
            if (deferred.get(i)) {
                deferredTwice++;
            } else {
                deferred.set(i);
                deferredCount++;
            }
        } else if (e.getType() == EventType.DELIVERY && e.getAttempt() == 2 && e.getReply() != null
                && e.getReply().getCode() == 250) {
            if (delivered.get(i)) {
                deliveredTwice++;
            } else {
                delivered.set(i);
                deliveredCount++;
            }
        } else {
            problem(e.getType() + " event (attempt " + e.getAttempt() + ", topic " + e.getTopic() + ") for " + e.getQueueId());
        }
    }

    private void problem(String what) {
        unexpected++;
        if (firstUnexpected == null) {
            firstUnexpected = what;
        }
    }

    long deferred() {
        return deferredCount;
    }

    long delivered() {
        return deliveredCount;
    }

    long deferredTwice() {
        return deferredTwice;
    }

    long deliveredTwice() {
        return deliveredTwice;
    }

    long unexpected() {
        return unexpected;
    }

    String firstUnexpected() {
        return firstUnexpected;
    }

    /** @throws IllegalStateException when the reading thread stopped on an error */
    void requireRunning() {
        if (failure != null) {
            throw new IllegalStateException("reading mail.events failed: " + failure, failure);
        }
    }

    /** Stops reading; the counts stay readable. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
