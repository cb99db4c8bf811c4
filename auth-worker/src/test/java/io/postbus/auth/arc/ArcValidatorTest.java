package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.postbus.auth.arc.SignatureCheck.Status;
import io.postbus.auth.dkim.TagList;
import io.postbus.auth.message.RawMessage;
import io.postbus.core.dns.DnsResult.Failure.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The validator's steps and reasons (RFC 8617 §5.2), on suite messages and on chains sealed here. */
class ArcValidatorTest {
    private static List<JsonNode> suite;

    @BeforeAll
    static void load() throws Exception {
        suite = Conformance.yamlStream(Conformance.DIR.resolve("valimail-arc/arc-draft-validation-tests.yml"));
    }

    /** Validates one named case of the ValiMail validation suite with its scenario's DNS. */
    private static ArcValidation suiteCase(String name) {
        for (JsonNode scenario : suite) {
            JsonNode test = scenario.get("tests").get(name);
            if (test != null) {
                TxtRecordsResolver dns = TxtRecordsResolver.of(Conformance.textMap(scenario.get("txt-records")));
                return new ArcValidator(dns, ArcHops.CLOCK, ArcSettings.defaults())
                        .validate(RawMessage.parse(Conformance.crlf(test.get("message").asText())));
            }
        }
        throw new IllegalArgumentException("no case " + name);
    }

    @Test
    void rsaKeysBelow1024BitsAreRefused() {
        // RFC 8301 §3.2.
        ArcValidation result = suiteCase("as_fields_b_512"); // its AMS and AS both use the 512-bit key
        assertThat(result.failure().orElseThrow().step()).isEqualTo(ValidationStep.LATEST_MESSAGE_SIGNATURE);
        assertThat(result.instanceResults().get(0).messageSignature().status()).isEqualTo(Status.PERMERROR);
        assertThat(result.instanceResults().get(0).messageSignature().reason()).contains("512 bits", "RFC 8301 §3.2");
        assertThatThrownBy(() -> new ArcSettings(512)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rsaSha1IsRefused() {
        // RFC 8301 §3.1.
        ArcValidation result = suiteCase("ams_fields_a_sha1");
        assertThat(result.failure().orElseThrow().step()).isEqualTo(ValidationStep.LATEST_MESSAGE_SIGNATURE);
        assertThat(result.instanceResults().get(0).messageSignature().reason()).contains("rsa-sha1", "RFC 8301");
    }

    @Test
    void aSealWithHBreaksTheStructureAndAnAmsOverTheSealIsRefused() {
        // RFC 8617 §4.1.3 (AS h=) and §4.1.2 (ARC fields outside the AMS).
        ArcValidation sealWithH = suiteCase("as_fields_h_present");
        assertThat(sealWithH.failure().orElseThrow().step()).isEqualTo(ValidationStep.STRUCTURE);
        assertThat(sealWithH.failure().orElseThrow().reason()).isEqualTo("ARC-Seal i=1 has an h= tag (RFC 8617 §4.1.3)");
        // Without this rule the case would pass: its AMS really was signed over ARC-Seal i=1.
        assertThat(suiteCase("ams_fields_h_includes_as").instanceResults().get(1).messageSignature().reason())
                .isEqualTo("h= covers ARC-Seal (RFC 8617 §4.1.2)");
    }

    @Test
    void cvRulesAreStructuralAndTheNewestSealsFailEndsTheChainFirst() {
        // RFC 8617 §5.2 steps 2 and 3.
        ArcValidation wrongCv = suiteCase("cv_fail_i2_as1_pass");
        assertThat(wrongCv.failure().orElseThrow().step()).isEqualTo(ValidationStep.STRUCTURE);
        assertThat(wrongCv.failure().orElseThrow().reason()).isEqualTo("ARC-Seal i=1 says cv=pass, must be none");
        ArcValidation latestFail = suiteCase("cv_fail_i2_as2_fail");
        assertThat(latestFail.failure().orElseThrow().step()).isEqualTo(ValidationStep.LATEST_CHAIN_STATUS);
        assertThat(latestFail.instances()).isEqualTo(2);
    }

    @Test
    void anOlderBrokenAmsOnlyMovesOldestPass() {
        // RFC 8617 §5.2 step 5.
        ArcValidation result = suiteCase("cv_pass_i2_1_ams1_invalid");
        assertThat(result.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(result.oldestPass()).isEqualTo(OptionalInt.of(2));
        assertThat(result.instanceResults()).extracting(r -> r.messageSignature().status()).containsExactly(Status.FAIL, Status.PASS);
        assertThat(suiteCase("cv_pass_i3_1").oldestPass()).isEqualTo(OptionalInt.of(0));
    }

    @Test
    void noArcFieldsIsNone() {
        ArcValidation result = suiteCase("cv_base1");
        assertThat(result).isEqualTo(ArcValidation.none());
    }

    @Test
    void moreThanFiftySetsFailsAtStepOne() {
        String fields = "ARC-Seal: i=51; a=rsa-sha256; cv=pass; d=example.org; s=s; b=AAAA\r\n"
                + "ARC-Message-Signature: i=51; a=rsa-sha256; d=example.org; s=s; h=from; bh=AAAA; b=AAAA\r\n"
                + "ARC-Authentication-Results: i=51; mx.example; spf=pass\r\nFrom: a@example.org\r\n\r\nhi\r\n";
        ArcValidation result = new ArcValidator(TxtRecordsResolver.of(java.util.Map.of()), ArcHops.CLOCK, ArcSettings.defaults())
                .validate(RawMessage.parse(fields.getBytes(StandardCharsets.US_ASCII)));
        assertThat(result.failure().orElseThrow().step()).isEqualTo(ValidationStep.COLLECT_SETS);
        assertThat(result.instances()).isEqualTo(51);
    }

    @Test
    void aDnsFailureOnTheNewestKeyIsATemporaryFailure() throws Exception {
        byte[] sealed = new ArcHops(Rfc8463Keys.dns()).hop(Rfc8463Keys.signedMessage(), "mx.one.example", Rfc8463Keys.rsa());
        ArcHops down = new ArcHops(Rfc8463Keys.dns().withFailure("test._domainkey.football.example.com", Kind.TIMEOUT));
        ArcValidation result = down.validate(sealed);
        assertThat(result.status()).isEqualTo(ChainValidationStatus.FAIL);
        assertThat(result.temporaryFailure()).isTrue();
        assertThat(result.failure().orElseThrow().step()).isEqualTo(ValidationStep.LATEST_MESSAGE_SIGNATURE);
        assertThat(result.instanceResults().get(0).messageSignature().status()).isEqualTo(Status.TEMPERROR);
    }

    @Test
    void aDnsFailureOnAnOlderSealIsATemporaryFailureAtStepSix() throws Exception {
        ArcHops up = new ArcHops(Rfc8463Keys.dns());
        byte[] sealed = up.hop(up.hop(Rfc8463Keys.signedMessage(), "mx.one.example", Rfc8463Keys.rsa()),
                "mx.two.example", Rfc8463Keys.ed25519());
        ArcValidation result = new ArcHops(Rfc8463Keys.dns().withFailure("test._domainkey.football.example.com", Kind.SERVFAIL))
                .validate(sealed);
        assertThat(result.temporaryFailure()).isTrue();
        assertThat(result.failure().orElseThrow().step()).isEqualTo(ValidationStep.SEALS);
        assertThat(result.failure().orElseThrow().instance()).isEqualTo(1);
        assertThat(result.instanceResults().get(1).seal().passed()).isTrue();
        assertThat(result.oldestPass()).isEqualTo(OptionalInt.of(2));
    }

    @Test
    void aMissingKeyIsPermanent() throws Exception {
        byte[] sealed = new ArcHops(Rfc8463Keys.dns()).hop(Rfc8463Keys.signedMessage(), "mx.one.example", Rfc8463Keys.rsa());
        ArcValidation result = new ArcHops(TxtRecordsResolver.of(java.util.Map.of())).validate(sealed);
        assertThat(result.temporaryFailure()).isFalse();
        assertThat(result.instanceResults().get(0).messageSignature().status()).isEqualTo(Status.PERMERROR);
        assertThat(result.instanceResults().get(0).messageSignature().reason()).startsWith("no key record at test._domainkey");
    }

    @Test
    void anExpiredSignatureIsUnusable() {
        // RFC 6376 §3.5 x=, imported by RFC 8617 §4.1.2.
        TagList tags = TagList.parse("a=rsa-sha256; b=AAAA; d=example.org; s=s; t=100; x=200");
        assertThatThrownBy(() -> CommonSignatureTags.read(tags, Instant.ofEpochSecond(201)))
                .isInstanceOf(CommonSignatureTags.Invalid.class).hasMessageContaining("expired");
        TagList backwards = TagList.parse("a=rsa-sha256; b=AAAA; d=example.org; s=s; t=300; x=200");
        assertThatThrownBy(() -> CommonSignatureTags.read(backwards, Instant.ofEpochSecond(1)))
                .isInstanceOf(CommonSignatureTags.Invalid.class).hasMessageContaining("x= is before t=");
    }
}
