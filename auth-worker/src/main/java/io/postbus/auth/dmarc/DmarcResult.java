package io.postbus.auth.dmarc;

import java.util.Locale;

/** The DMARC method's result, as registered for Authentication-Results (RFC 7489 §11.2). */
public enum DmarcResult {
    /** No DMARC policy record was published for the author domain (or DMARC does not apply). */
    NONE,
    /** A policy record was published and an authenticated identifier aligned with the author domain. */
    PASS,
    /** A policy record was published and no authenticated identifier aligned. */
    FAIL,
    /** A temporary error (DNS failure, or an SPF/DKIM temperror that could have aligned). */
    TEMPERROR,
    /** A permanent error: a syntactically invalid record, or no usable RFC5322.From domain. */
    PERMERROR;

    /** The Authentication-Results token: {@code dmarc=<token>}. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }
}
