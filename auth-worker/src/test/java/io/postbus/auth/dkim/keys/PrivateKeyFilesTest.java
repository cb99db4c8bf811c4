package io.postbus.auth.dkim.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.dkim.DkimKeys;
import io.postbus.auth.dkim.KeyRecord;
import io.postbus.auth.dkim.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The private key files signers leave behind (PKCS#1, PKCS#8, dkimpy's seed), read into JDK keys. */
class PrivateKeyFilesTest {
    static final Path SHARED = Path.of(System.getProperty("postbus.shared.dir", "../../shared")).resolve("conformance");
    static final byte[] DATA = "From: a@example.com\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void readsPkcs1RsaPemAsTheRfc8463ExampleIsWritten() throws Exception {
        Path pem = SHARED.resolve("rfc8463-appendix-a/rsa-private.pem");
        assertThat(Files.readString(pem)).contains("BEGIN RSA PRIVATE KEY");
        PrivateKey key = PrivateKeyFiles.read(pem);
        assertThat(key.getAlgorithm()).isEqualTo("RSA");
        PublicKey published = KeyRecord.parse(Files.readString(SHARED.resolve("dkimpy/data/test.txt")).strip()).publicKey().orElseThrow();
        assertThat(SigningAlgorithm.RSA_SHA256.verify(published, DATA, SigningAlgorithm.RSA_SHA256.sign(key, DATA))).isTrue();
    }

    @Test
    void readsPkcs8RsaAndEd25519Pem() throws Exception {
        for (String algorithm : new String[] {"RSA", "Ed25519"}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            KeyPair pair = g.generateKeyPair();
            Path file = Files.writeString(dir.resolve(algorithm + ".pem"), "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            PrivateKey key = PrivateKeyFiles.read(file);
            SigningAlgorithm a = algorithm.equals("RSA") ? SigningAlgorithm.RSA_SHA256 : SigningAlgorithm.ED25519_SHA256;
            assertThat(a.verify(pair.getPublic(), DATA, a.sign(key, DATA))).as(algorithm).isTrue();
        }
    }

    @Test
    void readsDkimpysBase64Ed25519Seed() throws Exception {
        PrivateKey key = PrivateKeyFiles.read(SHARED.resolve("dkimpy/data/ed25519test.key"));
        PublicKey published = KeyRecord.parse(Files.readString(SHARED.resolve("dkimpy/data/ed25519test.dns")).strip())
                .publicKey().orElseThrow();
        assertThat(SigningAlgorithm.ED25519_SHA256.verify(published, DATA, SigningAlgorithm.ED25519_SHA256.sign(key, DATA))).isTrue();
    }

    @Test
    void readsBase64DerWithoutArmourAsAKeyTableMayHoldIt() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        PrivateKey key = PrivateKeyFiles.parse(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), dir);
        assertThat(SigningAlgorithm.RSA_SHA256.verify(pair.getPublic(), DATA, SigningAlgorithm.RSA_SHA256.sign(key, DATA))).isTrue();
    }

    @Test
    void errorsNameTheFile() throws Exception {
        Path missing = dir.resolve("missing.private");
        assertThatThrownBy(() -> PrivateKeyFiles.read(missing)).isInstanceOf(KeyFileException.class)
                .hasMessageContaining("missing.private").satisfies(e -> assertThat(((KeyFileException) e).file()).isEqualTo(missing));
        Path garbage = Files.writeString(dir.resolve("garbage.private"), "this is no key\n");
        assertThatThrownBy(() -> PrivateKeyFiles.read(garbage)).hasMessageContaining("garbage.private");
        Path publicOnly = Files.writeString(dir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> PrivateKeyFiles.read(publicOnly)).hasMessageContaining("public.pem").hasMessageContaining("not a private key");
        Path encrypted = dir.resolve("enc.pem");
        try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(Files.newBufferedWriter(encrypted))) {
            writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(
                    KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate(),
                    new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                            org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .setPassword("secret".toCharArray()).build()));
        }
        assertThat(Files.readString(encrypted)).contains("ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> PrivateKeyFiles.read(encrypted)).hasMessageContaining("enc.pem").hasMessageContaining("encrypted");
        Path shortSeed = Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[31]));
        assertThatThrownBy(() -> PrivateKeyFiles.read(shortSeed)).hasMessageContaining("short.key");
    }

    @Test
    void ed25519PublicKeyFromAReadSeedMatchesTheRfc8463Record() throws Exception {
        PrivateKey key = PrivateKeyFiles.read(SHARED.resolve("rfc8463-appendix-a/ed25519-private-seed.b64"));
        PublicKey published = DkimKeys.publicKey(io.postbus.auth.dkim.KeyType.ED25519,
                Base64.getDecoder().decode("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="));
        assertThat(SigningAlgorithm.ED25519_SHA256.verify(published, DATA, SigningAlgorithm.ED25519_SHA256.sign(key, DATA))).isTrue();
    }
}
