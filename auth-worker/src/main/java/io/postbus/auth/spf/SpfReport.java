package io.postbus.auth.spf;

import java.util.Objects;
import java.util.Optional;

/**
 * A receiver's SPF checks for one transaction (RFC 7208 §2.3, §2.4).
 *
 * @param verdict the check of the MAIL FROM identity; for the null reverse-path, the check of
 *                postmaster@HELO (identity HELO). This is the result DMARC uses (RFC 7489 §4.1).
 * @param helo    the check of the HELO identity, when one was made: with {@link SpfSettings#checkHelo()},
 *                or for the null reverse-path (then the same verdict as {@code verdict})
 */
public record SpfReport(SpfVerdict verdict, Optional<SpfVerdict> helo) {
    public SpfReport {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(helo, "helo");
        if (helo.isPresent() && helo.get().identity() != SpfIdentity.HELO) {
            throw new IllegalArgumentException("the helo verdict must be for the HELO identity");
        }
    }
}
