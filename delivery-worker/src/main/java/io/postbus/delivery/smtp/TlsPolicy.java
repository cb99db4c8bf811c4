package io.postbus.delivery.smtp;

/** Whether to use STARTTLS (RFC 3207). Named after Postfix's smtp_tls_security_level. */
public enum TlsPolicy {
    /** Never send STARTTLS. */
    NONE,
    /**
     * Opportunistic: STARTTLS when the server offers it, without verifying the certificate
     * (RFC 7435: an unauthenticated encrypted channel beats plain text, and MX certificates are
     * often self-signed). If the handshake fails, reconnect once and deliver in plain text.
     */
    MAY
}
