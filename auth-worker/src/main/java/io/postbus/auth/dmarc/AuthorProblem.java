package io.postbus.auth.dmarc;

/**
 * Why a message's RFC5322.From does not give exactly one author domain (RFC 7489 §6.6.1). The
 * caller must be told: DMARC is defined for a message with one From field holding one domain.
 */
public enum AuthorProblem {
    /** No From field at all (RFC 5322 §3.6 requires exactly one). */
    NO_FROM_FIELD(true),
    /**
     * Several From fields (RFC 5322 §3.6 allows one). A classic trick: the reader's client shows
     * one, a filter checks the other. Treated as a permerror, as OpenDMARC does.
     */
    MULTIPLE_FROM_FIELDS(true),
    /** The From field's value is not an RFC 5322 mailbox-list (or group). */
    SYNTAX_ERROR(true),
    /** The From field holds no mailbox (an empty group such as {@code undisclosed:;}). */
    NO_MAILBOX(true),
    /** Every mailbox is at a domain literal ({@code user@[192.0.2.1]}), which has no DMARC policy. */
    NO_DOMAIN(true),
    /**
     * One From field with mailboxes at several domains. Usable: §6.6.1 evaluates each domain and
     * applies the strictest policy among those that fail.
     */
    MULTIPLE_DOMAINS(false);

    private final boolean unusable;

    AuthorProblem(boolean unusable) {
        this.unusable = unusable;
    }

    /** True when DMARC cannot be evaluated at all (the result is permerror). */
    public boolean unusable() {
        return unusable;
    }
}
