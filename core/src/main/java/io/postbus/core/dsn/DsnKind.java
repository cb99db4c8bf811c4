package io.postbus.core.dsn;

/**
 * The three notifications a sender can ask for with NOTIFY (RFC 3461 §4.1), each sent as its own
 * report: what went wrong for good, what is still being retried, what arrived.
 */
public enum DsnKind {
    /** Action: failed (RFC 3464 §2.3.3). NOTIFY=FAILURE, or no NOTIFY at all. */
    FAILURE,
    /** Action: delayed, a warning while retries go on. NOTIFY=DELAY, or no NOTIFY at all. */
    DELAY,
    /** Action: delivered or relayed. Only on NOTIFY=SUCCESS. */
    SUCCESS;

    /** The NOTIFY keyword that asks for this kind. */
    public NotifyOn requestedBy() {
        return switch (this) {
            case FAILURE -> NotifyOn.FAILURE;
            case DELAY -> NotifyOn.DELAY;
            case SUCCESS -> NotifyOn.SUCCESS;
        };
    }
}
