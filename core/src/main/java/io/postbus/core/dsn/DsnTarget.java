package io.postbus.core.dsn;

/** Where a report goes, or that none is sent. */
public enum DsnTarget {
    /** No report: not asked for (NOTIFY), or nobody to send it to without risking a loop. */
    NONE,
    /** To the reverse-path of the message, the normal case (RFC 3461 §6.1). */
    TO_SENDER,
    /**
     * To the postmaster: a message with the null sender failed, so there is no sender to tell
     * (Postfix's "double bounce", notify_classes = 2bounce, 2bounce_notice_recipient).
     */
    TO_POSTMASTER
}
