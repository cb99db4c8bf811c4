package io.postbus.loadtest.jmh;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The public-key operation alone, on what DKIM signs: the canonical header block (about 600 bytes here) for
 * RSA-SHA256, its SHA-256 for Ed25519 (RFC 8463 §3). Once with the JDK's providers, which the auth-worker uses
 * (SunRsaSign, SunEC), and once with Bouncy Castle, already on its class path, to show what a provider
 * choice would change.
 */
@State(Scope.Benchmark)
public class SignaturePrimitiveBenchmark extends BenchmarkDefaults {
    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    @Param({"JDK", "BC"})
    public String provider;

    private Signature signer;
    private Signature verifier;
    private KeyPair keys;
    private byte[] input;
    private byte[] signature;

    @Setup
    public void setUp() throws GeneralSecurityException {
        boolean rsa = algorithm.equals("rsa-sha256");
        Provider bc = provider.equals("BC") ? new BouncyCastleProvider() : null;
        KeyPairGenerator g = bc == null ? KeyPairGenerator.getInstance(rsa ? "RSA" : "Ed25519")
                : KeyPairGenerator.getInstance(rsa ? "RSA" : "Ed25519", bc);
        if (rsa) {
            g.initialize(2048, new SecureRandom());
        }
        keys = g.generateKeyPair();
        String name = rsa ? "SHA256withRSA" : "Ed25519";
        signer = bc == null ? Signature.getInstance(name) : Signature.getInstance(name, bc);
        verifier = bc == null ? Signature.getInstance(name) : Signature.getInstance(name, bc);
        input = new byte[rsa ? 600 : 32];
        new SecureRandom().nextBytes(input);
        signature = sign();
        if (!verify()) {
            throw new IllegalStateException(provider + " " + algorithm + " does not verify its own signature");
        }
    }

    @Benchmark
    public byte[] sign() throws GeneralSecurityException {
        signer.initSign(keys.getPrivate());
        signer.update(input);
        return signer.sign();
    }

    @Benchmark
    public boolean verify() throws GeneralSecurityException {
        verifier.initVerify(keys.getPublic());
        verifier.update(input);
        return verifier.verify(signature);
    }
}
