package io.postbus.auth.dkim;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Turns the key material DKIM publishes and signers hold into JDK keys. Public RSA keys come as
 * SubjectPublicKeyInfo (what RFC 6376 §3.6.1 specifies) or, as some publishers do, a bare PKCS#1
 * RSAPublicKey; Ed25519 public keys are the raw 32 octets (RFC 8463 §4).
 */
public final class DkimKeys {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4) before the 32 key octets. */
    private static final byte[] ED25519_SPKI_PREFIX = hex("302a300506032b6570032100");
    /** DER prefix of an Ed25519 PKCS#8 PrivateKeyInfo (RFC 8410 §7) before the 32 seed octets. */
    private static final byte[] ED25519_PKCS8_PREFIX = hex("302e020100300506032b657004220420");

    private DkimKeys() {}

    /** Decodes a p= value. */
    public static PublicKey publicKey(KeyType type, byte[] der) throws InvalidKeyMaterialException {
        try {
            if (type == KeyType.ED25519) {
                if (der.length != 32) {
                    throw new InvalidKeyMaterialException("an ed25519 key is 32 octets, not " + der.length);
                }
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI_PREFIX, der)));
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            try {
                return rsa.generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException notSpki) {
                return rsa.generatePublic(pkcs1(der));
            }
        } catch (InvalidKeyMaterialException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidKeyMaterialException("not a valid " + type.tagValue() + " public key");
        }
    }

    /** Bits in an RSA modulus, for the RFC 8301 §3.2 minimum of 1024. */
    public static int rsaBits(PublicKey key) {
        return key instanceof RSAPublicKey r ? r.getModulus().bitLength() : 0;
    }

    /** An Ed25519 private key from its 32-octet seed (the form RFC 8463 Appendix A prints). */
    public static PrivateKey ed25519PrivateKey(byte[] seed) throws InvalidKeyMaterialException {
        if (seed.length != 32) {
            throw new InvalidKeyMaterialException("an ed25519 seed is 32 octets, not " + seed.length);
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(concat(ED25519_PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyMaterialException("not a valid ed25519 seed");
        }
    }

    /** The raw 32 octets of an Ed25519 public key, as p= publishes them. */
    public static byte[] ed25519Raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    private static RSAPublicKeySpec pkcs1(byte[] der) throws InvalidKeyMaterialException {
        try {
            org.bouncycastle.asn1.pkcs.RSAPublicKey k = org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(
                    org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
            BigInteger modulus = k.getModulus();
            return new RSAPublicKeySpec(modulus, k.getPublicExponent());
        } catch (IOException | RuntimeException e) {
            throw new InvalidKeyMaterialException("neither SubjectPublicKeyInfo nor PKCS#1 RSA key");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** Key bytes that are not a usable key of the named type: permanent (permerror for a verifier). */
    public static final class InvalidKeyMaterialException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidKeyMaterialException(String message) {
            super(message);
        }
    }
}
