package io.postbus.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code psd} tag of RFC 9989 (DMARCbis): whether the record's domain is a Public Suffix
 * Domain. Parsed and kept for reports; policy discovery here uses the Public Suffix List (see
 * ADR 0003), so it does not change the Organizational Domain.
 */
public enum PsdFlag {
    /** {@code y}: a Public Suffix Domain. */
    Y,
    /** {@code n}: an Organizational Domain, not a public suffix. */
    N,
    /** {@code u} or absent: unspecified. */
    U;

    public static Optional<PsdFlag> parse(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "y": return Optional.of(Y);
            case "n": return Optional.of(N);
            case "u": return Optional.of(U);
            default: return Optional.empty();
        }
    }
}
