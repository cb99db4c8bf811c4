package io.postbus.ingress.server;

import io.postbus.ingress.smtp.Envelope;
import java.util.concurrent.CompletionStage;

/**
 * Takes durable responsibility for an accepted message. The returned stage completes only once
 * the message is stored for good (Kafka: acknowledged by all in-sync replicas); it fails when that
 * cannot be confirmed, and then the client is told 451 and must retry.
 */
public interface MessagePublisher {
    CompletionStage<Void> publish(Envelope.Accepted message, ConnectionInfo connection);
}
