package io.postbus.auth.arc;

import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SigningAlgorithm;
import java.security.PrivateKey;
import java.security.interfaces.RSAKey;
import java.util.Locale;
import java.util.Objects;

/**
 * The key a sealer signs its ARC-Message-Signature and ARC-Seal with, and where verifiers find the public
 * half ({@code <selector>._domainkey.<domain>}, RFC 6376 §3.6.2.1, reused by RFC 8617 §4.1).
 *
 * @param domain     d=, lower-cased
 * @param selector   s=, lower-cased
 * @param algorithm  a=: rsa-sha256 or ed25519-sha256 (RFC 8463 keys work for ARC as for DKIM)
 * @param privateKey an RSA key for rsa-sha256, an Ed25519 key for ed25519-sha256
 */
public record ArcSigningKey(String domain, String selector, SigningAlgorithm algorithm, PrivateKey privateKey) {

    public ArcSigningKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        domain = domain.toLowerCase(Locale.ROOT);
        selector = selector.toLowerCase(Locale.ROOT);
        if (!CommonSignatureTags.isDomainName(domain)) {
            throw new IllegalArgumentException("not a domain name: " + domain);
        }
        if (!CommonSignatureTags.isDomainName(selector)) {
            throw new IllegalArgumentException("not a selector: " + selector);
        }
        if (!fits(algorithm.keyType(), privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("a " + privateKey.getAlgorithm() + " key cannot sign " + algorithm.tagValue());
        }
        if (privateKey instanceof RSAKey rsa && rsa.getModulus().bitLength() < ArcSettings.RFC8301_MINIMUM_RSA_BITS) {
            throw new IllegalArgumentException("RFC 8301 §3.2: signers must use RSA keys of at least "
                    + ArcSettings.RFC8301_MINIMUM_RSA_BITS + " bits, got " + rsa.getModulus().bitLength());
        }
    }

    private static boolean fits(KeyType type, String jcaAlgorithm) {
        if (type == KeyType.RSA) {
            return jcaAlgorithm.equals("RSA");
        }
        return jcaAlgorithm.equals("Ed25519") || jcaAlgorithm.equals("EdDSA");
    }

    @Override
    public String toString() {
        return "ArcSigningKey[" + selector + "._domainkey." + domain + ", " + algorithm.tagValue() + "]";
    }
}
