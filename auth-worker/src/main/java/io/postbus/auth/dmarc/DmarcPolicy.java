package io.postbus.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * A policy value: what a Domain Owner requests for failing mail ({@code p}, {@code sp},
 * {@code np}; RFC 7489 §6.3) and, after sampling, the disposition actually applied (the aggregate
 * report's DispositionType, RFC 7489 Appendix C). Declared from least to most strict.
 */
public enum DmarcPolicy {
    NONE, QUARANTINE, REJECT;

    /** The tag value, e.g. {@code reject}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy one step weaker: what a message gets when it is not selected by {@code pct}
     * (RFC 7489 §6.6.4: reject becomes quarantine, quarantine becomes none) or when the record
     * says {@code t=y} (RFC 9989).
     */
    public DmarcPolicy downgraded() {
        return this == REJECT ? QUARANTINE : NONE;
    }

    /** Parses a tag value, case-insensitively (ABNF strings are case-insensitive, RFC 5234 §2.3). */
    public static Optional<DmarcPolicy> parse(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "none": return Optional.of(NONE);
            case "quarantine": return Optional.of(QUARANTINE);
            case "reject": return Optional.of(REJECT);
            default: return Optional.empty();
        }
    }
}
