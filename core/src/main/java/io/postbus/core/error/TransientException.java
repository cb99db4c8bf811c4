package io.postbus.core.error;

/**
 * A failure that may go away if the same work is tried again later: DNS timeout, broker
 * unavailable, a 4xx from a remote MTA. Drives SMTP 4xx, deferral and re-processing — never loss.
 */
public class TransientException extends RuntimeException {
    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
