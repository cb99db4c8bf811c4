package io.postbus.core.dns.dnsjava;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether the AD ("authentic data") bit in a recursive server's response is believed. The bit is
 * only as good as the server that sets it and the path to it (RFC 4035 §4.6, RFC 6840 §5.7): a
 * validating resolver on the same host or a trusted network, as glibc's {@code options trust-ad}
 * and Postfix's {@code smtp_dns_support_level = dnssec} assume. So it is off unless configured.
 */
public enum DnssecTrust {
    /** Every answer is unauthenticated, whatever the server says: DANE never applies. */
    NONE,
    /** Believe the AD bit: the configured servers validate DNSSEC and the path to them is trusted. */
    AD_BIT;

    /** The configuration value: "none" or "ad-bit". */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The level for a configuration value; empty for anything else (the caller rejects it). */
    public static Optional<DnssecTrust> fromConfigName(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (DnssecTrust t : values()) {
            if (t.configName().equals(v)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
