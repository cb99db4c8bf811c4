package io.postbus.auth.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Key pairs for tests (generated once per size and cached: RSA generation is slow) and their key records. */
final class TestKeys {
    private static final Map<String, KeyPair> CACHE = new HashMap<>();

    private TestKeys() {}

    static synchronized KeyPair rsa(int bits) {
        return CACHE.computeIfAbsent("rsa" + bits, k -> generate("RSA", bits));
    }

    static synchronized KeyPair ed25519() {
        return CACHE.computeIfAbsent("ed25519", k -> generate("Ed25519", 255));
    }

    /** A second Ed25519 pair, for "wrong key" cases. */
    static synchronized KeyPair otherEd25519() {
        return CACHE.computeIfAbsent("ed25519-other", k -> generate("Ed25519", 255));
    }

    /** "v=DKIM1; k=...; p=..." for a public key, plus any extra tags (e.g. "t=s; "). */
    static String record(PublicKey key, String extraTags) {
        boolean rsa = key.getAlgorithm().equals("RSA");
        byte[] p = rsa ? key.getEncoded() : DkimKeys.ed25519Raw(key);
        return "v=DKIM1; k=" + (rsa ? "rsa" : "ed25519") + "; " + extraTags + "p=" + Base64.getEncoder().encodeToString(p);
    }

    static String record(PublicKey key) {
        return record(key, "");
    }

    private static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(size);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
