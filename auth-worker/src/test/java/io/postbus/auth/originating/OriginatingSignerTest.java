package io.postbus.auth.originating;

import static org.assertj.core.api.Assertions.assertThat;

import io.postbus.auth.dkim.DkimResult;
import io.postbus.auth.dkim.DkimSigner;
import io.postbus.auth.dkim.DkimVerdict;
import io.postbus.auth.dkim.DkimVerifier;
import io.postbus.auth.dkim.KeyType;
import io.postbus.auth.dkim.keys.DkimKeyGenerator;
import io.postbus.auth.dkim.keys.SigningKeys;
import io.postbus.auth.dkim.keys.TableSource;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import io.postbus.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dual signing from OpenDKIM tables, forged claims removed before signing, selector rotation without restart. */
class OriginatingSignerTest {
    static final String US = "mx.postbus.test";

    @TempDir
    Path dir;

    @Test
    void dualSignsFromTheTablesAndBothSignaturesVerify() throws Exception {
        StringBuilder zone = new StringBuilder("$ORIGIN example.com.\n");
        zone.append(key(KeyType.RSA, "rsa1")).append(key(KeyType.ED25519, "ed1"));
        Files.writeString(dir.resolve("KeyTable"), "rsa1 example.com:rsa1:" + dir.resolve("rsa1.pem") + "\n"
                + "ed1 example.com:ed1:" + dir.resolve("ed1.pem") + "\n");
        Files.writeString(dir.resolve("SigningTable"), "*@example.com rsa1\n*@example.com ed1\n");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        OriginatingSigner signer = new OriginatingSigner(US, SigningKeysSource.load(config(), clock, Duration.ofSeconds(30),
                p -> { }), DkimSigner.Settings.defaults(), clock);

        byte[] msg = ("Authentication-Results: " + US + "; dkim=pass header.d=bank.example\r\n"
                + "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        OriginatingSigner.Signed signed = signer.sign(msg);
        assertThat(signed.keys()).extracting(k -> k.algorithm().tagValue()).containsExactly("rsa-sha256", "ed25519-sha256");
        String text = new String(signed.message(), StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("Authentication-Results").contains("From: Alice");

        List<DkimResult> results = new DkimVerifier(ZoneFileResolver.fromString(".", zone.toString()), clock,
                DkimVerifier.Settings.defaults()).verify(RawMessage.parse(signed.message()));
        assertThat(results).extracting(DkimResult::verdict).containsExactly(DkimVerdict.PASS, DkimVerdict.PASS);
    }

    @Test
    void aNewSelectorGoesLiveWithoutRestartAndABrokenTableKeepsTheLastGoodKeys() throws Exception {
        key(KeyType.RSA, "old");
        key(KeyType.RSA, "new");
        Files.writeString(dir.resolve("KeyTable"), "k example.com:old:" + dir.resolve("old.pem") + "\n");
        Files.writeString(dir.resolve("SigningTable"), "*@example.com k\n");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        List<String> problems = new ArrayList<>();
        SigningKeysSource source = SigningKeysSource.load(config(), clock, Duration.ofSeconds(30), problems::add);
        OriginatingSigner signer = new OriginatingSigner(US, source, DkimSigner.Settings.defaults(), clock);
        byte[] msg = "From: alice@example.com\r\nSubject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(signer.sign(msg).keys()).extracting(k -> k.selector()).containsExactly("old");

        Files.writeString(dir.resolve("KeyTable"), "k example.com:new:" + dir.resolve("new.pem") + "\n");
        assertThat(signer.sign(msg).keys()).as("not checked before the interval").extracting(k -> k.selector()).containsExactly("old");
        clock.advance(Duration.ofSeconds(31));
        assertThat(signer.sign(msg).keys()).extracting(k -> k.selector()).containsExactly("new");

        Files.writeString(dir.resolve("KeyTable"), "k example.com:new:" + dir.resolve("missing.pem") + "\n");
        clock.advance(Duration.ofSeconds(31));
        assertThat(signer.sign(msg).keys()).extracting(k -> k.selector()).containsExactly("new");
        assertThat(problems).singleElement().asString().contains("missing.pem");
    }

    @Test
    void mailFromADomainWithoutKeysPassesUnsigned() throws Exception {
        key(KeyType.RSA, "k1");
        Files.writeString(dir.resolve("KeyTable"), "k example.com:k1:" + dir.resolve("k1.pem") + "\n");
        Files.writeString(dir.resolve("SigningTable"), "*@example.com k\n");
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        OriginatingSigner signer = new OriginatingSigner(US, SigningKeysSource.load(config(), clock, Duration.ofSeconds(30),
                p -> { }), DkimSigner.Settings.defaults(), clock);
        byte[] msg = "From: someone@other.example\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        OriginatingSigner.Signed signed = signer.sign(msg);
        assertThat(signed.keys()).isEmpty();
        assertThat(signed.message()).isEqualTo(msg);
    }

    private SigningKeys.Config config() {
        return new SigningKeys.Config(TableSource.parse("file:" + dir.resolve("KeyTable")),
                TableSource.parse("refile:" + dir.resolve("SigningTable")), true);
    }

    private String key(KeyType type, String selector) throws Exception {
        return new DkimKeyGenerator().generate(type, 2048, "example.com", selector, dir.resolve(selector + ".pem")).zoneText();
    }
}
