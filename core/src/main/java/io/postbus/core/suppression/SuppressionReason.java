package io.postbus.core.suppression;

/** Why an address is suppressed; the names are those of the contract's {@code SuppressionReason}. */
public enum SuppressionReason {
    /** A permanent failure of a suppressing class at delivery. */
    HARD_BOUNCE,
    /** The recipient reported the mail as spam (a feedback loop, RFC 5965). */
    COMPLAINT,
    /** The recipient asked to stop (RFC 8058 one-click, a list's unsubscribe). */
    UNSUBSCRIBE,
    /** An operator put it there. */
    MANUAL,
    /** A reason this version does not know (a newer writer). */
    UNKNOWN
}
