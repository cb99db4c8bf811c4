package io.postbus.core.error;

/**
 * A failure that will recur on every retry of the same input: malformed record, invalid
 * configuration, a 5xx from a remote MTA. Drives SMTP 5xx, bounces and dead-lettering.
 */
public class PermanentException extends RuntimeException {
    public PermanentException(String message) {
        super(message);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }
}
