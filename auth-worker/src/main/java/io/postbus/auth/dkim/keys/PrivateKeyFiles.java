package io.postbus.auth.dkim.keys;

import io.postbus.auth.dkim.DkimKeys;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the private key files DKIM signers leave behind, into JDK keys:
 * <ul>
 *   <li>PEM "RSA PRIVATE KEY" (PKCS#1), what opendkim-genkey wrote with OpenSSL 1.x;</li>
 *   <li>PEM "PRIVATE KEY" (PKCS#8), RSA or Ed25519: opendkim-genkey with OpenSSL 3, {@code openssl genpkey},
 *       and {@link DkimKeyGenerator};</li>
 *   <li>base64 of a 32-octet Ed25519 seed, what dkimpy's {@code dknewkey} writes;</li>
 *   <li>base64 DER (PKCS#8 or PKCS#1) without PEM armour, which an OpenDKIM KeyTable may hold inline.</li>
 * </ul>
 * Encrypted keys are refused: a signer that runs unattended has no passphrase to give.
 */
public final class PrivateKeyFiles {
    private PrivateKeyFiles() {}

    public static PrivateKey read(Path file) throws KeyFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new KeyFileException(file, "cannot read the key file (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(text, file);
    }

    /** Parses key text; {@code source} names it in errors (a file, or the KeyTable holding it inline). */
    public static PrivateKey parse(String text, Path source) throws KeyFileException {
        try {
            if (text.contains("-----BEGIN")) {
                return fromPem(text, source);
            }
            byte[] der = Base64.getMimeDecoder().decode(text.strip());
            if (der.length == 32) {
                return DkimKeys.ed25519PrivateKey(der);
            }
            return fromDer(der, source);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source, "neither PEM nor base64 key data");
        } catch (DkimKeys.InvalidKeyMaterialException e) {
            throw new KeyFileException(source, e.getMessage());
        }
    }

    private static PrivateKey fromPem(String text, Path source) throws KeyFileException {
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object object = parser.readObject();
            if (object instanceof PEMKeyPair pair) {
                return fromInfo(pair.getPrivateKeyInfo(), source);
            }
            if (object instanceof PrivateKeyInfo info) {
                return fromInfo(info, source);
            }
            if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new KeyFileException(source, "the key is encrypted; store it without a passphrase, mode 0600");
            }
            throw new KeyFileException(source, object == null ? "no PEM object found"
                    : "holds a " + object.getClass().getSimpleName() + ", not a private key");
        } catch (IOException | RuntimeException e) {
            throw new KeyFileException(source, "malformed PEM (" + e.getMessage() + ")", e);
        }
    }

    private static PrivateKey fromDer(byte[] der, Path source) throws KeyFileException {
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException notPkcs8) {
            try {
                RSAPrivateKey rsa = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
                info = new PrivateKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
            } catch (IOException | RuntimeException notPkcs1) {
                throw new KeyFileException(source, "base64 data is neither PKCS#8 nor PKCS#1 nor a 32-octet Ed25519 seed");
            }
        }
        return fromInfo(info, source);
    }

    /** Into a JDK key, so the JDK's Signature providers (used by SigningAlgorithm) accept it. */
    private static PrivateKey fromInfo(PrivateKeyInfo info, Path source) throws KeyFileException {
        var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        try {
            if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
                return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            }
            if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
                // The seed, whatever the PKCS#8 version (v2 files carry the public key too).
                byte[] seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
                return DkimKeys.ed25519PrivateKey(seed);
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyFileException(source, "unusable key (" + e.getMessage() + ")", e);
        } catch (DkimKeys.InvalidKeyMaterialException e) {
            throw new KeyFileException(source, e.getMessage());
        }
        throw new KeyFileException(source, "not an RSA or Ed25519 key (algorithm " + algorithm + ")");
    }
}
