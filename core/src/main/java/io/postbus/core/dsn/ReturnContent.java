package io.postbus.core.dsn;

/** The MAIL FROM RET parameter (RFC 3461 §4.3): what of the message a failure DSN carries back. */
public enum ReturnContent {
    /** The whole message, as message/rfc822 (subject to the size limit). */
    FULL,
    /** The header section only, as text/rfc822-headers (RFC 6522 §4). */
    HDRS
}
