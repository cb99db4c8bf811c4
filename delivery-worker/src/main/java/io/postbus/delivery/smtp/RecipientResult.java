package io.postbus.delivery.smtp;

import java.util.Objects;

/**
 * One recipient's outcome and the server reply that decided it: the end-of-data reply for a
 * recipient whose RCPT was accepted, otherwise the reply that refused it (RCPT, MAIL or DATA).
 */
public record RecipientResult(String recipient, DeliveryOutcome outcome, SmtpReply reply) {
    public RecipientResult {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reply, "reply");
    }
}
