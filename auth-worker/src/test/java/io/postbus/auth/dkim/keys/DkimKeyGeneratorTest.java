package io.postbus.auth.dkim.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.dkim.KeyRecord;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DkimKeyGenerator: key files (mode 0600, PKCS#8) and opendkim-genkey-style TXT records (RFC 6376 §3.6.1). */
class DkimKeyGeneratorTest {
    static final byte[] DATA = "From: a@example.com\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void rsaKeyFileIsPrivateAndTheRecordPublishesItsPublicHalf() throws Exception {
        DkimKeyGenerator.GeneratedKey g = new DkimKeyGenerator().generate(KeyType.RSA, DkimKeyGenerator.DEFAULT_RSA_BITS,
                "example.com", "sel2024", dir.resolve("sel2024.private"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(g.privateKeyFile()))).isEqualTo("rw-------");
        assertThat(Files.readString(g.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(g.txtValue()).startsWith("v=DKIM1; h=sha256; k=rsa; p=MIIBIjAN");
        assertMatchingPair(g, SigningAlgorithm.RSA_SHA256);
        assertThat(g.zoneText()).startsWith("sel2024._domainkey\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=rsa; \"\n\t  \"p=")
                .endsWith("\" )  ; ----- DKIM key sel2024 for example.com\n");
        List<String> strings = strings(g.zoneText());
        assertThat(strings).hasSizeGreaterThan(2).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));
        assertThat(String.join("", strings)).isEqualTo(g.txtValue());
    }

    @Test
    void ed25519RecordCarriesTheRawPublicKey() throws Exception {
        DkimKeyGenerator.GeneratedKey g = new DkimKeyGenerator().generate(KeyType.ED25519, 0, "example.com", "ed",
                dir.resolve("ed.private"));
        assertThat(g.txtValue()).matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertMatchingPair(g, SigningAlgorithm.ED25519_SHA256);
        assertThat(String.join("", strings(g.zoneText()))).isEqualTo(g.txtValue());
    }

    @Test
    void neverOverwritesAKeyAndRefusesSmallRsa() throws Exception {
        Path file = Files.writeString(dir.resolve("taken.private"), "old key");
        assertThatThrownBy(() -> new DkimKeyGenerator().generate(KeyType.ED25519, 0, "example.com", "s", file))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("old key");
        assertThatThrownBy(() -> new DkimKeyGenerator().generate(KeyType.RSA, 512, "example.com", "s", dir.resolve("small")))
                .hasMessageContaining("RFC 8301");
        assertThat(dir.resolve("small")).doesNotExist();
    }

    static void assertMatchingPair(DkimKeyGenerator.GeneratedKey g, SigningAlgorithm algorithm) throws Exception {
        KeyRecord record = KeyRecord.parse(g.txtValue());
        assertThat(record.keyType()).isEqualTo(algorithm.keyType());
        byte[] signature = algorithm.sign(PrivateKeyFiles.read(g.privateKeyFile()), DATA);
        assertThat(algorithm.verify(record.publicKey().orElseThrow(), DATA, signature)).isTrue();
    }

    static List<String> strings(String zoneText) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(zoneText);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
