package io.postbus.delivery.worker;

import io.postbus.core.bounce.BounceClass;
import io.postbus.core.kafka.SuppressionRecords;
import io.postbus.core.kafka.Topics;
import io.postbus.core.suppression.SuppressionPolicy;
import io.postbus.delivery.core.BounceClassifier;
import io.postbus.delivery.core.RemoteReply;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Suppression entries for recipients a receiver refused for good with a suppressing class. They go
 * to {@code mail.suppression} in the attempt's transaction, with the Bounce event: the list never
 * names an address whose bounce was not committed, and a retried attempt rewrites the same key.
 */
final class BounceSuppressions {
    private final Topics topics;
    private final BounceClassifier classifier;
    private final SuppressionPolicy policy;

    BounceSuppressions(Topics topics, BounceClassifier classifier, SuppressionPolicy policy) {
        this.topics = topics;
        this.classifier = classifier;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    List<ProducerRecord<byte[], byte[]>> after(List<String> bounced, RemoteReply reply, Instant now) {
        // The same classification the Bounce event carries (the classifier is pure, so calling it again agrees).
        BounceClass c = classifier.classify(reply).bounceClass();
        String detail = reply.toString();
        return bounced.stream()
                .flatMap(r -> policy.forBounce(r, reply.code(), c, detail, now).stream())
                .map(s -> SuppressionRecords.entry(topics, s))
                .toList();
    }
}
