package io.postbus.delivery.smtp;

import java.util.Objects;

/**
 * One recipient's outcome and the server reply that decided it: the end-of-data reply for a
 * recipient whose RCPT was accepted, otherwise the reply that refused it (RCPT, MAIL or DATA).
 *
 * @param dsnPassedOn the server offered DSN (RFC 3461) and took this recipient's RCPT, so the
 *                    recipient's DSN parameters (whichever it had) went on with it: reports about
 *                    it are now that server's to send (RFC 3461 §5.2.2)
 */
public record RecipientResult(String recipient, DeliveryOutcome outcome, SmtpReply reply, boolean dsnPassedOn) {
    public RecipientResult {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reply, "reply");
    }

    /** A result from a server that did not take DSN parameters. */
    public RecipientResult(String recipient, DeliveryOutcome outcome, SmtpReply reply) {
        this(recipient, outcome, reply, false);
    }
}
