package io.postbus.ingress.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.postbus.core.error.PermanentException;
import io.postbus.ingress.tls.CertificateLoadException.Reason;
import io.postbus.ingress.tls.CertificateSource.PemFiles;
import io.postbus.ingress.tls.CertificateSource.PemText;
import io.postbus.ingress.tls.CertificateSource.Pkcs12File;
import io.postbus.ingress.tls.CertificateSource.SelfSigned;
import io.postbus.ingress.tls.CertificateWarning.Kind;
import io.postbus.ingress.tls.TestPki.Issued;
import io.vertx.core.Vertx;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading each format, and refusing what cannot be served with an error that names the file. */
class CertificateSourceTest {
    private static final Issued CA = TestPki.ca("CN=Postbus Test CA");
    private static final Instant NOW = Instant.now();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static Vertx vertx;

    @TempDir
    Path dir;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
    }

    private Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    /** What Vert.x will serve: the key manager it builds from the options holds our chain. */
    private static void assertVertxServes(ServerCertificate cert, Issued expected) throws Exception {
        KeyCertOptions options = cert.keyCertOptions();
        KeyManagerFactory kmf = options.getKeyManagerFactory(vertx);
        X509KeyManager km = (X509KeyManager) kmf.getKeyManagers()[0];
        String alias = km.chooseServerAlias(expected.keys().getPublic().getAlgorithm(), null, null);
        assertThat(alias).isNotNull();
        assertThat(km.getCertificateChain(alias)[0].getSerialNumber()).isEqualTo(expected.serial());
        // The key Vert.x holds signs what the certificate verifies (its encoding may differ from the input's).
        PrivateKey served = km.getPrivateKey(alias);
        String alg = served.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature signer = Signature.getInstance(alg);
        signer.initSign(served);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(alg);
        verifier.initVerify(expected.certificate());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }

    private Issued leaf(Instant notBefore, Instant notAfter) {
        return TestPki.leaf(CA, "CN=mx.example.com", TestPki.rsa(), notBefore, notAfter);
    }

    @Test
    void pemChainWithPkcs8RsaKey() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path chain = write("fullchain.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        String keyPem = TestPki.pkcs8(leaf.key());
        assertThat(keyPem).startsWith("-----BEGIN PRIVATE KEY-----");
        Path key = write("privkey.pem", keyPem);

        ServerCertificate cert = new PemFiles(chain, key).load(CLOCK);

        assertThat(cert.serialNumber()).isEqualTo(leaf.serial());
        assertThat(cert.chain()).containsExactly(leaf.certificate(), CA.certificate());
        assertThat(cert.warnings()).isEmpty();
        assertThat(cert.notAfter()).isEqualTo(leaf.certificate().getNotAfter().toInstant());
        assertThat(cert.keyCertOptions()).isInstanceOf(PemKeyCertOptions.class);
        assertThat(cert.sslOptions().getKeyCertOptions()).isEqualTo(cert.keyCertOptions());
        assertVertxServes(cert, leaf);
    }

    @Test
    void pemWithPkcs1RsaKey() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        String keyPem = TestPki.pem(leaf.key());
        assertThat(keyPem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        ServerCertificate cert = new PemFiles(write("c.pem", TestPki.pem(leaf.certificate(), CA.certificate())),
                write("k.pem", keyPem)).load(CLOCK);
        assertThat(cert.serialNumber()).isEqualTo(leaf.serial());
        assertVertxServes(cert, leaf);
    }

    @Test
    void pemWithSec1EcKey() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com", TestPki.ec(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)));
        Path chain = write("c.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        String keyPem = TestPki.sec1(leaf.keys(), true, false);
        assertThat(keyPem).startsWith("-----BEGIN EC PRIVATE KEY-----");

        ServerCertificate cert = new PemFiles(chain, write("k.pem", keyPem)).load(CLOCK);
        assertThat(cert.serialNumber()).isEqualTo(leaf.serial());
        assertVertxServes(cert, leaf);

        // openssl ecparam -genkey puts an EC PARAMETERS block first; -no_public leaves the point out
        assertVertxServes(new PemFiles(chain, write("k2.pem", TestPki.sec1(leaf.keys(), false, true))).load(CLOCK), leaf);
    }

    @Test
    void pemWithPkcs8EcKey() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com", TestPki.ec(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)));
        ServerCertificate cert = new PemFiles(write("c.pem", TestPki.pem(leaf.certificate(), CA.certificate())),
                write("k.pem", TestPki.pkcs8(leaf.key()))).load(CLOCK);
        assertVertxServes(cert, leaf);
    }

    @Test
    void oneFileHoldingChainAndKeyServesBothRoles() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path both = write("combined.pem", TestPki.pem(leaf.certificate(), CA.certificate()) + TestPki.pkcs8(leaf.key()));
        PemFiles source = new PemFiles(both, both);
        assertThat(source.files()).containsExactly(both);
        assertVertxServes(source.load(CLOCK), leaf);
    }

    @Test
    void pkcs12WithPassword() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path p12 = write("server.p12", TestPki.pkcs12("s3cret", leaf.key(), leaf.certificate(), CA.certificate()));

        ServerCertificate cert = new Pkcs12File(p12, "s3cret").load(CLOCK);

        assertThat(cert.serialNumber()).isEqualTo(leaf.serial());
        assertThat(cert.chain()).hasSize(2);
        assertThat(cert.warnings()).isEmpty();
        assertThat(cert.keyCertOptions()).isInstanceOf(PfxOptions.class);
        assertVertxServes(cert, leaf);
    }

    @Test
    void pkcs12WithWrongPasswordIsRefusedNamingTheFile() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path p12 = write("server.p12", TestPki.pkcs12("s3cret", leaf.key(), leaf.certificate()));
        assertRefused(() -> new Pkcs12File(p12, "wrong").load(CLOCK), Reason.WRONG_PASSWORD, p12);
    }

    @Test
    void pkcs12PasswordNeverPrinted() {
        assertThat(new Pkcs12File(Path.of("/x.p12"), "s3cret").toString()).doesNotContain("s3cret");
        assertThat(new PemText("cert", "the-key").toString()).doesNotContain("the-key");
    }

    @Test
    void garbledPkcs12IsMalformed() throws Exception {
        Path p12 = write("server.p12", "this is not a key store".getBytes(StandardCharsets.US_ASCII));
        assertRefused(() -> new Pkcs12File(p12, "pw").load(CLOCK), Reason.MALFORMED, p12);
    }

    @Test
    void pemTextAndSelfSignedLoadWithoutFiles() {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        ServerCertificate fromText = new PemText(TestPki.pem(leaf.certificate(), CA.certificate()), TestPki.pem(leaf.key())).load(CLOCK);
        assertThat(fromText.serialNumber()).isEqualTo(leaf.serial());
        assertThat(fromText.source().files()).isEmpty();

        ServerCertificate self = new SelfSigned("mx.example.com").load(Clock.systemUTC());
        assertThat(self.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=mx.example.com");
        assertThat(self.warnings()).isEmpty(); // self-issued: no chain to complete
        assertThat(self.keyCertOptions()).isInstanceOf(PemKeyCertOptions.class);
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Issued other = TestPki.leaf(CA, "CN=other.example.com");
        Path chain = write("fullchain.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        Path key = write("privkey.pem", TestPki.pkcs8(other.key()));

        CertificateLoadException e = assertRefused(() -> new PemFiles(chain, key).load(CLOCK), Reason.KEY_MISMATCH, key);
        assertThat(e.getMessage()).contains(chain.toString()).contains("CN=mx.example.com");
    }

    @Test
    void ecKeyOfAnotherCertificateIsRefused() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com", TestPki.ec(), NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(60)));
        Path chain = write("c.pem", TestPki.pem(leaf.certificate()));
        Path key = write("k.pem", TestPki.sec1(TestPki.ec(), true, false));
        assertRefused(() -> new PemFiles(chain, key).load(CLOCK), Reason.KEY_MISMATCH, key);
        Path rsaKey = write("rsa.pem", TestPki.pem(TestPki.rsa().getPrivate()));
        assertRefused(() -> new PemFiles(chain, rsaKey).load(CLOCK), Reason.KEY_MISMATCH, rsaKey);
    }

    @Test
    void chainInReverseOrderIsRefusedWithAHint() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path chain = write("fullchain.pem", TestPki.pem(CA.certificate(), leaf.certificate()));
        Path key = write("privkey.pem", TestPki.pkcs8(leaf.key()));
        CertificateLoadException e = assertRefused(() -> new PemFiles(chain, key).load(CLOCK), Reason.KEY_MISMATCH, key);
        assertThat(e.getMessage()).contains("certificate #2").contains("must come first");
    }

    @Test
    void expiredCertificateIsRefused() throws Exception {
        Issued leaf = leaf(NOW.minus(Duration.ofDays(91)), NOW.minus(Duration.ofMinutes(1)));
        Path chain = write("fullchain.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        Path key = write("privkey.pem", TestPki.pkcs8(leaf.key()));
        CertificateLoadException e = assertRefused(() -> new PemFiles(chain, key).load(CLOCK), Reason.EXPIRED, chain);
        assertThat(e.getMessage()).contains("expired at " + leaf.certificate().getNotAfter().toInstant());
    }

    @Test
    void notYetValidCertificateIsRefused() throws Exception {
        Issued leaf = leaf(NOW.plus(Duration.ofHours(2)), NOW.plus(Duration.ofDays(90)));
        Path chain = write("fullchain.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        Path key = write("privkey.pem", TestPki.pkcs8(leaf.key()));
        assertRefused(() -> new PemFiles(chain, key).load(CLOCK), Reason.NOT_YET_VALID, chain);
    }

    @Test
    void expiringWithinFourteenDaysLoadsWithAWarning() throws Exception {
        Issued soon = leaf(NOW.minus(Duration.ofDays(80)), NOW.plus(Duration.ofDays(10).plusHours(1)));
        ServerCertificate cert = new PemFiles(write("c.pem", TestPki.pem(soon.certificate(), CA.certificate())),
                write("k.pem", TestPki.pkcs8(soon.key()))).load(CLOCK);
        assertThat(cert.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Kind.EXPIRES_SOON);
            assertThat(w.message()).contains("in 10 days").contains("c.pem");
        });

        Issued later = leaf(NOW.minus(Duration.ofDays(60)), NOW.plus(Duration.ofDays(15)));
        ServerCertificate fine = new PemFiles(write("c2.pem", TestPki.pem(later.certificate(), CA.certificate())),
                write("k2.pem", TestPki.pkcs8(later.key()))).load(CLOCK);
        assertThat(fine.warnings()).isEmpty();
    }

    @Test
    void serverCertificateWithoutItsIntermediateLoadsWithAWarning() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        ServerCertificate cert = new PemFiles(write("cert.pem", TestPki.pem(leaf.certificate())),
                write("k.pem", TestPki.pkcs8(leaf.key()))).load(CLOCK);
        assertThat(cert.warnings()).extracting(CertificateWarning::kind).containsExactly(Kind.INCOMPLETE_CHAIN);
        assertThat(cert.warnings().get(0).message()).contains("fullchain.pem");
    }

    @Test
    void strayCertificateInTheChainLoadsWithAWarning() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Issued stray = TestPki.ca("CN=Someone Else");
        ServerCertificate cert = new PemFiles(write("c.pem", TestPki.pem(leaf.certificate(), stray.certificate())),
                write("k.pem", TestPki.pkcs8(leaf.key()))).load(CLOCK);
        assertThat(cert.warnings()).extracting(CertificateWarning::kind).containsExactly(Kind.CHAIN_OUT_OF_ORDER);
    }

    @Test
    void missingFileIsUnreadableAndNamed() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path key = write("privkey.pem", TestPki.pkcs8(leaf.key()));
        Path missing = dir.resolve("nope/fullchain.pem");
        CertificateLoadException e = assertRefused(() -> new PemFiles(missing, key).load(CLOCK), Reason.UNREADABLE, missing);
        assertThat(e.getMessage()).contains("does not exist");
    }

    @Test
    void oversizedFileIsNotRead() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path huge = write("huge.log", new byte[CertificateLoader.MAX_FILE_BYTES + 1]);
        Path key = write("privkey.pem", TestPki.pkcs8(leaf.key()));
        assertRefused(() -> new PemFiles(huge, key).load(CLOCK), Reason.UNREADABLE, huge);
    }

    @Test
    void garbledFilesAreMalformedAndNamed() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path goodChain = write("fullchain.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        Path goodKey = write("privkey.pem", TestPki.pkcs8(leaf.key()));

        Path noPem = write("notes.txt", "hello, I am not a certificate\n");
        assertRefused(() -> new PemFiles(noPem, goodKey).load(CLOCK), Reason.MALFORMED, noPem);

        Path brokenBase64 = write("broken.pem", "-----BEGIN CERTIFICATE-----\nMIIB!!!not base64***\n-----END CERTIFICATE-----\n");
        assertRefused(() -> new PemFiles(brokenBase64, goodKey).load(CLOCK), Reason.MALFORMED, brokenBase64);

        String pem = TestPki.pem(leaf.certificate());
        Path truncated = write("truncated.pem", pem.substring(0, pem.length() / 2));
        assertRefused(() -> new PemFiles(truncated, goodKey).load(CLOCK), Reason.MALFORMED, truncated);

        Path der = write("cert.der", leaf.certificate().getEncoded());
        CertificateLoadException e = assertRefused(() -> new PemFiles(der, goodKey).load(CLOCK), Reason.MALFORMED, der);
        assertThat(e.getMessage()).contains("DER");

        Path empty = write("empty.pem", "");
        assertRefused(() -> new PemFiles(goodChain, empty).load(CLOCK), Reason.MALFORMED, empty);

        Path certAsKey = write("swapped.pem", TestPki.pem(leaf.certificate()));
        CertificateLoadException noKey = assertRefused(() -> new PemFiles(goodChain, certAsKey).load(CLOCK), Reason.MALFORMED, certAsKey);
        assertThat(noKey.getMessage()).contains("holds no private key");
    }

    @Test
    void encryptedOrDoubledKeysAreUnsupported() throws Exception {
        Issued leaf = TestPki.leaf(CA, "CN=mx.example.com");
        Path chain = write("fullchain.pem", TestPki.pem(leaf.certificate(), CA.certificate()));
        String pkcs8Encrypted = TestPki.pem(new JcaPKCS8Generator(leaf.key(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                        .setPassword("pw".toCharArray()).build()));
        assertThat(pkcs8Encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        Path encrypted = write("enc.pem", pkcs8Encrypted);
        assertRefused(() -> new PemFiles(chain, encrypted).load(CLOCK), Reason.UNSUPPORTED, encrypted);

        StringWriter legacy = new StringWriter(); // PKCS#1 with Proc-Type: 4,ENCRYPTED
        try (JcaPEMWriter w = new JcaPEMWriter(legacy)) {
            w.writeObject(leaf.key(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider()).build("pw".toCharArray()));
        }
        assertThat(legacy.toString()).contains("ENCRYPTED");
        Path encryptedPkcs1 = write("enc1.pem", legacy.toString());
        assertRefused(() -> new PemFiles(chain, encryptedPkcs1).load(CLOCK), Reason.UNSUPPORTED, encryptedPkcs1);

        Path two = write("two.pem", TestPki.pkcs8(leaf.key()) + TestPki.pkcs8(TestPki.rsa().getPrivate()));
        assertRefused(() -> new PemFiles(chain, two).load(CLOCK), Reason.UNSUPPORTED, two);
    }

    private static CertificateLoadException assertRefused(Runnable load, Reason reason, Path file) {
        return assertThatThrownBy(load::run)
                .isInstanceOf(PermanentException.class)
                .asInstanceOf(type(CertificateLoadException.class))
                .satisfies(e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.file()).isEqualTo(Optional.of(file));
                    assertThat(e.getMessage()).contains(file.toString());
                })
                .actual();
    }
}
