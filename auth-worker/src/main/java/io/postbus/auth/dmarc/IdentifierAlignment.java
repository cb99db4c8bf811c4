package io.postbus.auth.dmarc;

import io.postbus.auth.psl.PublicSuffixList;
import java.util.Objects;

/**
 * Identifier alignment (RFC 7489 §3.1): does an authenticated domain (DKIM {@code d=}, SPF domain)
 * align with the author domain? Strict: the same name. Relaxed: the same Organizational Domain.
 * Names are compared as lower-case A-labels.
 */
public final class IdentifierAlignment {

    private final PublicSuffixList psl;

    public IdentifierAlignment(PublicSuffixList psl) {
        this.psl = Objects.requireNonNull(psl, "psl");
    }

    public boolean aligned(String authenticated, String author, AlignmentMode mode) {
        if (authenticated.equals(author)) {
            return true;
        }
        return mode == AlignmentMode.RELAXED && organizationalDomain(authenticated).equals(organizationalDomain(author));
    }

    /**
     * The Organizational Domain (RFC 7489 §3.2). A public suffix has none; it is then its own, so
     * that {@code co.uk} never aligns with {@code example.co.uk}.
     */
    public String organizationalDomain(String domain) {
        return psl.registrableDomain(domain).orElse(domain);
    }
}
