package io.postbus.core.kafka;

import io.postbus.core.config.ConfigException;
import io.postbus.core.error.TransientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing topics and verifies existing ones at start, so a misconfigured cluster is found
 * before the first message instead of by a rejected 30 MB produce at 3 a.m.
 */
public final class TopicAdmin {
    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);
    private static final Duration VISIBILITY_RETRY = Duration.ofMillis(50);
    private final Admin admin;
    private final Duration timeout;

    public TopicAdmin(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** Creates what is missing, then checks every topic; a topic that cannot carry our messages is fatal. */
    public void ensure(Collection<TopicSpec> specs) {
        Set<String> existing = await(admin.listTopics().names());
        List<NewTopic> missing = specs.stream()
                .filter(s -> !existing.contains(s.name()))
                .map(s -> new NewTopic(s.name(), s.partitions(), s.replicationFactor()).configs(s.configs()))
                .toList();
        if (!missing.isEmpty()) {
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // another node won the race
                        throw new TransientException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw interruptedOrTimedOut(e);
                }
            }
        }
        verify(specs);
    }

    private void verify(Collection<TopicSpec> specs) {
        List<String> names = specs.stream().map(TopicSpec::name).toList();
        Map<String, TopicDescription> descriptions = awaitVisible(() -> admin.describeTopics(names).allTopicNames());
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = awaitVisible(() -> admin.describeConfigs(resources).all());
        List<String> problems = new ArrayList<>();
        for (TopicSpec spec : specs) {
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions < spec.partitions()) {
                // Not fatal: growing partitions changes key placement, so it is the operator's call.
                log.warn("topic {} has {} partitions, configured {}; consumers scale only to {}",
                        spec.name(), partitions, spec.partitions(), partitions);
            }
            String wanted = spec.configs().get("max.message.bytes");
            if (wanted != null) {
                var entry = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).get("max.message.bytes");
                long actual = entry == null ? 0 : Long.parseLong(entry.value());
                if (actual < Long.parseLong(wanted)) {
                    problems.add("topic " + spec.name() + " has max.message.bytes=" + actual + " but messages of the advertised SIZE need "
                            + wanted + "; raise it (kafka-configs --alter --add-config max.message.bytes=" + wanted + ")");
                }
            }
            String policy = spec.configs().get("cleanup.policy");
            if (policy != null) {
                var entry = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name())).get("cleanup.policy");
                if (entry == null || !entry.value().contains(policy)) {
                    problems.add("topic " + spec.name() + " must have cleanup.policy=" + policy);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        log.debug("verified topics {}", names.stream().collect(Collectors.joining(", ")));
    }

    /**
     * The controller acknowledges a new topic before the broker answering us has it in its
     * metadata, so right after creation (ours or another node's) the topic can be briefly unknown.
     */
    private <T> T awaitVisible(Supplier<KafkaFuture<T>> request) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return request.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new TransientException("Kafka admin request failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException | TimeoutException e) {
                throw interruptedOrTimedOut(e);
            }
            try {
                Thread.sleep(VISIBILITY_RETRY.toMillis());
            } catch (InterruptedException e) {
                throw interruptedOrTimedOut(e);
            }
        }
    }

    private <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TransientException("Kafka admin request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw interruptedOrTimedOut(e);
        }
    }

    private TransientException interruptedOrTimedOut(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new TransientException("Kafka did not answer within " + timeout, e);
    }
}
