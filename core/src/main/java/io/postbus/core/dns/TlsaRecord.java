package io.postbus.core.dns;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One TLSA record (RFC 6698 §2.1), as numbers: what the fields mean, and which combinations are
 * usable, is for the DANE code to decide (RFC 7672 §3.1 makes most of them unusable for SMTP), so
 * an unknown value is kept here rather than rejected.
 *
 * @param usage        certificate usage, 0–255 (RFC 6698 §2.1.1)
 * @param selector     0 = full certificate, 1 = SubjectPublicKeyInfo (§2.1.2)
 * @param matchingType 0 = exact, 1 = SHA-256, 2 = SHA-512 (§2.1.3)
 * @param data         the certificate association data
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {

    public TlsaRecord {
        requireOctet(usage, "usage");
        requireOctet(selector, "selector");
        requireOctet(matchingType, "matchingType");
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("TLSA association data must not be empty");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Presentation format (RFC 6698 §2.2): "3 1 1 0a1b…". */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord t && t.usage == usage && t.selector == selector
                && t.matchingType == matchingType && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return ((usage * 31 + selector) * 31 + matchingType) * 31 + Arrays.hashCode(data);
    }

    private static void requireOctet(int value, String what) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(what + " must be 0-255: " + value);
        }
    }
}
