package io.postbus.auth.spf;

/** Which SMTP identity a check_host() call authorizes (RFC 7208 §2.3, §2.4). */
public enum SpfIdentity {
    /** The reverse-path of MAIL FROM (RFC 5321 §4.1.1.2). */
    MAILFROM,
    /**
     * The HELO/EHLO domain, checked as postmaster@domain: either on its own (§2.3) or because the
     * reverse-path was null (§2.4).
     */
    HELO
}
