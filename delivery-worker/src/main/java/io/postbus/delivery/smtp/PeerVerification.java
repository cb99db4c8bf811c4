package io.postbus.delivery.smtp;

/**
 * What the server's certificate proved, in the words Postfix logs a TLS connection with
 * ("Verified", "Trusted", "Untrusted TLS connection established to ...").
 */
public enum PeerVerification {
    /** The chain leads to a trust anchor and the certificate names the host we meant (RFC 6125). */
    VERIFIED,
    /** The chain leads to a trust anchor, but the certificate does not name the host. */
    TRUSTED,
    /** No chain to a trust anchor: self-signed, unknown CA, expired, or no certificate at all. */
    UNTRUSTED
}
