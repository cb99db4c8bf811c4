package io.postbus.delivery.core;

import java.util.List;

/**
 * One attempt's outcome, per recipient.
 *
 * @param remoteHost    the host that answered last (null when none could be reached)
 * @param remoteAddress its IP address
 */
public record DeliveryReport(List<RecipientResult> results, String remoteHost, String remoteAddress,
                             String tlsProtocol, String tlsCipher, long durationMillis) {
    public DeliveryReport {
        results = List.copyOf(results);
    }

    public enum Outcome { DELIVERED, DEFERRED, BOUNCED }

    public record RecipientResult(String recipient, Outcome outcome, RemoteReply reply) {}

    /** Every recipient gets the same outcome: used when no connection could be made at all. */
    public static DeliveryReport all(DeliveryRequest request, Outcome outcome, RemoteReply reply, long durationMillis) {
        return new DeliveryReport(request.recipients().stream()
                .map(r -> new RecipientResult(r.address(), outcome, reply)).toList(), null, null, null, null, durationMillis);
    }
}
