package io.postbus.delivery.smtp;

import java.util.Locale;
import java.util.Optional;

/**
 * How much TLS a destination gets, named and ordered after Postfix's smtp_tls_security_level
 * (TLS_README "Client-side TLS security levels"). NONE to VERIFY are ordered, later is stricter;
 * DANE and DANE_ONLY are levels of a next hop that {@code route.DestinationTls} resolves to one of
 * the others, or to DANE authentication, for each MX host (RFC 7672): the SMTP client is never
 * handed them.
 */
public enum TlsPolicy {
    /** Never send STARTTLS (Postfix {@code none}). */
    NONE,
    /**
     * Opportunistic (Postfix {@code may}): STARTTLS when the server offers it, without insisting on
     * the certificate (RFC 7435: an unauthenticated encrypted channel beats plain text, and MX
     * certificates are often self-signed). If the handshake fails, reconnect once in plain text.
     */
    MAY,
    /**
     * Mandatory encryption (Postfix {@code encrypt}): no STARTTLS offered, STARTTLS refused or a
     * failed handshake is a transient failure of that host, never plain text. The certificate is
     * not checked, so an active attacker can still sit in the middle.
     */
    ENCRYPT,
    /**
     * Mandatory, authenticated TLS (Postfix {@code verify}): ENCRYPT, and the certificate must chain
     * to a trust anchor and name the MX host as found in DNS (RFC 6125 DNS-ID, the rules of HTTPS).
     * What MTA-STS enforce asks for (RFC 8461 §4.2).
     */
    VERIFY,
    /**
     * Opportunistic DANE (Postfix {@code dane}, RFC 7672 §2.2): for an MX host with DNSSEC-validated
     * usable TLSA records, TLS is mandatory and the certificate must match them; with validated but
     * unusable records, ENCRYPT; otherwise MAY (or what MTA-STS asks). A failed TLSA lookup for a
     * validated host defers that host: it may be an attack.
     */
    DANE,
    /** Mandatory DANE (Postfix {@code dane-only}): a host without usable validated TLSA records is not used. */
    DANE_ONLY;

    /** The level for a Postfix level name ({@code none}, {@code may}, {@code encrypt}, {@code verify}, {@code dane}, {@code dane-only}). */
    public static Optional<TlsPolicy> fromPostfixName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (TlsPolicy p : values()) {
            if (p.postfixName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String postfixName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for the levels decided per MX host by DNSSEC-validated TLSA records. */
    public boolean isDane() {
        return this == DANE || this == DANE_ONLY;
    }

    /** True when plain text is never acceptable. */
    public boolean requiresTls() {
        return this == ENCRYPT || this == VERIFY;
    }

    /** True when a certificate that does not verify ends the session. */
    public boolean requiresVerifiedPeer() {
        return this == VERIFY;
    }

    /** The stricter of the two; a DANE level keeps itself (its per-host fallback is decided elsewhere). */
    public TlsPolicy atLeast(TlsPolicy other) {
        if (isDane()) {
            return this;
        }
        return other.ordinal() > ordinal() ? other : this;
    }
}
