package io.postbus.auth.dkim;

import java.util.Locale;
import java.util.Optional;

/** The k= of a key record (RFC 6376 §3.6.1, RFC 8463 §4). */
public enum KeyType {
    RSA, ED25519;

    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<KeyType> fromTag(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (KeyType t : values()) {
            if (t.tagValue().equals(v)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
