package io.postbus.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postbus.auth.dkim.SigningAlgorithm;
import io.postbus.auth.dkim.TagList;
import io.postbus.auth.message.HeaderField;
import io.postbus.auth.message.RawMessage;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sealer's rules (RFC 8617 §5.1, §4.1.2, §4.2.1) and the shape of what it writes. */
class ArcSealerTest {
    private ArcHops hops;
    private RawMessage plain;
    private ArcSealer sealer;

    @BeforeEach
    void setUp() throws Exception {
        hops = new ArcHops(Rfc8463Keys.dns());
        plain = RawMessage.parse(Rfc8463Keys.signedMessage());
        sealer = new ArcSealer(Rfc8463Keys.rsa(), ArcHops.CLOCK);
    }

    @Test
    void writesTheStandardizedTagSets() {
        ArcSetHeaders set = sealed(sealer.seal(plain, "mx.example", "mx.example; arc=none; spf=pass smtp.mailfrom=a@b.example",
                ArcValidation.none(), List.of("From", "To", "Subject")));
        assertThat(TagList.parse(set.seal().unfoldedValue()).asMap().keySet()).containsExactly("a", "b", "cv", "d", "i", "s", "t");
        assertThat(TagList.parse(set.messageSignature().unfoldedValue()).asMap().keySet())
                .containsExactly("a", "b", "bh", "c", "d", "h", "i", "s", "t");
        assertThat(TagList.parse(set.messageSignature().unfoldedValue()).get("h")).contains("from:to:subject");
        assertThat(TagList.parse(set.seal().unfoldedValue()).get("t")).contains(Long.toString(ArcHops.CLOCK.instant().getEpochSecond()));
        assertThat(set.authenticationResults().unfoldedValue().replaceAll("\\s+", " "))
                .isEqualTo(" i=1; mx.example; arc=none; spf=pass smtp.mailfrom=a@b.example");
        assertThat(set.topDown()).extracting(HeaderField::name).containsExactly("ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results");
    }

    @Test
    void foldsOnlyBetweenTagsSoTheRelaxedFormIsTheOneLineForm() {
        ArcSetHeaders set = sealed(sealer.seal(plain, "mx.example", "mx.example; " + "dkim=pass header.d=football.example.com; ".repeat(6) + "spf=pass",
                ArcValidation.none(), ArcHops.SIGNED));
        for (HeaderField field : set.topDown()) {
            String raw = new String(field.raw(), StandardCharsets.UTF_8);
            assertThat(raw).contains("\r\n\t");
            assertThat(raw.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThan(998));
            assertThat(raw.replace(";\r\n\t", "; ")).doesNotContain("\r\n\t");
        }
    }

    @Test
    void aChainWhoseNewestSealSaysFailGetsNoNewSet() {
        // §5.1 step 1.
        String failed = "ARC-Seal: i=1; a=rsa-sha256; cv=fail; d=example.org; s=s; b=AAAA\r\n";
        RawMessage message = RawMessage.parse(ArcHops.concat(failed.getBytes(StandardCharsets.US_ASCII), plain.bytes()));
        ArcValidation validation = hops.validate(message.bytes());
        SealOutcome outcome = sealer.seal(message, "mx.example", "mx.example; arc=fail", validation, ArcHops.SIGNED);
        assertThat(outcome).isInstanceOf(SealOutcome.NotSealed.class);
        assertThat(((SealOutcome.NotSealed) outcome).reason()).isEqualTo(SealOutcome.Reason.CHAIN_ALREADY_FAILED);
    }

    @Test
    void aTemporarilyUnverifiableChainIsNotSealedWithCvFail() throws Exception {
        byte[] first = hops.hop(plain.bytes(), "mx.one.example", Rfc8463Keys.rsa());
        ArcValidation dnsDown = new ArcValidation(ChainValidationStatus.FAIL, 1, OptionalInt.empty(), List.of(),
                Optional.of(new ArcFailure(ValidationStep.LATEST_MESSAGE_SIGNATURE, 1, "key query failed: TIMEOUT", true)));
        SealOutcome outcome = sealer.seal(RawMessage.parse(first), "mx.example", "mx.example; arc=temperror", dnsDown, ArcHops.SIGNED);
        assertThat(outcome).isEqualTo(new SealOutcome.NotSealed(SealOutcome.Reason.VALIDATION_TEMPORARILY_FAILED, "key query failed: TIMEOUT"));
    }

    @Test
    void fiftySetsPassAndAFiftyFirstIsRefused() throws Exception {
        // §4.2.1: i ranges 1..50. Alternate RSA and Ed25519 sealers, as two forwarding ADMDs would.
        byte[] message = plain.bytes();
        for (int i = 1; i <= ArcChain.MAX_INSTANCE; i++) {
            message = hops.hop(message, "mx" + i + ".example", i % 2 == 0 ? Rfc8463Keys.ed25519() : Rfc8463Keys.rsa());
        }
        ArcValidation fifty = hops.validate(message);
        assertThat(fifty.status()).isEqualTo(ChainValidationStatus.PASS);
        assertThat(fifty.instances()).isEqualTo(50);
        SealOutcome outcome = sealer.seal(RawMessage.parse(message), "mx.example", "mx.example; arc=pass", fifty, ArcHops.SIGNED);
        assertThat(outcome).isInstanceOf(SealOutcome.NotSealed.class);
        assertThat(((SealOutcome.NotSealed) outcome).reason()).isEqualTo(SealOutcome.Reason.INSTANCE_LIMIT);
    }

    @Test
    void refusesArgumentsThatBreakTheRfcOrEachOther() throws Exception {
        ArcValidation none = ArcValidation.none();
        assertThatThrownBy(() -> sealer.seal(plain, "mx.example", "other.example; spf=pass", none, ArcHops.SIGNED))
                .hasMessageContaining("does not start with authserv-id");
        assertThatThrownBy(() -> sealer.seal(plain, "mx.example", "mx.example; spf=pass\r\nBcc: victim@example.org", none, ArcHops.SIGNED))
                .hasMessageContaining("bare CR, LF");
        assertThatThrownBy(() -> sealer.seal(plain, "mx.example", "mx.example; spf=pass", none, List.of("from", "Authentication-Results")))
                .hasMessageContaining("RFC 8617 §4.1.2");
        assertThatThrownBy(() -> sealer.seal(plain, "mx.example", "mx.example; spf=pass", none, List.of("from", "arc-seal")))
                .hasMessageContaining("RFC 8617 §4.1.2");
        assertThatThrownBy(() -> sealer.seal(plain, "mx.example", "mx.example; spf=pass", none, List.of("to", "subject")))
                .hasMessageContaining("From");
        RawMessage sealedOnce = RawMessage.parse(hops.hop(plain.bytes(), "mx.one.example", Rfc8463Keys.rsa()));
        assertThatThrownBy(() -> sealer.seal(sealedOnce, "mx.example", "mx.example; arc=none", none, ArcHops.SIGNED))
                .hasMessageContaining("does not belong to this message");
        // A payload folded by the caller is kept, folding and all.
        ArcSetHeaders folded = sealed(sealer.seal(plain, "mx.example", "mx.example;\r\n spf=pass", none, ArcHops.SIGNED));
        assertThat(folded.authenticationResults().unfoldedValue()).isEqualTo(" i=1; mx.example; spf=pass");
    }

    @Test
    void signingKeysAreCheckedWhenMade() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(512);
        assertThatThrownBy(() -> new ArcSigningKey("example.org", "s", SigningAlgorithm.RSA_SHA256, generator.generateKeyPair().getPrivate()))
                .hasMessageContaining("RFC 8301 §3.2");
        assertThatThrownBy(() -> new ArcSigningKey("example.org", "s", SigningAlgorithm.ED25519_SHA256, Rfc8463Keys.rsa().privateKey()))
                .hasMessageContaining("cannot sign ed25519-sha256");
        assertThatThrownBy(() -> new ArcSigningKey("exa mple.org", "s", SigningAlgorithm.RSA_SHA256, Rfc8463Keys.rsa().privateKey()))
                .hasMessageContaining("not a domain name");
        assertThat(new ArcSigningKey("Example.ORG", "Sel", SigningAlgorithm.RSA_SHA256, Rfc8463Keys.rsa().privateKey()).domain())
                .isEqualTo("example.org");
    }

    private static ArcSetHeaders sealed(SealOutcome outcome) {
        assertThat(outcome).isInstanceOf(SealOutcome.Sealed.class);
        return ((SealOutcome.Sealed) outcome).headers();
    }
}
