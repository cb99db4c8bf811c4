package io.postbus.auth.arc;

import java.util.Locale;
import java.util.Optional;

/**
 * The Chain Validation Status of RFC 8617 §4.1.3 and §5.2: the three values a validator can reach and a
 * sealer writes into the {@code cv=} tag of its ARC-Seal.
 */
public enum ChainValidationStatus {
    /** No ARC Sets on the message (§5.2 step 1); the only value allowed in the ARC-Seal of i=1. */
    NONE,
    /** The whole chain validated (§5.2 step 7). */
    PASS,
    /** The chain is broken, or an earlier sealer said so (§5.2 steps 1-6). */
    FAIL;

    /** The {@code cv=} spelling, also the {@code arc=} result of Authentication-Results. */
    public String cvValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a {@code cv=} value. The ABNF literals of RFC 8617 are case-insensitive (RFC 5234 §2.3). */
    public static Optional<ChainValidationStatus> fromCv(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (ChainValidationStatus s : values()) {
            if (s.cvValue().equals(v)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
