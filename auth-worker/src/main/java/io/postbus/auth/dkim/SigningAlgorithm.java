package io.postbus.auth.dkim;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Locale;
import java.util.Optional;

/**
 * The signing algorithms a DKIM or ARC signature may name in a=. Only the two that RFC 8301 and
 * RFC 8463 leave standing: rsa-sha1 is refused outright (RFC 8301 §3.1).
 */
public enum SigningAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256 over the header hash input (RFC 6376 §3.3.1). */
    RSA_SHA256("rsa-sha256", KeyType.RSA),
    /** PureEdDSA Ed25519 over the SHA-256 digest of the header hash input (RFC 8463 §3). */
    ED25519_SHA256("ed25519-sha256", KeyType.ED25519);

    private final String tagValue;
    private final KeyType keyType;

    SigningAlgorithm(String tagValue, KeyType keyType) {
        this.tagValue = tagValue;
        this.keyType = keyType;
    }

    public String tagValue() {
        return tagValue;
    }

    public KeyType keyType() {
        return keyType;
    }

    public static Optional<SigningAlgorithm> fromTag(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (SigningAlgorithm a : values()) {
            if (a.tagValue.equals(v)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Signs the header hash input (the canonical header fields, signature field last with empty b=).
     */
    public byte[] sign(PrivateKey key, byte[] headerHashInput) throws InvalidKeyException {
        if (this == ED25519_SHA256) {
            return Ed25519Fast.sign(key, input(headerHashInput));
        }
        try {
            Signature s = signature();
            s.initSign(key);
            s.update(input(headerHashInput));
            return s.sign();
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides " + tagValue, e);
        }
    }

    /** True when {@code signatureBytes} is a valid signature of the header hash input by {@code key}. */
    public boolean verify(PublicKey key, byte[] headerHashInput, byte[] signatureBytes) throws InvalidKeyException {
        if (this == ED25519_SHA256) {
            return Ed25519Fast.verify(key, input(headerHashInput), signatureBytes);
        }
        try {
            Signature s = signature();
            s.initVerify(key);
            s.update(input(headerHashInput));
            return s.verify(signatureBytes);
        } catch (InvalidKeyException e) {
            throw e;
        } catch (java.security.SignatureException e) {
            return false; // a malformed signature value is a failed signature, not an error
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides " + tagValue, e);
        }
    }

    private Signature signature() throws GeneralSecurityException {
        return Signature.getInstance(this == RSA_SHA256 ? "SHA256withRSA" : "Ed25519");
    }

    private byte[] input(byte[] headerHashInput) {
        if (this == ED25519_SHA256) {
            return BodyHash.sha256().digest(headerHashInput);
        }
        return headerHashInput;
    }
}
