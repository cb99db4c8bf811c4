package io.postbus.core.dsn;

/** Keywords of the RCPT TO NOTIFY parameter (RFC 3461 §4.1). */
public enum NotifyOn {
    SUCCESS, FAILURE, DELAY,
    /** Must not be combined with the others: no DSN at all for this recipient. */
    NEVER
}
