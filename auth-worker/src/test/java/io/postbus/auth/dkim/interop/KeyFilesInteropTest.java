package io.postbus.auth.dkim.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.KeyRecord;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.testkit.ExternalTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files and TXT records made by opendkim-genkey and openssl, read by Postbus; ours laid out like theirs. */
class KeyFilesInteropTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final byte[] DATA = "From: a@example.com\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void opendkimGenkeyOutputIsReadAndOursHasItsLayout() throws Exception {
        ExternalTool.run(TIMEOUT, List.of("opendkim-genkey", "-b", "2048", "-d", "example.com", "-s", "theirs",
                "-D", dir.toString())).assertSuccess();
        PrivateKey theirKey = PrivateKeyFiles.read(dir.resolve("theirs.private"));
        String theirText = Files.readString(dir.resolve("theirs.txt"));
        KeyRecord theirRecord = KeyRecord.parse(joined(theirText));
        byte[] sig = SigningAlgorithm.RSA_SHA256.sign(theirKey, DATA);
        assertThat(SigningAlgorithm.RSA_SHA256.verify(theirRecord.publicKey().orElseThrow(), DATA, sig)).isTrue();

        DkimKeyGenerator.GeneratedKey ours = new DkimKeyGenerator().generate(KeyType.RSA, 2048, "example.com", "theirs",
                dir.resolve("ours.private"));
        assertThat(shape(ours.zoneText())).isEqualTo(shape(theirText));
    }

    @Test
    void opensslKeysAreRead() throws Exception {
        Path ed = dir.resolve("ed.pem");
        Path rsa1 = dir.resolve("rsa-pkcs1.pem");
        ExternalTool.run(TIMEOUT, List.of("openssl", "genpkey", "-algorithm", "ed25519", "-out", ed.toString())).assertSuccess();
        ExternalTool.run(TIMEOUT, List.of("openssl", "genrsa", "-traditional", "-out", rsa1.toString(), "2048")).assertSuccess();
        assertThat(Files.readString(rsa1)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(PrivateKeyFiles.read(ed).getAlgorithm()).isIn("Ed25519", "EdDSA");
        assertThat(PrivateKeyFiles.read(rsa1).getAlgorithm()).isEqualTo("RSA");
    }

    /** The record with every base64 run and selector-independent detail blanked: the layout only. */
    static String shape(String zoneText) {
        return zoneText.replaceAll("p=[A-Za-z0-9+/=]+", "p=…").replaceAll("\"[A-Za-z0-9+/=]+\"", "\"…\"");
    }

    static String joined(String zoneText) {
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(zoneText);
        while (m.find()) {
            sb.append(m.group(1));
        }
        return sb.toString();
    }
}
