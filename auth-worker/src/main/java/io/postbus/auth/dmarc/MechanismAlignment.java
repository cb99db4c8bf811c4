package io.postbus.auth.dmarc;

/**
 * What one underlying mechanism (DKIM or SPF) contributed to DMARC (RFC 7489 §4.2). The aggregate
 * report's {@code policy_evaluated} dkim/spf is {@code pass} for {@link #PASS} and {@code fail}
 * otherwise.
 */
public enum MechanismAlignment {
    /** The mechanism passed for an identifier aligned with the author domain. */
    PASS,
    /** The mechanism hit a temporary error on an identifier that would have aligned. */
    TEMPERROR,
    /** The mechanism passed, but only for identifiers that do not align. */
    NOT_ALIGNED,
    /** The mechanism passed for no identifier at all. */
    NONE,
    /** Alignment was not evaluated: no usable policy record, or no usable author domain. */
    NOT_EVALUATED
}
