package io.postbus.auth.dkim;

import java.security.PrivateKey;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One key to sign with: where its public half is published (s=, d=), how it signs (a=) and, optionally,
 * the agent or user identifier to claim (i=, RFC 6376 §3.5).
 *
 * @param domain     d=; the selector's record lives at {@code selector._domainkey.domain}
 * @param selector   s=
 * @param algorithm  a=; must fit the private key's type
 * @param privateKey the signing key (never printed by {@link #toString()})
 * @param identity   i=, which must be in d= or a subdomain of it; empty to leave i= out (it then means "@d")
 */
public record DkimSigningKey(String domain, String selector, SigningAlgorithm algorithm, PrivateKey privateKey,
                             Optional<String> identity) {

    public DkimSigningKey {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(identity, "identity");
        if (domain.isBlank() || selector.isBlank() || hasTagBreaker(domain) || hasTagBreaker(selector)) {
            throw new IllegalArgumentException("bad domain or selector: " + domain + " / " + selector);
        }
        KeyType type = keyType(privateKey);
        if (type != algorithm.keyType()) {
            throw new IllegalArgumentException(algorithm.tagValue() + " needs a " + algorithm.keyType().tagValue()
                    + " key, not " + privateKey.getAlgorithm());
        }
        if (identity.isPresent() && !DkimSignature.identityWithin(identity.get(), domain)) {
            throw new IllegalArgumentException("i=" + identity.get() + " is not within d=" + domain + " (RFC 6376 §3.5)");
        }
    }

    /** A key without i=, with the algorithm its type implies (rsa-sha256 or ed25519-sha256). */
    public static DkimSigningKey of(String domain, String selector, PrivateKey privateKey) {
        SigningAlgorithm algorithm = keyType(privateKey) == KeyType.RSA
                ? SigningAlgorithm.RSA_SHA256 : SigningAlgorithm.ED25519_SHA256;
        return new DkimSigningKey(domain, selector, algorithm, privateKey, Optional.empty());
    }

    /** The DKIM key type of a JDK or Bouncy Castle private key. */
    public static KeyType keyType(PrivateKey key) {
        String name = key.getAlgorithm().toUpperCase(Locale.ROOT);
        if (name.equals("RSA")) {
            return KeyType.RSA;
        }
        if (name.equals("ED25519") || name.equals("EDDSA")) {
            return KeyType.ED25519;
        }
        throw new IllegalArgumentException("not an RSA or Ed25519 key: " + key.getAlgorithm());
    }

    public DkimSigningKey withIdentity(Optional<String> newIdentity) {
        return new DkimSigningKey(domain, selector, algorithm, privateKey, newIdentity);
    }

    private static boolean hasTagBreaker(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == ';' || ch == '=' || ch <= ' ' || ch == 0x7f) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "DkimSigningKey[" + algorithm.tagValue() + " s=" + selector + " d=" + domain
                + identity.map(i -> " i=" + i).orElse("") + "]";
    }
}
