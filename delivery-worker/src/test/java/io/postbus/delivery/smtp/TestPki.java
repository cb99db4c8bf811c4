package io.postbus.delivery.smtp;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away certificate authority made with Bouncy Castle for each test run, so no key material
 * lives in the repository: a CA, server certificates for chosen DNS names (valid or expired), and
 * server-side SSLContexts for them.
 */
public final class TestPki {

    /** A certificate and its key. */
    public record Identity(X509Certificate certificate, PrivateKey key, List<X509Certificate> chain) {
        /** A server TLS context presenting this identity. */
        public SSLContext serverContext() {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("server", key, "pw".toCharArray(), chain.toArray(new X509Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, "pw".toCharArray());
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(kmf.getKeyManagers(), null, null);
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final Identity ca;

    private TestPki(Identity ca) {
        this.ca = ca;
    }

    /** A new CA, "CN=<name>", valid from a day ago for a week. */
    public static TestPki create(String name) {
        KeyPair keys = keyPair();
        Instant now = Instant.now();
        X509Certificate cert = sign(new X500Name("CN=" + name), keys, new X500Name("CN=" + name), keys.getPrivate(),
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(7)), true);
        return new TestPki(new Identity(cert, keys.getPrivate(), List.of(cert)));
    }

    public X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** Only this CA as trust anchor. */
    public TrustAnchors anchors() {
        return TrustAnchors.only(List.of(ca.certificate()));
    }

    /** Writes the CA certificate as PEM, as a postmaster would give it in smtp_tls_CAfile. */
    public Path writeCaPem(Path file) throws Exception {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(ca.certificate());
        }
        return file;
    }

    /** A server certificate for the DNS names (the first is also the CN), valid now. */
    public Identity issue(String... dnsNames) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), dnsNames);
    }

    /** A server certificate that expired yesterday. */
    public Identity issueExpired(String... dnsNames) {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), dnsNames);
    }

    private Identity issue(Instant from, Instant to, String... dnsNames) {
        KeyPair keys = keyPair();
        X509Certificate cert = sign(new X500Name("CN=" + dnsNames[0]), keys, new X500Name(
                ca.certificate().getSubjectX500Principal().getName()), ca.key(), from, to, false, dnsNames);
        return new Identity(cert, keys.getPrivate(), List.of(cert, ca.certificate()));
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        Instant from, Instant to, boolean isCa, String... dnsNames) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(to), subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                GeneralName[] names = Arrays.stream(dnsNames).map(n -> new GeneralName(GeneralName.dNSName, n))
                        .toArray(GeneralName[]::new);
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
