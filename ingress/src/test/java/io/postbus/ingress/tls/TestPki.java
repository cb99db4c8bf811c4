package io.postbus.ingress.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A throw-away CA and server certificates made with Bouncy Castle, written as PEM or PKCS#12. */
final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(0x1000);

    record Issued(X509Certificate certificate, KeyPair keys) {
        BigInteger serial() {
            return certificate.getSerialNumber();
        }

        PrivateKey key() {
            return keys.getPrivate();
        }
    }

    private TestPki() {}

    static KeyPair rsa() {
        return generate("RSA", null);
    }

    static KeyPair ec() {
        return generate("EC", new ECGenParameterSpec("secp256r1"));
    }

    static Issued ca(String cn) {
        KeyPair keys = rsa();
        return new Issued(sign(cn, keys, cn, keys.getPrivate(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(3650)), true), keys);
    }

    /** A server certificate for {@code cn} issued by {@code ca}, valid from a day ago for 90 days of real time. */
    static Issued leaf(Issued ca, String cn) {
        return leaf(ca, cn, rsa(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)));
    }

    static Issued leaf(Issued ca, String cn, KeyPair keys, Instant notBefore, Instant notAfter) {
        String issuer = ca.certificate().getSubjectX500Principal().getName();
        return new Issued(sign(cn, keys, issuer, ca.key(), notBefore, notAfter, false), keys);
    }

    /** PEM of each object as Bouncy Castle writes it: certificates, RSA keys as PKCS#1. */
    static String pem(Object... objects) {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    /**
     * An EC key as SEC1 ({@code -----BEGIN EC PRIVATE KEY-----}) the way {@code openssl ecparam
     * -genkey} writes it: curve named inside, optionally with the public point and with an
     * {@code EC PARAMETERS} block in front. (Bouncy Castle's writer, given a JDK key, leaves the
     * curve out, which no tool can read back.)
     */
    static String sec1(KeyPair keys, boolean withPublicKey, boolean withParametersBlock) {
        try {
            java.security.interfaces.ECPrivateKey priv = (java.security.interfaces.ECPrivateKey) keys.getPrivate();
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
            ASN1Encodable curve = spki.getAlgorithm().getParameters();
            int bits = priv.getParams().getOrder().bitLength();
            ECPrivateKey sec1 = withPublicKey ? new ECPrivateKey(bits, priv.getS(), spki.getPublicKeyData(), curve)
                    : new ECPrivateKey(bits, priv.getS(), curve);
            String key = pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
            return withParametersBlock ? pem(new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded())) + key : key;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key as PKCS#8: -----BEGIN PRIVATE KEY-----. */
    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] pkcs12(String password, PrivateKey key, X509Certificate... chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password.toCharArray(), chain);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password.toCharArray());
            return out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces {@code target} the way renewals do: write a temporary file beside it, then rename over it. */
    static void replace(Path target, byte[] content) {
        try {
            Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".renew", ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void replace(Path target, String content) {
        replace(target, content.getBytes(StandardCharsets.US_ASCII));
    }

    private static KeyPair generate(String alg, ECGenParameterSpec spec) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance(alg);
            if (spec == null) {
                gen.initialize(2048);
            } else {
                gen.initialize(spec);
            }
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
                                        Instant notBefore, Instant notAfter, boolean ca) {
        try {
            var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
