package io.postbus.delivery.smtp;

/**
 * A server reply that breaks RFC 5321 §4.2 syntax. The session turns it into a transient
 * {@link SmtpException} of kind {@link SmtpException.Kind#PROTOCOL}: after a reply we cannot read,
 * the dialogue is out of step and only a new connection can help.
 */
public final class MalformedReplyException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedReplyException(String message) {
        super(message);
    }
}
