package io.postbus.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * Waits until the broker answers a client the way a real client will ask. KafkaRaftServer.startup()
 * returning is not enough on its own: clients are only served once the broker is registered with
 * the controller and unfenced, and a fenced broker is left out of metadata responses.
 */
final class ReadinessProbe {
    private static final Duration POLL = Duration.ofMillis(50);

    private ReadinessProbe() {
    }

    static void awaitReady(String bootstrapServers, Instant deadline) throws TimeoutException, InterruptedException {
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "postbus-broker-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 20,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        try (Admin admin = Admin.create(props)) {
            Exception last = null;
            while (Instant.now().isBefore(deadline)) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(remaining(deadline), TimeUnit.MILLISECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e; // not up yet: the listener may still be opening or the broker fenced
                }
                Thread.sleep(POLL.toMillis());
            }
            TimeoutException timeout = new TimeoutException("broker at " + bootstrapServers + " not ready in time");
            if (last != null) {
                timeout.initCause(last);
            }
            throw timeout;
        }
    }

    private static long remaining(Instant deadline) {
        return Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    }
}
