package io.postbus.auth.arc;

/**
 * Validator settings.
 *
 * @param minimumRsaBits smallest RSA modulus accepted; RFC 8301 §3.2 forbids accepting less than 1024
 */
public record ArcSettings(int minimumRsaBits) {

    public static final int RFC8301_MINIMUM_RSA_BITS = 1024;

    public ArcSettings {
        if (minimumRsaBits < RFC8301_MINIMUM_RSA_BITS) {
            throw new IllegalArgumentException("RFC 8301 §3.2: RSA keys below " + RFC8301_MINIMUM_RSA_BITS
                    + " bits must not be accepted, got " + minimumRsaBits);
        }
    }

    public static ArcSettings defaults() {
        return new ArcSettings(RFC8301_MINIMUM_RSA_BITS);
    }
}
