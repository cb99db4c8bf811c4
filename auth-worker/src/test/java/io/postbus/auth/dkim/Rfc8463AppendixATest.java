package io.postbus.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postbus.auth.dkim.keys.PrivateKeyFiles;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.zone.ZoneFileResolver;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** RFC 8463 Appendix A through the verifier and the signer (conformance README §4). */
class Rfc8463AppendixATest {
    static final Path DIR = Conformance.path("rfc8463-appendix-a");
    static final Clock SIGNING_TIME = Clock.fixed(Instant.ofEpochSecond(1528637909), ZoneOffset.UTC);

    @Test
    void bothSignaturesVerify() {
        RawMessage message = RawMessage.parse(Conformance.crlf(DIR.resolve("signed.eml")));
        ZoneFileResolver dns = ZoneFileResolver.fromString("example.com.", Conformance.read(DIR.resolve("dns-records.txt")));
        List<DkimResult> results = new DkimVerifier(dns, SIGNING_TIME, DkimVerifier.Settings.defaults()).verify(message);

        assertThat(results).extracting(DkimResult::verdict).containsExactly(DkimVerdict.PASS, DkimVerdict.PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactly("ed25519-sha256", "rsa-sha256");
        assertThat(results).extracting(DkimResult::selector).containsExactly("brisbane", "test");
        assertThat(results).extracting(DkimResult::keyBits).containsExactly(256, 1024);
        assertThat(results).allSatisfy(r -> {
            assertThat(r.domain()).isEqualTo("football.example.com");
            assertThat(r.identity()).isEqualTo("@football.example.com");
            assertThat(r.headerB()).hasSize(8);
        });
        assertThat(results.get(0).headerB()).isEqualTo("/gCrinpc");
        assertThat(results.get(1).headerB()).isEqualTo("F45dVWDf");
        System.out.printf("rfc8463-appendix-a verify: %d/2 pass%n", results.stream().filter(DkimResult::passed).count());
    }

    @Test
    void reSigningTheUnsignedMessageWithTheSameTagsReproducesBothSignaturesByteForByte() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("expected.json").toFile()).get("sign_expect");
        RawMessage signed = RawMessage.parse(Conformance.crlf(DIR.resolve("signed.eml")));
        RawMessage unsigned = RawMessage.parse(Conformance.crlf(DIR.resolve("unsigned.eml")));
        PrivateKey ed25519 = PrivateKeyFiles.parse(Conformance.read(DIR.resolve("ed25519-private-seed.b64")), DIR);
        PrivateKey rsa = PrivateKeyFiles.read(DIR.resolve("rsa-private.pem"));

        String bh = Base64.getEncoder().encodeToString(
                BodyHash.of(unsigned, Canonicalization.RELAXED, OptionalLong.empty()).hash());
        assertThat(bh).isEqualTo(expected.get("bh").asText());

        int reproduced = 0;
        for (HeaderField original : signed.headers("DKIM-Signature")) {
            boolean isEd = original.unfoldedValue().contains("ed25519-sha256");
            HeaderField template = SignedHeaders.withEmptySignature(original);
            HeaderField resigned = DkimSigner.signTemplate(unsigned, template, isEd ? ed25519 : rsa);
            // Every byte but b='s value is the template's; the value itself is compared unfolded.
            assertThat(SignedHeaders.withEmptySignature(resigned).raw()).isEqualTo(template.raw());
            String b = TagList.withoutWhitespace(TagList.parse(resigned.unfoldedValue()).require("b"));
            assertThat(b).isEqualTo(expected.get(isEd ? "ed25519_b" : "rsa_b").asText());
            reproduced++;
        }
        System.out.printf("rfc8463-appendix-a re-sign: %d/2 byte-exact%n", reproduced);
        assertThat(reproduced).isEqualTo(2);
    }
}
