package io.postbus.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings that make a one-node Kafka behave well for Postbus. Public so that every way of
 * getting a Kafka for tests (in-process or a container) runs with the same settings.
 */
public final class SingleNodeDefaults {

    /** Mail up to 35 MB travels as one record; base64 and headers push that well past 35 MB. */
    public static final int MESSAGE_MAX_BYTES = 64 * 1024 * 1024;

    private SingleNodeDefaults() {
    }

    /** Kafka property name to value, in a stable order. */
    public static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        // With one node there is no second replica: the internal topics must ask for one copy,
        // or the group, transaction and share coordinators never become available.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // The default 3 s delay only helps when many members join at once; it slows every test.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose with their own settings; a typo must not create one.
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        // The cleaner allocates this buffer up front; the 128 MiB default dominates an idle heap.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        return p;
    }
}
