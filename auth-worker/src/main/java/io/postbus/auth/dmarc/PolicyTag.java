package io.postbus.auth.dmarc;

/** Which of the record's policy tags applied to the author domain (RFC 7489 §6.6.3, RFC 9091 §4). */
public enum PolicyTag {
    /** {@code p}: the record was published at the author domain itself. */
    P,
    /** {@code sp} (default {@code p}): the author domain is an existing subdomain of the policy domain. */
    SP,
    /**
     * {@code np} (default {@code sp}): the author domain is a subdomain that does not exist (A, AAAA
     * and MX all NXDOMAIN or no data; RFC 9091 §2.1).
     */
    NP
}
